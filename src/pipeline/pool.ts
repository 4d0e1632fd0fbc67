/**
 * A fixed pool of worker threads that process week tasks in parallel; tasks
 * are handed out one at a time to whichever worker is free.
 */
import { Worker } from 'node:worker_threads';
import type { ReduceSpec } from '../reduce/spec.ts';
import type { Reference } from '../skew/reference.ts';
import type { WeekOutcome, WeekTask } from './week-task.ts';

export type WorkerReply = { id: number; outcome: WeekOutcome } | { id: number; error: string; errno?: { code: string; syscall: string; path?: string } };

/**
 * Runs every task on up to `threads` workers and calls `onDone` with each
 * outcome as it arrives. A worker that crashes rejects the returned promise.
 */
export async function runWeekTasks(
  tasks: WeekTask[],
  spec: ReduceSpec,
  specId: string,
  reference: Reference | null,
  threads: number,
  onDone: (outcome: WeekOutcome) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  const n = Math.max(1, Math.min(threads, tasks.length));
  const workers = Array.from({ length: n }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { spec, specId, reference } }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const give = () => {
              if (next >= tasks.length) return resolve();
              current = next++;
              w.postMessage({ id: current, task: tasks[current] });
            };
            w.on('message', (reply: WorkerReply) => {
              if ('error' in reply)
                return reject(reply.errno ? Object.assign(new Error(reply.error), reply.errno) : new Error(`week ${tasks[reply.id]!.week}: ${reply.error}`));
              onDone(reply.outcome);
              give();
            });
            w.on('error', (e) => reject(new Error(`a worker thread failed${current >= 0 ? ` on week ${tasks[current]!.week}` : ''}: ${e.message}`)));
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
