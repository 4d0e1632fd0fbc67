/**
 * Superseded cache files. A week's cache entry (`weeks/<spec>/<week>.<key>.json`)
 * and a day's partial (`partials/<spec>/<day>.<hash>.json`) are named by
 * what they were made from, so a week whose days changed, or a day file
 * published again with other bytes, leaves its older file behind; a daily
 * rebuild would grow its cache by a week's entry every day. After a build,
 * the files of the dates it used under another name are removed. Dates the
 * build did not cover (another --from or --to) are left as they are.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const CACHE_FILE = /^(\d{4}-\d{2}-\d{2})\.[0-9a-f]{32}\.json$/;

/**
 * Removes the files of `dir` named `<date>.<32 hex digits>.json` whose date
 * is in `current` with another file name; returns how many it removed. A
 * folder that is not there has nothing to remove.
 */
export async function pruneSuperseded(dir: string, current: ReadonlyMap<string, string>): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.sort()) {
    const date = CACHE_FILE.exec(name)?.[1];
    if (date === undefined) continue;
    const keep = current.get(date);
    if (keep === undefined || keep === name) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
