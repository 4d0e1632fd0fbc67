/**
 * The on-disk cache of one HTTP source:
 *
 *     <cacheDir>/archive/<name>/<day>.ndjson      the body, byte for byte (decoded)
 *     <cacheDir>/archive/<name>/<day>.meta.json   the commit record
 *
 * The meta file is written last, through temp file + fsync + rename, and
 * removed first when a day is replaced, so a data file is trusted only when a
 * meta file names it with the same size. A run killed at any point leaves at
 * worst an untrusted data file or temp files (`*.tmp-<pid>-<n>`), which the
 * next run ignores and removes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { removeStaleTemps, syncDir, tempPathFor, writeFileAtomic } from '../lib/atomic-write.ts';
import { isDay, type Day } from '../lib/dates.ts';

/** The commit record of one cached day. */
export interface CacheMeta {
  day: Day;
  /** The URL that answered (`<base><day>` or `<base><day>.json`). */
  url: string;
  /** 200: the data file holds the body; 404: the day has no file. */
  status: 200 | 404;
  etag: string | null;
  lastModified: string | null;
  /** Hex SHA-256 and byte size of the data file (null for 404). */
  sha256: string | null;
  size: number | null;
  /** The as-of day of the run that last fetched or revalidated this copy. */
  fetchedAsOf: Day;
}

/** A trusted cache entry; `path` is set when `meta.status` is 200. */
export interface CachedDay {
  meta: CacheMeta;
  path?: string;
}

const metaSchema = z.object({
  day: z.string().refine(isDay),
  url: z.string(),
  status: z.union([z.literal(200), z.literal(404)]),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  size: z.number().int().nonnegative().nullable(),
  fetchedAsOf: z.string().refine(isDay),
});

/**
 * A readable folder name for a base URL, made unique by a hash of the whole
 * URL: `https://telemetry.go.dev/data/` -> `telemetry.go.dev_data-<8 hex>`.
 */
export function cacheNameFor(baseUrl: string): string {
  const u = new URL(baseUrl);
  const readable = `${u.host}${u.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '');
  const hash = createHash('sha256').update(baseUrl).digest('hex').slice(0, 8);
  return `${readable.slice(0, 80)}-${hash}`;
}

/** The cache folder of one HTTP source. */
export class ArchiveCache {
  private constructor(readonly dir: string) {}

  /** Creates `<cacheDir>/archive/<name>/` and clears stale temp files. */
  static async open(cacheDir: string, baseUrl: string): Promise<ArchiveCache> {
    const dir = resolve(cacheDir, 'archive', cacheNameFor(baseUrl));
    await mkdir(dir, { recursive: true });
    await removeStaleTemps(dir);
    return new ArchiveCache(dir);
  }

  dataPath(day: Day): string {
    return join(this.dir, `${day}.ndjson`);
  }

  metaPath(day: Day): string {
    return join(this.dir, `${day}.meta.json`);
  }

  /** A fresh temp path for downloading `day`. */
  tempPath(day: Day): string {
    return tempPathFor(this.dataPath(day));
  }

  /** The trusted entry for `day`, or null when there is none or it does not check out. */
  async read(day: Day): Promise<CachedDay | null> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.metaPath(day), 'utf8'));
    } catch {
      return null;
    }
    const parsed = metaSchema.safeParse(raw);
    if (!parsed.success || parsed.data.day !== day) return null;
    const meta = parsed.data as CacheMeta;
    if (meta.status === 404) return { meta };
    if (meta.size === null || meta.sha256 === null) return null;
    const path = this.dataPath(day);
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size !== meta.size) return null;
    } catch {
      return null;
    }
    return { meta, path };
  }

  /** Moves a downloaded temp file into place and commits its meta; returns the data path. */
  async commitData(tmpPath: string, meta: CacheMeta): Promise<string> {
    const path = this.dataPath(meta.day);
    await rm(this.metaPath(meta.day), { force: true });
    await rename(tmpPath, path);
    await this.writeMeta(meta);
    return path;
  }

  /** Records that `meta.day` has no file (404), dropping any earlier copy. */
  async commitAbsent(meta: CacheMeta): Promise<void> {
    await rm(this.metaPath(meta.day), { force: true });
    await rm(this.dataPath(meta.day), { force: true });
    await this.writeMeta(meta);
  }

  /** Rewrites the meta of an entry whose data did not change (a 304). */
  async writeMeta(meta: CacheMeta): Promise<void> {
    await writeFileAtomic(this.metaPath(meta.day), `${JSON.stringify(meta, null, 2)}\n`);
    await syncDir(this.dir);
  }
}
