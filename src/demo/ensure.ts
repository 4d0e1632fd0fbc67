/**
 * ensureDemo: the demo archive as a data source. Generates it into a cache
 * folder the first time (and whenever the seed, options or generator version
 * change), otherwise reuses it, so a fresh clone builds offline.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Day } from '../lib/dates.ts';
import { type DemoManifest, generateDemo, GENERATOR } from './archive.ts';
import { DEFAULT_END, DEFAULT_WEEKS } from './model.ts';

export interface DemoLocation {
  dir: string;
  /** Folder of day files named YYYY-MM-DD. */
  archiveDir: string;
  /** Paths of the demo's chart config, upload config, truth and reference census. */
  chartConfig: string;
  uploadConfig: string;
  truth: string;
  reference: string;
  manifest: DemoManifest;
  asOf: Day;
  firstDay: Day;
  lastDay: Day;
}

export interface EnsureDemoOptions {
  weeks?: number;
  end?: Day;
  scale?: number;
}

/** Returns the demo archive for `seed` in `dir`, generating it when absent or stale. */
export async function ensureDemo(dir: string, seed: number, log: (line: string) => void = () => {}, opts: EnsureDemoOptions = {}): Promise<DemoLocation> {
  const weeks = opts.weeks ?? DEFAULT_WEEKS;
  const end = opts.end ?? DEFAULT_END;
  const scale = opts.scale ?? 1;
  let manifest: DemoManifest | null = null;
  try {
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DemoManifest;
    if (m.generator === GENERATOR && m.seed === seed && m.weeks === weeks && m.lastDay === end && m.scale === scale) manifest = m;
  } catch {
    manifest = null;
  }
  if (!manifest) {
    log(`generating the demo archive (seed ${seed}, ${weeks} weeks to ${end}) in ${dir}`);
    // Generate beside the target and swap it in, so an interrupted run never leaves a half archive.
    const tmp = `${dir}.partial`;
    await rm(tmp, { recursive: true, force: true });
    manifest = await generateDemo({ seed, outDir: tmp, weeks, end, scale });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  return {
    dir,
    archiveDir: join(dir, 'archive'),
    chartConfig: join(dir, 'config.txt'),
    uploadConfig: join(dir, 'config.json'),
    truth: join(dir, 'truth.json'),
    reference: join(dir, 'reference.json'),
    manifest,
    asOf: manifest.asOf,
    firstDay: manifest.firstDay,
    lastDay: manifest.lastDay,
  };
}
