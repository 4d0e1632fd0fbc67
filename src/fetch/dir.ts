/**
 * A local folder as a source: day D is `<dir>/<D>` or `<dir>/<D>.json`, and a
 * missing file means the day has no reports. Files are used in place; only
 * their SHA-256 is remembered, in `<cacheDir>/dir-sha256/`, keyed by
 * (absolute path, size, mtimeMs), so a rebuild stats unchanged files instead
 * of reading them again.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, type Stats } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Day } from '../lib/dates.ts';
import { removeStaleTemps, writeFileAtomic } from '../lib/atomic-write.ts';

/** What a folder holds for one day; sha256 is null when hashing was left to the reader (readDirDay's `hashLater`). */
export type DirEntry = { status: 'present'; path: string; size: number; sha256: string | null } | { status: 'absent' };

const memoSchema = z.object({
  path: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  sha256: z.string(),
});

const HASH_CHUNK = 1 << 20;
let hashBuffer: Buffer | null = null;

/**
 * The SHA-256 of a file, read in 1 MiB synchronous reads: about four times
 * cheaper than a read stream's 64 KiB chunks and callbacks, and a day file of
 * a few MB holds the event loop for a few milliseconds only.
 */
function hashFile(path: string): Hash {
  const hash = createHash('sha256');
  hashBuffer ??= Buffer.allocUnsafe(HASH_CHUNK);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const n = readSync(fd, hashBuffer, 0, HASH_CHUNK, null);
      if (n === 0) return hash;
      hash.update(hashBuffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Remembered SHA-256 of local files, one small JSON file per path. */
export class HashMemo {
  /** Files actually read and hashed by this memo (not answered from memory). */
  hashed = 0;

  private constructor(readonly dir: string) {}

  static async open(cacheDir: string): Promise<HashMemo> {
    const dir = resolve(cacheDir, 'dir-sha256');
    await mkdir(dir, { recursive: true });
    await removeStaleTemps(dir);
    return new HashMemo(dir);
  }

  private memoPath(path: string): string {
    return join(this.dir, `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`);
  }

  /** The remembered SHA-256 of the file at absolute `path` when its current stat `st` is the one remembered; null otherwise. */
  async remembered(path: string, st: Pick<Stats, 'size' | 'mtimeMs'>): Promise<string | null> {
    try {
      const m = memoSchema.parse(JSON.parse(await readFile(this.memoPath(path), 'utf8')));
      if (m.path === path && m.size === st.size && m.mtimeMs === st.mtimeMs) return m.sha256;
    } catch {
      // No memo yet, or an unreadable one.
    }
    return null;
  }

  /** Remembers the SHA-256 of the bytes a reader found at `path` with the given stat (taken before and after it read them). */
  async remember(path: string, st: Pick<Stats, 'size' | 'mtimeMs'>, sha256: string): Promise<void> {
    await writeFileAtomic(this.memoPath(path), JSON.stringify({ path, size: st.size, mtimeMs: st.mtimeMs, sha256 }));
  }

  /** SHA-256 of the file at absolute `path`, whose current stat is `st`. */
  async sha256(path: string, st: Stats): Promise<string> {
    const known = await this.remembered(path, st);
    if (known !== null) return known;
    // A file rewritten while it was read gives a hash of neither version; read again.
    for (let tries = 0; tries < 3; tries++) {
      const before = await stat(path);
      const hash = hashFile(path);
      this.hashed++;
      const after = await stat(path);
      if (after.size === before.size && after.mtimeMs === before.mtimeMs) {
        const sha256 = hash.digest('hex');
        await this.remember(path, after, sha256);
        return sha256;
      }
    }
    throw new Error(`${path} kept changing while it was read`);
  }
}

/**
 * Looks up `day` in folder `dir` (absolute). Throws only on I/O errors other
 * than "not found". With `hashLater`, a file whose hash is not remembered is
 * not read: its sha256 is null, for a reader that hashes the bytes it reads
 * anyway (src/pipeline/week-task.ts) and remembers it (HashMemo.remember).
 */
export async function readDirDay(dir: string, day: Day, memo: HashMemo, hashLater = false): Promise<DirEntry> {
  for (const name of [day, `${day}.json`]) {
    const path = join(dir, name);
    let st: Stats;
    try {
      st = await stat(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    const sha256 = hashLater ? await memo.remembered(path, st) : await memo.sha256(path, st);
    return { status: 'present', path, size: st.size, sha256 };
  }
  return { status: 'absent' };
}
