/** A pipeline worker thread: processes week tasks, one message per task. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileSpec, type ReduceSpec } from '../reduce/spec.ts';
import type { Reference } from '../skew/reference.ts';
import type { WorkerReply } from './pool.ts';
import { type DayTask, processDay, processWeek, type WeekTask } from './week-task.ts';

const { spec, specId, reference } = workerData as { spec: ReduceSpec; specId: string; reference: Reference | null };
const compiled = compileSpec(spec);

parentPort!.on('message', ({ id, task, day }: { id: number; task?: WeekTask; day?: DayTask }) => {
  let reply: WorkerReply;
  try {
    reply = day ? { id, day: processDay(day, compiled, specId) } : { id, outcome: processWeek(task!, compiled, specId, reference) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A file system error (a full disk, a name too long) keeps what the command line needs to report it in one line.
    reply =
      typeof err.code === 'string' && err.syscall
        ? { id, error: err.message, errno: { code: err.code, syscall: err.syscall, path: err.path } }
        : { id, error: err.stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
