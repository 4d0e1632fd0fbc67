/**
 * The site data's chart-week parts and week digests (src/sitedata/parts.ts)
 * kept in the cache, a file per week: `<cache>/site-parts/<spec>/<week>.<key>.parts`.
 *
 * A week's key names what its parts are made from: the estimates of the
 * week and of the week before (their week-cache keys, which name their day
 * files, spec and reference), both weeks' info (days, provisional), the
 * small-cell options and the code that makes them (a hash of the project's
 * sources and lockfile). A file whose key, format or lengths do not match
 * is not used; its week's parts are made again. Writing a week's file
 * removes the others of the same week, so the folder holds one file a week.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeekName } from '../lib/dates.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { hashTree } from '../lib/tree-hash.ts';
import { type ChartWeekParts, formatWeekParts, type PartsCache, parseWeekParts, type WeekDigest, type WeekParts } from '../sitedata/parts.ts';

/**
 * A hash of the code that makes the site data: every file under the
 * project's src/ and its package-lock.json (the bundled command line is
 * built from the same files). Null when either cannot be read: then no
 * parts are reused.
 */
export function codeIdentity(root: string): string | null {
  const h = createHash('sha256');
  try {
    const src = join(root, 'src');
    if (!statSync(src).isDirectory()) return null;
    hashTree(h, 'src', src);
    const lock = readFileSync(join(root, 'package-lock.json'));
    h.update(`package-lock.json\0${lock.length}\0`).update(lock);
  } catch {
    return null;
  }
  return h.digest('hex');
}

/** What a week's parts are made from (see the module comment), as the key of its file. */
export function weekPartsKey(inputs: { code: string; weeks: (string | null)[]; infos: unknown[]; cells: unknown }): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

const FILE_RE = /^(\d{4}-\d{2}-\d{2})\.([0-9a-f]{32})\.parts$/;

export class DiskPartsCache implements PartsCache {
  /** Parts and digests kept, by week. */
  private readonly kept = new Map<WeekName, WeekParts>();
  /** This build's parts by week (kept ones it used, and made ones), then chart id; only weeks with a made part or digest are written. */
  private readonly used = new Map<WeekName, Map<string, ChartWeekParts>>();
  private readonly digests = new Map<WeekName, WeekDigest>();
  private readonly changed = new Set<WeekName>();
  reused = 0;
  madeCount = 0;

  private constructor(
    private readonly dir: string,
    private readonly keys: ReadonlyMap<WeekName, string>,
  ) {}

  /** The cache in `dir`, with each week's file of its key read; a week without a usable file has no parts kept. */
  static async open(dir: string, keys: ReadonlyMap<WeekName, string>): Promise<DiskPartsCache> {
    const c = new DiskPartsCache(dir, keys);
    for (const [week, key] of keys) {
      let text: string;
      try {
        text = await readFile(join(dir, `${week}.${key}.parts`), 'utf8');
      } catch {
        continue;
      }
      const parts = parseWeekParts(text, key);
      if (parts) c.kept.set(week, parts);
    }
    return c;
  }

  get(week: WeekName, chart: string): ChartWeekParts | undefined {
    const p = this.kept.get(week)?.parts.get(chart);
    if (p) {
      this.reused++;
      this.take(week, chart, p);
    }
    return p;
  }

  has(week: WeekName, chart: string): boolean {
    return this.kept.get(week)?.parts.has(chart) ?? false;
  }

  digest(week: WeekName): WeekDigest | undefined {
    const d = this.kept.get(week)?.digest ?? undefined;
    if (d) this.digests.set(week, d);
    return d;
  }

  madeDigest(week: WeekName, digest: WeekDigest): void {
    this.changed.add(week);
    this.digests.set(week, digest);
  }

  made(week: WeekName, chart: string, parts: ChartWeekParts): void {
    this.madeCount++;
    this.changed.add(week);
    this.take(week, chart, parts);
  }

  private take(week: WeekName, chart: string, parts: ChartWeekParts) {
    let m = this.used.get(week);
    if (!m) this.used.set(week, (m = new Map()));
    m.set(chart, parts);
  }

  /**
   * Writes the file of each week with a part or digest made in this build
   * (the parts this build used, kept or made, and its digest) and removes
   * that week's other files.
   */
  async save(): Promise<void> {
    const weeks = [...this.changed].sort();
    let names: string[] = [];
    try {
      names = await readdir(this.dir);
    } catch {
      // No folder yet: writeFileAtomic makes it.
    }
    for (const week of weeks) {
      const key = this.keys.get(week);
      if (key === undefined) continue;
      const name = `${week}.${key}.parts`;
      await writeFileAtomic(join(this.dir, name), formatWeekParts(key, this.used.get(week) ?? new Map(), this.digests.get(week) ?? null), { durable: false });
      for (const other of names) {
        const m = FILE_RE.exec(other);
        if (m && m[1] === week && other !== name) await rm(join(this.dir, other), { force: true });
      }
    }
  }
}
