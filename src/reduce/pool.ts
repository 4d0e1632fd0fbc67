/**
 * A fixed pool of worker threads that reduce day files in parallel. Files are
 * handed out one at a time to whichever worker is free.
 */
import { Worker } from 'node:worker_threads';
import type { Day } from '../lib/dates.ts';
import type { DayPartial } from './partial.ts';
import type { ReduceStats } from './reduce-day.ts';
import type { ReduceSpec } from './spec.ts';

export interface ReduceTask {
  id: number;
  path: string;
  day: Day;
  sha256: string;
}

export type ReduceReply = { id: number; partial: DayPartial; stats: ReduceStats } | { id: number; error: string };

export interface ReduceJob {
  path: string;
  day: Day;
  sha256: string;
}

/**
 * Reduces every job on `threads` workers; `onDone` sees each result as it
 * arrives (in completion order). A file that cannot be read gives an error
 * result, never a rejected promise.
 */
export async function reduceInPool(
  jobs: ReduceJob[],
  spec: ReduceSpec,
  specId: string,
  threads: number,
  onDone: (job: ReduceJob, result: { partial: DayPartial; stats: ReduceStats } | { error: string }) => Promise<void> | void,
): Promise<void> {
  if (jobs.length === 0) return;
  const n = Math.max(1, Math.min(threads, jobs.length));
  const workers = Array.from({ length: n }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { spec, specId } }));
  let next = 0;
  const pending: Promise<void>[] = [];
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current: ReduceTask | null = null;
            const give = () => {
              if (next >= jobs.length) {
                current = null;
                resolve();
                return;
              }
              const id = next++;
              const job = jobs[id]!;
              current = { id, path: job.path, day: job.day, sha256: job.sha256 };
              w.postMessage(current);
            };
            w.on('message', (reply: ReduceReply) => {
              const job = jobs[reply.id]!;
              pending.push(Promise.resolve(onDone(job, 'error' in reply ? { error: reply.error } : { partial: reply.partial, stats: reply.stats })));
              give();
            });
            w.on('error', (e) => reject(new Error(`reduce worker failed${current ? ` on ${current.day}` : ''}: ${e.message}`)));
            give();
          }),
      ),
    );
    await Promise.all(pending);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
