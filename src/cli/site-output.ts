/**
 * The last site `npm run build` produced, kept in the cache with a digest of
 * everything it was built from, so a build whose inputs are all unchanged
 * restores it instead of running Astro again (CI starts without dist/ but
 * with the cache).
 *
 * The digest covers the site data bytes, the project's src/ and public/
 * trees, astro.config.mjs, package.json, package-lock.json, tsconfig.json,
 * the Node.js version and the build options that reach the pages (base path,
 * site URL). The stamp lists the SHA-256 of every file of the kept copy; a
 * copy that does not match it file for file is never used.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { place } from '../lib/place.ts';
import { files, hashTree } from '../lib/tree-hash.ts';
import type { KeptFiles } from '../site/files.ts';
import { chartWeekFilesOfRoute, isWeekPageRoute, pageFileOfRoute } from '../site/page-routes.ts';
import { OUTPUT_MARKER } from './output.ts';

/** Project files and folders the site is built from, relative to the project folder. */
const SITE_INPUTS = ['src', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The SHA-256 of a file's bytes, hex. */
function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * The digest of what reaches the pages besides the site data: the project's
 * site sources under `projectRoot`, the Node.js version and `options` (every
 * build option and setting that changes the output).
 */
export async function sourcesDigest(projectRoot: string, options: Record<string, string | null>): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ node: process.version, options: Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1)) }));
  for (const input of SITE_INPUTS) {
    const abs = join(projectRoot, input);
    const bytes = await readFile(abs).catch((e: NodeJS.ErrnoException) => (e.code === 'EISDIR' ? 'dir' : e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (bytes === 'dir') hashTree(h, input, abs);
    else if (bytes === null) h.update(`${input}\0absent\0`);
    else h.update(`${input}\0${bytes.length}\0`).update(bytes);
  }
  return h.digest('hex');
}

/** The digest of a site build's inputs: `sources` (from `sourcesDigest`) and the site data folder. */
export async function siteDigest(sources: string, siteData: string): Promise<string> {
  const h = createHash('sha256');
  h.update(sources);
  hashTree(h, 'site-data', siteData);
  return h.digest('hex');
}

interface Stamp {
  digest: string;
  /** Each file of the kept site and its SHA-256, in path order. */
  files: [string, string][];
  /** Each chart-week route of the kept site and the key its page was built with (src/site/page-keys.ts). */
  pages?: [string, string][];
}

/** A page of the kept site that a new build can use as it is: its route, its file under the site folder and that file's SHA-256. */
export interface ReusablePage {
  route: string;
  file: string;
  sha256: string;
}

/**
 * The output marker (src/cli/output.ts) is not part of the kept copy: Astro
 * empties the folder it builds into, and the marker is written into the
 * site folder when it is put in place, whether built or restored.
 */
const NOT_KEPT = [OUTPUT_MARKER];

/** How many files are read, hashed or linked at once: thousands of small files, one after another, wait on each one in turn. */
const LANES = 8;

/** Calls `fn(k)` for k = 0 .. count - 1, at most LANES at a time. */
async function inLanes(count: number, fn: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(LANES, count) }, lane));
}

/** SHA-256 of each file under `root` but the marker, as a list of [path, hash] in path order. */
function manifest(root: string): [string, string][] {
  const list = files(root, NOT_KEPT);
  return list.map((f): [string, string] => [f, sha256Of(join(root, f))]);
}

/** True when the files under `root` are exactly those of the stamp, byte for byte. */
async function matches(root: string, stamp: Stamp): Promise<boolean> {
  const got = manifest(root);
  const want = stamp.files;
  return got.length === want.length && got.every(([f, h], i) => want[i]?.[0] === f && want[i]?.[1] === h);
}

/** Places each file `list` names (relative paths) from the folder `from` into the folder `to` (see `place`). */
async function placeFiles(from: string, to: string, list: readonly string[]): Promise<void> {
  const made = new Set<string>();
  for (const f of list) {
    const dir = dirname(join(to, f));
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
  }
  await inLanes(list.length, (k) => place(join(from, list[k]!), join(to, list[k]!)));
}

/** Places the tree `from` into the folder `to` (created). */
async function copyTree(from: string, to: string): Promise<number> {
  const list = files(from, NOT_KEPT);
  await placeFiles(from, to, list);
  return list.length;
}

/** The kept copy of the last site in the cache `cache`: `<cache>/site-output/{stamp.json,site/}`. */
export class SavedSite {
  readonly dir: string;

  constructor(cache: string) {
    this.dir = join(cache, 'site-output');
  }

  private async stamp(): Promise<Stamp | null> {
    try {
      const s = JSON.parse(await readFile(join(this.dir, 'stamp.json'), 'utf8')) as Stamp;
      if (typeof s.digest !== 'string' || !Array.isArray(s.files)) return null;
      return s;
    } catch {
      return null;
    }
  }

