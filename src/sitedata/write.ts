/** Writes the site data (siteDataContents) into a folder, through effects a test can swap. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { siteDataContents, type SitePath } from './contents.ts';
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
 * a previous build can linger. Returns the paths written, relative to `out`.
 * Every write has finished, or failed, before this returns or throws: nothing
 * is left writing into a folder the caller removes.
 */
export async function writeSiteData(out: string, data: SiteData, fx: WriteEffects = nodeEffects): Promise<SitePath[]> {
  const files = siteDataContents(data);
  const paths = [...files.keys()].sort();
  for (const dir of new Set(paths.map((p) => dirname(join(out, p))))) await fx.mkdir(dir);
  const results = await Promise.allSettled(paths.map((p) => fx.writeFile(join(out, p), files.get(p)!)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return paths;
}
