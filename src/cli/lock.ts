/**
 * One run at a time per cache and per output folder. A lock is a folder made
 * atomically by proper-lockfile, kept fresh while the run lives; beside it a
 * small JSON file names the holder (pid, host, command, start time) so that a
 * second run can say who holds it. A second run does not wait: it stops with
 * exit 1. A lock whose holder died is taken over: at once when the holder's
 * pid on this host is gone, otherwise once the lock has not been refreshed
 * for STALE_MS (5 minutes).
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

// Long enough that a busy main thread never looks dead; a holder that died on
// this host is recognised by its pid at once.
const STALE_MS = 5 * 60_000;

/** The lock is held by another run (exit 1). */
export class LockError extends Error {
  override name = 'LockError';
}

interface HolderInfo {
  pid: number;
  host: string;
  command: string;
  started: string;
}

export interface HeldLock {
  /** Set when the lock was lost while held (another run took it over). */
  readonly lost: string | null;
  release(): Promise<void>;
}

function readHolder(infoPath: string): HolderInfo | null {
  try {
    const v = JSON.parse(readFileSync(infoPath, 'utf8')) as HolderInfo;
    return typeof v.pid === 'number' ? v : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock `lockPath` (a folder that must not exist yet) on `what`
 * (e.g. "the cache /work/.cache"). The folder holding `lockPath` is created.
 */
/**
 * The environment variable a run sets, to its own pid, for a child process
 * that works under its locks: in that child, a lock held by its parent counts
 * as taken (and is left to the parent to release). Any other holder still
 * makes the child stop as busy.
 */
const LOCKS_OF = 'TELEMETRY_LOCKS_OF';

/** The environment for a child process that works under this run's locks. */
export function sharedLocksEnv(): NodeJS.ProcessEnv {
  return { [LOCKS_OF]: String(process.pid) };
}

const HELD_BY_PARENT: HeldLock = { lost: null, release: async () => {} };

export async function acquireLock(what: string, lockPath: string): Promise<HeldLock> {
  const path = resolve(lockPath);
  const infoPath = `${path}.json`;
  await mkdir(dirname(path), { recursive: true });
  let lost: string | null = null;
  const opts = {
    lockfilePath: path,
    realpath: false,
    stale: STALE_MS,
    retries: 0,
    onCompromised: (e: Error) => {
      lost = `the lock on ${what} was lost while the run held it (${e.message})`;
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    const holder = readHolder(infoPath);
    // The run that started this process holds the lock for it (`npm run build` runs its data step so).
    if (holder && holder.host === hostname() && holder.pid === process.ppid && process.env[LOCKS_OF] === String(process.ppid)) return HELD_BY_PARENT;
    if (holder && holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid)) {
      // The holder died without releasing the lock (killed): take it over.
      await rm(path, { recursive: true, force: true });
      try {
        release = await lockfile.lock(path, opts);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'ELOCKED') throw e2;
        throw busy(what, readHolder(infoPath));
      }
    } else throw busy(what, holder);
  }
  const info: HolderInfo = { pid: process.pid, host: hostname(), command: process.argv.slice(1).join(' '), started: new Date().toISOString() };
  await writeFile(infoPath, JSON.stringify(info) + '\n');
  return {
    get lost() {
      return lost;
    },
    async release() {
      if (lost) return;
      await rm(infoPath, { force: true });
      await release().catch(() => {});
    },
  };
}

function busy(what: string, h: HolderInfo | null): LockError {
  const who = h ? `pid ${h.pid}${h.host !== hostname() ? ` on ${h.host}` : ''} (${h.command}), started ${h.started}` : 'another run';
  return new LockError(`${what} is in use by another run: ${who}; run again when it has finished`);
}

/** Takes several locks in order; on failure releases those already taken. */
export async function acquireLocks(locks: { what: string; lockPath: string }[]): Promise<HeldLock[]> {
  const held: HeldLock[] = [];
  try {
    for (const l of locks) held.push(await acquireLock(l.what, l.lockPath));
  } catch (e) {
    for (const h of held.reverse()) await h.release();
    throw e;
  }
  return held;
}
