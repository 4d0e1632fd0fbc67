/**
 * The week PNGs of a site, rendered before `astro build` on worker threads
 * (resvg is synchronous, so threads are what runs renders in parallel) into
 * the content-addressed image cache, with a manifest naming each route's
 * PNG and SVG; the `.png` and `.svg` files (src/site/files.ts) are then read from the cache.
 * Entries no route of this site uses are pruned afterwards.
 */
import { rm, stat } from 'node:fs/promises';
import { isMainThread, Worker } from 'node:worker_threads';
import { ImageCache, readImageManifest, writeImageManifest } from '../render/image-cache.ts';
import type { PngOptions } from '../render/png.ts';
import type { PngReply, PngTask } from './png-worker.ts';

type Task = PngTask extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

/**
 * resvg allocates with its own copy of mimalloc, which by default hands pages
 * freed for 10 ms back to the system. Each 1200 px image is drawn into a new
 * pixmap of about 3 MB, freed only when the thread's garbage collector gets to
 * it, so with that default nearly every image faults its pixmap in afresh
 * (about 1,000 page faults, 2 to 3 ms of system time an image). Kept (a purge
 * delay of -1), freed pixmaps are drawn into again. mimalloc reads the setting
 * from the process environment once, when resvg is first loaded in the
 * process, which is in a PNG thread; a value the user set is left as it is.
 */
function keepResvgPages(): void {
  if (isMainThread && process.env.MIMALLOC_PURGE_DELAY === undefined) process.env.MIMALLOC_PURGE_DELAY = '-1';
}

