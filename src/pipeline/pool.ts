/**
 * A fixed pool of worker threads. The day files to reduce are handed out
 * first, one at a time to whichever worker is free, so the work is balanced
 * per day file; then the week tasks, which find their days' partials in the
 * cache and merge and estimate them. A pool can be started before its tasks
 * are known, so the workers load their code while the main thread is still
 * reading the inputs and hashing the day files.
 */
import { Worker } from 'node:worker_threads';
import type { ReduceSpec } from '../reduce/spec.ts';
import type { Reference } from '../skew/reference.ts';
import type { DayOutcome, DayTask, WeekOutcome, WeekTask } from './week-task.ts';

export type WorkerReply =
  | { id: number; outcome: WeekOutcome }
  | { id: number; day: DayOutcome }
  | { id: number; error: string; errno?: { code: string; syscall: string; path?: string } };

export interface WeekPool {
  readonly threads: number;
  /**
   * Reduces the day files, then runs the week tasks; calls `onDay` and
   * `onWeek` with each outcome as it arrives. A worker that crashes rejects
   * the returned promise.
   */
  run(days: DayTask[], weeks: WeekTask[], onDay: (outcome: DayOutcome) => void, onWeek: (outcome: WeekOutcome) => void): Promise<void>;
  /** Stops the workers; the pool is then unusable. Safe to call more than once. */
  close(): Promise<void>;
}

/** Starts `threads` workers (at least one) for tasks of the given spec. */
export function startWeekPool(spec: ReduceSpec, specId: string, reference: Reference | null, threads: number): WeekPool {
  const n = Math.max(1, threads);
  const workers = Array.from({ length: n }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { spec, specId, reference } }));
  // A worker that fails while no tasks run is reported by the next run().
  const idleError: (Error | null)[] = workers.map(() => null);
  const onIdleError = workers.map((w, k) => {
    const f = (e: Error) => {
      idleError[k] ??= e;
    };
    w.on('error', f);
    return f;
  });

  /** Runs one list of tasks over all workers. */
  function phase<T>(tasks: T[], message: (id: number, task: T) => object, name: (task: T) => string, onReply: (reply: WorkerReply) => void): Promise<void> {
    let next = 0;
    return Promise.all(
      workers.map(
        (w, k) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const done = (e?: Error) => {
              w.off('message', onMessage);
              w.off('error', onError);
              w.on('error', onIdleError[k]!);
              if (e) reject(e);
              else resolve();
            };
            const give = () => {
              if (next >= tasks.length) return done();
              current = next++;
              w.postMessage(message(current, tasks[current]!));
            };
            const onMessage = (reply: WorkerReply) => {
              if ('error' in reply)
                return done(reply.errno ? Object.assign(new Error(reply.error), reply.errno) : new Error(`${name(tasks[reply.id]!)}: ${reply.error}`));
              onReply(reply);
              give();
            };
            const onError = (e: Error) => done(new Error(`a worker thread failed${current >= 0 ? ` on ${name(tasks[current]!)}` : ''}: ${e.message}`));
            w.off('error', onIdleError[k]!);
            if (idleError[k]) return reject(new Error(`a worker thread failed: ${idleError[k].message}`));
            w.on('message', onMessage);
            w.on('error', onError);
            give();
          }),
      ),
    ).then(() => undefined);
  }

  let closed: Promise<void> | null = null;
  return {
    threads: n,
    async run(days, weeks, onDay, onWeek) {
      await phase(
        days,
        (id, day) => ({ id, day }),
        (d) => `day ${d.day}`,
        (r) => 'day' in r && onDay(r.day),
      );
      await phase(
        weeks,
        (id, task) => ({ id, task }),
        (t) => `week ${t.week}`,
        (r) => 'outcome' in r && onWeek(r.outcome),
      );
    },
    close() {
      closed ??= Promise.all(workers.map((w) => w.terminate())).then(() => undefined);
      return closed;
    },
  };
}
