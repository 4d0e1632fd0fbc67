/** Listing and hashing whole folders: the digest of the site's inputs and the identity of the code that makes the site data. */
import type { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file under `root` (relative paths, `/`-separated, sorted); a missing
 * folder has none. `skip` leaves out files of the top folder by name.
 *
 * The file system calls of this module are synchronous: the site's folders
 * hold thousands of small files, and one synchronous call each costs a
 * fraction of a round trip through the thread pool (a recursive listing of
 * the 52-week site: about 50 ms against 280 ms). Nothing else runs on the
 * main thread while they do; the worker threads go on.
 */
export function files(root: string, skip: readonly string[] = []): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((f) => !skip.includes(f))
    .sort();
}

/** Adds every file under `root` (its relative path, length and bytes, in sorted order) to `h`, under `label`. */
export function hashTree(h: ReturnType<typeof createHash>, label: string, root: string): void {
  const list = files(root);
  h.update(`${label}\0${list.length}\0`);
  for (const f of list) {
    const bytes = readFileSync(join(root, f));
    h.update(`${f}\0${bytes.length}\0`).update(bytes);
  }
}
