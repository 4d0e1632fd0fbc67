/**
 * Writing a file so that readers see either the old content or the whole new
 * content, never a part: the text goes to a temp file beside the target, is
 * flushed (fsync) and renamed over it. Temp files are named
 * `<path>.tmp-<pid>-<n>`, so a later run can tell the leftovers of a process
 * that died from those of one still writing.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

const TEMP_RE = /\.tmp-(\d+)-\d+$/;
let tempSeq = 0;

/** A path unique to this process for a temp file beside `path`. */
export function tempPathFor(path: string): string {
  // Worker threads share the pid; the thread id keeps their names apart.
  return `${path}.tmp-${process.pid}-${threadId}${++tempSeq}`;
}

/**
 * Writes `text` to `path` atomically: temp file, fsync, rename. With
 * `durable: false` the fsync is skipped, for derived files that are simply
 * recomputed when a crash leaves them unreadable.
 */
export async function writeFileAtomic(path: string, text: string, opts: { durable?: boolean } = {}): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      if (opts.durable !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** writeFileAtomic without fsync, synchronously: for derived cache files in worker threads. */
export function writeFileAtomicSync(path: string, text: string): void {
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Flushes a folder's entries (renames) to disk where the platform allows it. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not supported everywhere (e.g. Windows); the rename itself is still atomic.
  }
}

/** Removes temp files in `dir` left by processes that no longer run. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    const m = TEMP_RE.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
