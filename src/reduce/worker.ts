/** A reduce worker: turns day files into DayPartials, one message per file. */
import { parentPort, workerData } from 'node:worker_threads';
import { reduceDayFile, type ReduceStats } from './reduce-day.ts';
import { compileSpec, type ReduceSpec } from './spec.ts';
import type { ReduceTask, ReduceReply } from './pool.ts';

const { spec, specId } = workerData as { spec: ReduceSpec; specId: string };
const compiled = compileSpec(spec);

parentPort!.on('message', (task: ReduceTask) => {
  const stats: ReduceStats = { fastLines: 0, strictLines: 0 };
  let reply: ReduceReply;
  try {
    const partial = reduceDayFile({ path: task.path, day: task.day, sha256: task.sha256, compiled, specId, stats });
    reply = { id: task.id, partial, stats };
  } catch (e) {
    reply = { id: task.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
