/**
 * The week PNGs of a site, rendered before `astro build` on worker threads
 * (resvg is synchronous, so threads are what runs renders in parallel) into
 * the content-addressed image cache, with a manifest naming each route's
 * PNG and SVG; the `.png` and `.svg` files (src/site/files.ts) are then read from the cache.
 * Entries no route of this site uses are pruned afterwards.
 */
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { ImageCache, writeImageManifest } from '../render/image-cache.ts';
import type { PngOptions } from '../render/png.ts';
import type { PngReply, PngTask } from './png-worker.ts';

type Task = PngTask extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

/** A fixed set of PNG workers; each task goes to the worker with the fewest in flight. */
class PngPool {
  private readonly workers: { worker: Worker; busy: number }[];
  private readonly waiting = new Map<number, { resolve: (r: PngReply) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | null = null;

  constructor(threads: number, opts: { siteData?: string; cacheDir?: string } = {}) {
    const env = { ...process.env, ...(opts.siteData ? { TELEMETRY_SITE_DATA: opts.siteData } : {}) };
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = new Worker(new URL('./png-worker-entry.mjs', import.meta.url), { workerData: { cacheDir: opts.cacheDir ?? null }, env });
      const w = { worker, busy: 0 };
      worker.on('message', (reply: PngReply) => {
        w.busy--;
        const p = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if ('error' in reply) p?.reject(new Error(reply.error));
        else p?.resolve(reply);
      });
      worker.on('error', (e) => this.fail(new Error(`a PNG worker thread failed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a PNG worker thread exited with code ${code}`));
      });
      return w;
    });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  run(task: Task): Promise<PngReply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const w = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    w.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.worker.postMessage({ id, ...task });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** Renders each SVG on the pool's threads (no cache); the same bytes as `svgToPng` on the main thread. */
export async function renderOnWorkers(svgs: readonly string[], options: PngOptions, threads: number): Promise<Buffer[]> {
  const pool = new PngPool(threads);
  try {
    return await Promise.all(
      svgs.map(async (svg) => {
        const r = await pool.run({ svg, ...(options.width === undefined ? {} : { width: options.width }) });
        if (!('png' in r)) throw new Error('unexpected reply from a PNG worker');
        return Buffer.from(r.png);
      }),
    );
  } finally {
    await pool.close();
  }
}

export interface PrerenderResult {
  /** Each chart-week route and the key of its page (src/site/page-keys.ts), when `sources` was given. */
  pageKeys: [string, string][] | null;
  images: number;
  hits: number;
  rendered: number;
  pruned: number;
  seconds: number;
}

/**
 * Makes sure the image cache `cacheDir` holds the week PNG and SVG of every
 * chart-week route of the site data in `siteData`, rendering the missing
 * ones on `threads` workers, then prunes the entries no route uses. Writes
 * the manifest `manifest` (route -> keys, read with `readImageManifest`) for the
 * Astro build that follows on the same site data. With `sources` (the digest
 * of the site's sources and options) it also returns the key of every
 * chart-week page, made on one of the workers while the others render.
 */
export async function prerenderWeekPngs(siteData: string, cacheDir: string, threads: number, manifest: string, sources?: string): Promise<PrerenderResult> {
  const t = performance.now();
  await rm(manifest, { force: true });
  const pool = new PngPool(threads, { siteData, cacheDir });
  const keys = new Set<string>();
  const entries: [string, string, string][] = [];
  let hits = 0;
  let count = 0;
  let pageKeys: [string, string][] | null = null;
  try {
    const c = await pool.run({ count: true });
    if (!('count' in c)) throw new Error('unexpected reply from a PNG worker');
    count = c.count;
    // A bounded number in flight: each worker holds a few tasks, not the whole list.
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const i = next++;
        const r = await pool.run({ route: i });
        if (!('key' in r)) throw new Error('unexpected reply from a PNG worker');
        keys.add(r.key);
        keys.add(r.svgKey);
        entries[i] = [r.route, r.key, r.svgKey];
        if (r.hit) hits++;
      }
    };
    const keyed =
      sources === undefined
        ? null
        : pool.run({ pageKeys: sources }).then((r) => {
            if (!('pageKeys' in r)) throw new Error('unexpected reply from a PNG worker');
            pageKeys = r.pageKeys;
          });
    await Promise.all([...Array.from({ length: Math.max(1, threads) * 2 }, lane), keyed]);
  } finally {
    await pool.close();
  }
  const pruned = await new ImageCache(cacheDir).prune(keys);
  await writeImageManifest(manifest, entries);
  return { pageKeys, images: count, hits, rendered: count - hits, pruned, seconds: (performance.now() - t) / 1000 };
}