/** A fixed set of PNG workers; each task goes to the worker with the fewest in flight. */
export class PngPool {
  private readonly workers: { worker: Worker; busy: number }[];
  private readonly waiting = new Map<number, { resolve: (r: PngReply) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | null = null;

  constructor(threads: number, opts: { siteData?: string; cacheDir?: string } = {}) {
    keepResvgPages();
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
  /** Each chart-week route and the key of its page (src/site/page-keys.ts), then each week page's, when `sources` was given. */
  pageKeys: [string, string][] | null;
  images: number;
  hits: number;
  /** Of the hits, those taken from the last manifest by an unchanged page key, their SVG not drawn. */
  kept: number;
  rendered: number;
  pruned: number;
  seconds: number;
}

/** The routes of the last manifest whose images were made under a page key, with that key; none when there is no readable manifest. */
function previousImages(manifest: string): Map<string, { png: string; svg: string; page: string }> {
  let entries: ReturnType<typeof readImageManifest>;
  try {
    entries = readImageManifest(manifest);
  } catch {
    return new Map();
  }
  const out = new Map<string, { png: string; svg: string; page: string }>();
  for (const [route, { png, svg, page }] of entries) if (page !== null) out.set(route, { png, svg, page });
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** A prerender under way: the page keys as soon as they are made, then the whole result. */
export interface Prerender {
  /**
   * Each chart-week route and the key of its page, in route order, then each
   * week page's route (`weeks/<week>`) and key; null without `sources`.
   * Rejects when the workers failed first.
   */
  pageKeys: Promise<[string, string][] | null>;
  done: Promise<PrerenderResult>;
}

/**
 * Makes sure the image cache `cacheDir` holds the week PNG and SVG of every
 * chart-week route of the site data in `siteData`, rendering the missing
 * ones on `threads` workers, then prunes the entries no route uses. Writes
 * the manifest `manifest` (route -> keys, read with `readImageManifest`) for the
 * file writer that follows on the same site data.
 *
 * With `sources` (the digest of the site's sources and options) the workers
 * first make the key of every chart-week page and week page
 * (src/site/page-keys.ts), handed out as soon as they are made
 * (`pageKeys`), before any image. A
 * page's key covers everything its week image is drawn from, so a route
 * whose key is the one the last manifest recorded for it keeps that
 * manifest's images, when the cache still holds them, without drawing its
 * SVG again; the others are drawn and looked up as without `sources`.
 *
 * `started`, a pool made as `new PngPool(threads, { siteData, cacheDir })`
 * before the site data was written (its threads read it only with their
 * first task), is used instead of a new one, and stopped when done.
 */
export function startPrerender(siteData: string, cacheDir: string, threads: number, manifest: string, sources?: string, started?: PngPool): Prerender {
  let keysMade: (keys: [string, string][] | null) => void = () => {};
  let keysFailed: (e: unknown) => void = () => {};
  const pageKeys = new Promise<[string, string][] | null>((resolve, reject) => {
    keysMade = resolve;
    keysFailed = reject;
  });
  // A caller that waits only for `done` still hears of a failure there.
  pageKeys.catch(() => {});
  const done = prerender(siteData, cacheDir, threads, manifest, sources, keysMade, started);
  done.catch(keysFailed);
  return { pageKeys, done };
}

/** `startPrerender(...).done`. */
export function prerenderWeekPngs(siteData: string, cacheDir: string, threads: number, manifest: string, sources?: string): Promise<PrerenderResult> {
  return startPrerender(siteData, cacheDir, threads, manifest, sources).done;
}

/** From this many images to draw on, the threads that made the page keys are replaced by fresh ones. */
const FRESH_THREADS_FROM = 200;

async function prerender(
  siteData: string,
  cacheDir: string,
  threads: number,
  manifest: string,
  sources: string | undefined,
  onPageKeys: (keys: [string, string][] | null) => void,
  started?: PngPool,
): Promise<PrerenderResult> {
  const t = performance.now();
  const previous = sources === undefined ? new Map<string, { png: string; svg: string; page: string }>() : previousImages(manifest);
  await rm(manifest, { force: true });
  const cache = new ImageCache(cacheDir);
  const keys = new Set<string>();
  const entries: [string, string, string, string | null][] = [];
  let hits = 0;
  let kept = 0;
  let count = 0;
  let pageKeys: [string, string][] | null = null;
  let pruned = 0;
  let seconds = 0;
  const newPool = () => new PngPool(threads, { siteData, cacheDir });
  let pool = started ?? newPool();
  try {
    const c = await pool.run({ count: true });
    if (!('count' in c)) throw new Error('unexpected reply from a PNG worker');
    count = c.count;
    let todo = Array.from({ length: count }, (_, i) => i);
    if (sources === undefined) onPageKeys(null);
    if (sources !== undefined) {
      const parts = Math.max(1, threads);
      const slices = await Promise.all(
        Array.from({ length: parts }, async (_, part) => {
          const r = await pool.run({ pageKeys: sources, part, parts });
          if (!('pageKeys' in r)) throw new Error('unexpected reply from a PNG worker');
          return r;
        }),
      );
      const made = slices.flatMap((r) => r.pageKeys);
      if (made.length !== count) throw new Error(`the PNG workers made ${made.length} page keys for ${count} chart-week routes`);
      pageKeys = [...made, ...slices.flatMap((r) => r.weekPageKeys)];
      onPageKeys(pageKeys);
      const found = await Promise.all(
        made.map(async ([route, key]) => {
          const was = previous.get(route);
          return was !== undefined && was.page === key && (await exists(cache.path(was.png))) && (await exists(cache.path(was.svg, 'svg'))) ? was : null;
        }),
      );
      todo = [];
      for (let i = 0; i < count; i++) {
        const was = found[i];
        const [route, key] = made[i]!;
        if (!was) {
          todo.push(i);
          continue;
        }
        entries[i] = [route, was.png, was.svg, key];
        keys.add(was.png);
        keys.add(was.svg);
        hits++;
        kept++;
      }
    }
    // A thread that made page keys then collects its whole heap every few images, which doubles
    // the rendering time (a measured V8 behaviour, not a leak: its heap stays the same size).
    // Many images to draw are drawn by fresh threads; a few (a rebuild) by the same ones.
    if (sources !== undefined && todo.length >= FRESH_THREADS_FROM) {
      await pool.close();
      pool = newPool();
    }
    // A bounded number in flight: each worker holds a few tasks, not the whole list.
    const renderer = pool;
    let next = 0;
    const lane = async () => {
      while (next < todo.length) {
        const i = todo[next++]!;
        const r = await renderer.run({ route: i });
        if (!('key' in r)) throw new Error('unexpected reply from a PNG worker');
        keys.add(r.key);
        keys.add(r.svgKey);
        entries[i] = [r.route, r.key, r.svgKey, pageKeys?.[i]?.[1] ?? null];
        if (pageKeys && pageKeys[i]![0] !== r.route)
          throw new Error(`chart-week route ${i} is ${r.route} for its image but ${pageKeys[i]![0]} for its page key`);
        if (r.hit) hits++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, threads) * 2 }, lane));
    pruned = await cache.prune(keys);
    await writeImageManifest(manifest, entries);
    seconds = (performance.now() - t) / 1000;
  } finally {
    await pool.close();
  }
  return { pageKeys, images: count, hits, kept, rendered: count - hits, pruned, seconds };
}
