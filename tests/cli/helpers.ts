/**
 * The command line as users and CI scripts call it: a real child process of
 * `scripts/telemetry.ts` (or `scripts/build.ts`), and a small generated
 * archive to feed it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateDemo } from '../../src/demo/index.ts';

export interface CliResult {
  pid: number;
  code: number | null;
  out: string;
  err: string;
}

/** Runs `node --import tsx scripts/telemetry.ts ...args` and collects its output. */
export function cli(args: string[], opts: { script?: string; env?: NodeJS.ProcessEnv; onStderr?: (text: string) => void } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', opts.script ?? 'scripts/telemetry.ts', ...args], {
      env: { ...process.env, CI: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      opts.onStderr?.(d);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ pid: child.pid!, code, out, err }));
  });
}

/** Lines of stderr that start with `error:`. */
export const errorLines = (r: CliResult) => r.err.split('\n').filter((l) => l.startsWith('error:'));

/** Stack frames in stderr. */
export const stackLines = (r: CliResult) => r.err.split('\n').filter((l) => /^\s{4}at /.test(l));

export interface SmallArchive {
  dir: string;
  archive: string;
  chartConfig: string;
  uploadConfig: string;
  /** The demo's files by day name. */
  days: string[];
}

/** A two-week demo archive (2026-11-02..2026-11-15) in the public format, with its configs. */
export async function smallArchive(dir: string): Promise<SmallArchive> {
  await generateDemo({ seed: 1, outDir: dir, weeks: 2 });
  const archive = join(dir, 'archive');
  return { dir, archive, chartConfig: join(dir, 'config.txt'), uploadConfig: join(dir, 'config.json'), days: readdirSync(archive).sort() };
}

/** Every file under `dir` (marker included) with its SHA-256, by path relative to `dir`. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