  /**
   * Puts the site built from inputs with `digest` into `dest` when the kept
   * copy is one: `'current'` when `current` (the live site folder) already
   * holds exactly those files, `'restored'` when they were copied into
   * `dest`, null when there is no such copy (or it does not match its
   * stamp; `dest` is then left as it was, holding at most the marker).
   */
  async restore(digest: string, current: string, dest: string): Promise<'current' | 'restored' | null> {
    const stamp = await this.stamp();
    if (!stamp || stamp.digest !== digest) return null;
    if (await matches(current, stamp)) return 'current';
    await copyTree(join(this.dir, 'site'), dest);
    // What was copied is checked, not the copy it came from: the files published are the ones verified.
    if (await matches(dest, stamp)) return 'restored';
    for (const e of await readdir(dest)) if (!NOT_KEPT.includes(e)) await rm(join(dest, e), { recursive: true, force: true });
    return null;
  }

  /**
   * The pages of the kept site (chart-week permalinks and week pages) whose
   * key (src/site/page-keys.ts) equals the one in `keys` for the same route,
   * and whose file is still the one the stamp lists, byte for byte. None when
   * there is no kept site.
   */
  async reusablePages(keys: readonly [string, string][]): Promise<ReusablePage[]> {
    const stamp = await this.stamp();
    if (!stamp?.pages) return [];
    const was = new Map(stamp.pages);
    const hashes = new Map(stamp.files);
    const candidates: ReusablePage[] = [];
    for (const [route, key] of keys) {
      if (was.get(route) !== key) continue;
      const file = pageFileOfRoute(route);
      const sha256 = hashes.get(file);
      if (sha256) candidates.push({ route, file, sha256 });
    }
    return candidates.filter((c) => {
      try {
        return sha256Of(join(this.dir, 'site', c.file)) === c.sha256;
      } catch {
        return false;
      }
    });
  }

  /**
   * The files of the kept site made from the same inputs as the chart-week
   * pages `pages` (from `reusablePages`): each one's path and its SHA-256 in
   * the stamp (src/site/page-routes.ts chartWeekFilesOfRoute; a route without
   * breakdowns has no breakdowns.csv). They are not read here: the file writer
   * checks each against its hash before it takes it, and writes it anew when
   * it differs (src/site/files.ts).
   */
  async reusableFiles(pages: readonly ReusablePage[]): Promise<KeptFiles> {
    const stamp = await this.stamp();
    const hashes = new Map(stamp?.files ?? []);
    const files: [string, string][] = [];
    for (const p of pages) {
      if (isWeekPageRoute(p.route)) continue;
      for (const f of chartWeekFilesOfRoute(p.route)) {
        const sha256 = hashes.get(f);
        if (sha256) files.push([f, sha256]);
      }
    }
    return { dir: join(this.dir, 'site'), files };
  }

  /** Places the pages `pages` (from `reusablePages`) of the kept site into the site folder `dest`. */
  async placePages(pages: readonly ReusablePage[], dest: string): Promise<void> {
    await placeFiles(
      join(this.dir, 'site'),
      dest,
      pages.map((p) => p.file),
    );
  }

  /**
   * Keeps a copy of the site in `site`, built from inputs with `digest`
   * (and its chart-week pages with the keys `pages`), replacing the previous
   * one. `known` gives the SHA-256 of files whose bytes the caller already
   * hashed (site path -> hash); every other file is read and hashed. Only the
   * files whose hash differs from the previous stamp's (or that the copy lacks)
   * are placed anew; the others stay as they are, and are checked against the
   * stamp like every file when the copy is used (`restore`, `reusablePages`).
   */
  async save(digest: string, site: string, pages?: readonly [string, string][], known?: ReadonlyMap<string, string>): Promise<void> {
    const keptDir = join(this.dir, 'site');
    const before = await this.stamp();
    // The old stamp goes first: a run stopped half way leaves no stamp, never a wrong one.
    await rm(join(this.dir, 'stamp.json'), { force: true });
    if (!before) await rm(keptDir, { recursive: true, force: true });
    const was = new Map(before?.files ?? []);
    const kept = new Set(files(keptDir));
    const list = files(site, NOT_KEPT);
    const now = new Set(list);
    for (const f of kept) if (!now.has(f)) await rm(join(keptDir, f), { force: true });
    const hashed = list.map((f): [string, string] => [f, known?.get(f) ?? sha256Of(join(site, f))]);
    const changed = list.filter((f, k) => !(kept.has(f) && was.get(f) === hashed[k]![1]));
    const made = new Set<string>();
    for (const f of changed) {
      const dir = dirname(join(keptDir, f));
      if (!kept.has(f) && !made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
    }
    await inLanes(changed.length, async (k) => {
      const f = changed[k]!;
      const to = join(keptDir, f);
      if (kept.has(f)) await rm(to, { force: true });
      await place(join(site, f), to).catch(async (e: NodeJS.ErrnoException) => {
        // A folder of the old copy where the new site has a file.
        if (e.code !== 'EEXIST') throw e;
        await rm(to, { recursive: true, force: true });
        await place(join(site, f), to);
      });
    });
    const stamp: Stamp = { digest, files: hashed, ...(pages ? { pages: [...pages] } : {}) };
    const tmp = join(this.dir, `stamp.json.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(stamp));
    await rename(tmp, join(this.dir, 'stamp.json'));
  }
}
