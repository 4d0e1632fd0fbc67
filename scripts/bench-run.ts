// One measured pipeline run for scripts/bench.ts: prints a JSON line with the
// run's result and this process's peak RSS (worker threads included).
import { availableParallelism } from 'node:os';
import { parseOptions } from '../src/cli/options.ts';
import { toDay } from '../src/lib/dates.ts';
import { runPipeline } from '../src/pipeline/run.ts';

const opts = parseOptions(process.argv.slice(2), availableParallelism())!;
const t0 = performance.now();
const result = await runPipeline(opts, { log: () => {}, progress: 'never', today: () => toDay('2026-11-25') });
const wall = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ result, wall, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
