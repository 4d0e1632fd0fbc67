/**
 * The command line: `npm run data` runs the data pipeline; `npm run build`
 * runs it and then `astro build`. Exit codes: 0 done, 1 a required input is
 * missing or unusable, 2 bad usage.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.ts';
import { MissingInputError } from '../inputs.ts';
import { fromDate } from '../lib/dates.ts';
import { runPipeline } from '../pipeline/run.ts';
import { parseOptions, USAGE, UsageError, type Options } from './options.ts';

const log = (line: string) => process.stderr.write(line + '\n');

export async function main(argv: string[], withSite: boolean): Promise<number> {
  let opts: Options | null;
  try {
    opts = parseOptions(argv, availableParallelism());
  } catch (e) {
    if (e instanceof UsageError) {
      log(`error: ${e.message}\nRun with --help to see every option.`);
      return 2;
    }
    throw e;
  }
  if (opts === null) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    const r = await runPipeline(opts, { log, progress: 'auto', today: () => fromDate(new Date()) });
    log(
      `data: ${r.weeks} weeks, ${r.reports} reports; ${r.days.present} day files (${r.days.absent} without reports, ${r.days.missing} missing); ` +
        `${r.reduced} reduced now in ${r.seconds.reduce.toFixed(1)} s; total ${r.seconds.total.toFixed(1)} s`,
    );
  } catch (e) {
    if (e instanceof MissingInputError || e instanceof ConfigError) {
      log(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
  if (!withSite) return 0;
  return astroBuild(opts);
}

function astroBuild(opts: Options): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('node_modules/astro/astro.js'), 'build'], {
      stdio: 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', TELEMETRY_SITE_DATA: resolve(opts.out), TELEMETRY_BASE: opts.base },
    });
    child.on('exit', (code) => done(code ?? 1));
  });
}
