/** Writes the site data (siteDataFiles) into a folder, through effects a test can swap. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { siteDataFiles, type SitePath } from './contents.ts';
import type { PartsCache } from './parts.ts';
import type { SiteData } from './schema.ts';

export interface WriteEffects {
  mkdir: (dir: string) => Promise<unknown>;
  writeFile: (path: string, contents: string) => Promise<void>;
}

const nodeEffects: WriteEffects = {
  mkdir: (dir) => mkdir(dir, { recursive: true }),
  writeFile: (path, contents) => writeFile(path, contents),
};

/**
 * Writes every file into `out`, a fresh folder (the pipeline stages it beside
 * the output and swaps it in when complete, src/cli/output.ts), so no file of
 * a previous build can linger. Returns the paths written, relative to `out`,
 * sorted.
 *
 * Each file is made, handed to a write and let go while the next one is
 * made, so the whole site data is never in memory at once. Every write has
 * finished, or failed, before this returns or throws: nothing is left writing
 * into a folder the caller removes. A failed write does not stop the others;
 * the error thrown is that of the first failed path in sorted order. With
 * `parts`, chart weeks kept from an earlier build are taken from it and the
 * ones made are handed to it (src/sitedata/parts.ts).
 */
export async function writeSiteData(out: string, data: SiteData, fx: WriteEffects = nodeEffects, parts?: PartsCache): Promise<SitePath[]> {
  const made = new Map<string, Promise<unknown>>();
  const writes: { path: SitePath; done: Promise<{ error: unknown } | null> }[] = [];
  let previous: Promise<unknown> = Promise.resolve();
  for (const [path, text] of siteDataFiles(data, parts)) {
    const full = join(out, path);
    const dir = dirname(full);
    let folder = made.get(dir);
    if (!folder) made.set(dir, (folder = fx.mkdir(dir)));
    const done = folder
      .then(() => fx.writeFile(full, text))
      .then(
        () => null,
        (error: unknown) => ({ error }),
      );
    writes.push({ path, done });
    // One write in flight while the next file is made: memory stays at about two files.
    await previous;
    previous = done;
  }
  const results = await Promise.all(writes.map(async (w) => ({ path: w.path, failed: await w.done })));
  results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const failed = results.find((r) => r.failed !== null);
  if (failed) throw failed.failed!.error;
  return results.map((r) => r.path);
}
