/**
 * The fetch stage: brings archive day files from a source into a local cache.
 *
 * A source is either an HTTP base URL (day D at `<base>D`, or `<base>D.json`
 * on mirrors that add the suffix; 404 on both = no reports that day) or a
 * local folder (`<dir>/D` or `<dir>/D.json`, used in place).
 *
 * Finality: day D is final as of A when daysBetween(D, A) >= finalityDays.
 * A cached copy fetched when its day was already final is used without any
 * request; a newer cached copy is revalidated with a conditional request.
 * See http.ts for what is retried and cache.ts for the cache layout and its
 * crash safety.
 *
 * Over HTTP, only a complete body is cached: it matches its Content-Length
 * when there is one and ends with a newline (an empty body only when the
 * server declared its end). Redirects must stay on the source's origin (or
 * upgrade it from http to https). The run stops sending requests early when
 * the source is plainly down: after `stopAfterConnectFailures` consecutive
 * attempts that could not connect, or after `stopAfterFailedDays` consecutive
 * days that failed after their retries. Days not requested then are missing
 * (or served stale from the cache), with the reason.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daysBetween, isDay, type Day } from '../lib/dates.ts';
import { ArchiveCache, type CacheMeta, type CachedDay } from './cache.ts';
import { HashMemo, readDirDay } from './dir.ts';
import { HttpClient } from './http.ts';
import { createProgress, formatBytes, formatDayRanges, type Progress } from './progress.ts';

/** Where day files come from. */
export type Source = { kind: 'http'; baseUrl: string } | { kind: 'dir'; dir: string };

/** The Go project's public archive. */
const GO_ARCHIVE_URL = 'https://telemetry.go.dev/data/';

export interface SyncOptions {
  source: Source;
  /** The days wanted; duplicates are ignored. */
  days: Day[];
  /** Root of the cache; HTTP sources live under `<cacheDir>/archive/`. */
  cacheDir: string;
  /** The day the run is "as of"; decides finality (never read from the clock). */
  asOf: Day;
  /** Days after which a day's file no longer changes; default 10. */
  finalityDays?: number;
  /** No network at all: cached days are used, others are missing. Default false. */
  offline?: boolean;
  /** Most days (and so requests) in flight at once; default 4, 1..64. */
  concurrency?: number;
  /** Attempts per URL before giving up; default 5, 1..20. */
  maxAttempts?: number;
  /** Per attempt: time allowed to connect, for the response headers and for each gap between body bytes; default 30000. */
  timeoutMs?: number;
  /** Per attempt: most time for the whole response, redirects and body included; default 120000. */
  deadlineMs?: number;
  /**
   * Stop requesting after this many consecutive attempts, across all days,
   * that could not connect (refused, DNS failure, unreachable, connect
   * timeout); default 3, 1..1000.
   */
  stopAfterConnectFailures?: number;
  /**
   * Stop requesting after this many consecutive days that failed after their
   * retries (a day answered in between resets the count); default
   * max(8, 2 * concurrency), 1..100000.
   */
  stopAfterFailedDays?: number;
  /** First backoff delay; doubles per retry, with seeded jitter; default 500. */
  backoffBaseMs?: number;
  /** Plain log lines; default: written to stderr. */
  log?: (line: string) => void;
  /** 'auto' (default): a progress bar on stderr when it is a TTY, plain lines otherwise. */
  progress?: 'auto' | 'never';
  /**
   * Folder sources: a file whose hash is not remembered is not read here; it
   * is present without a sha256, for a caller that hashes it as it reads it
   * and then calls SyncResult.remember. Default false.
   */
  hashLater?: boolean;
}

/** The outcome for one day. */
interface DayFile {
  day: Day;
  /**
   * present: a file is available at `path`; absent: the source has no file
   * that day (404), which means no reports, not an error; missing: unknown,
   * because offline and not cached, every attempt failed, or the run stopped
   * requesting before this day (see `SyncSummary.stopped`); `error` says which.
   */
  status: 'present' | 'absent' | 'missing';
  path?: string;
  /** Set on every present day, except a folder file left to the caller to hash (SyncOptions.hashLater). */
  sha256?: string;
  size?: number;
  /** The content will not change any more (fetched or confirmed when the day was final). */
  final: boolean;
  /**
   * cache: a cached copy used without asking the server; network: downloaded
   * now (or newly found absent); revalidated: the server confirmed the cached
   * copy (304, or 404 again); dir: a local folder source; none: missing.
   */
  origin: 'cache' | 'network' | 'revalidated' | 'dir' | 'none';
  /**
   * Why the day is missing, or why a stale cached copy was used (then it
   * ends with `; using the cached copy fetched as of <day>`). Set on every
   * missing day. Days never requested because the run stopped early start
   * with `not requested: `.
   */
  error?: string;
}

interface SyncSummary {
  days: number;
  present: number;
  absent: number;
  missing: number;
  /** Counts by origin. */
  fetched: number;
  revalidated: number;
  fromCache: number;
  fromDir: number;
  /** Cached copies used because the server could not be reached. */
  stale: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Bytes downloaded into the cache (after any content decoding). */
  bytes: number;
  /** Folder-source files read to hash them (the rest came from the hash memo). */
  hashed: number;
  /** Why the run stopped sending requests early, or null when it did not. */
  stopped: string | null;
  /** Days not requested because the run stopped early (missing, or stale from the cache). */
  notRequested: number;
}

export interface SyncResult {
  /** One entry per distinct day, sorted by day. */
  files: DayFile[];
  summary: SyncSummary;
  /** Folder sources: remembers the hash a caller found for a present file without one (SyncOptions.hashLater), and sets it on the file. */
  remember(f: DayFile, st: { size: number; mtimeMs: number }, sha256: string): Promise<void>;
  /** Folder sources: makes a present file the caller could not read to hash it missing, as syncDays does a file it cannot hash, and logs why. */
  markMissing(f: DayFile, reason: string): void;
}

/** True when day `day` is final as of `asOf`. */
export function isFinal(day: Day, asOf: Day, finalityDays: number): boolean {
  return daysBetween(day, asOf) >= finalityDays;
}

/**
 * Reads a source spec: `go` is the Go archive; an http(s) URL is an HTTP
 * source (a trailing slash is added); a `file:` URL or any other text is a
 * folder. Returns an error message for specs that cannot work.
 */
export function parseSource(spec: string): Source | string {
  const s = spec.trim();
  if (s === '') return 'empty source: use "go", an http(s) URL, or a folder';
  if (s === 'go') return { kind: 'http', baseUrl: GO_ARCHIVE_URL };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'dir', dir: s };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return `not a valid URL: ${s}`;
  }
  if (scheme === 'file') return { kind: 'dir', dir: fileURLToPath(url) };
  if (scheme !== 'http' && scheme !== 'https') return `unsupported source scheme ${scheme}: use http(s), file, or a folder path`;
  if (url.search || url.hash) return `a source URL cannot have a query or fragment: ${s}`;
  if (url.username || url.password) return `a source URL cannot hold credentials: ${url.host}${url.pathname}`;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { kind: 'http', baseUrl: url.href };
}

interface Context {
  asOf: Day;
  finalityDays: number;
  offline: boolean;
  progress: Progress;
}

/** The HTTP run's shared state: consecutive failed days and the days not requested. */
interface HttpContext extends Context {
  client: HttpClient;
  stopAfterFailedDays: number;
  failedDays: number;
  notRequested: Set<Day>;
}

/**
 * Makes every day in `opts.days` available locally and says what happened to
 * each. Never throws because of one day (failures become 'missing' with a
 * reason); throws for unusable options (bad days, bad numbers, a folder
 * source that does not exist, a cache folder that cannot be created).
 */
export async function syncDays(opts: SyncOptions): Promise<SyncResult> {
  const o = checkOptions(opts);
  const days = [...new Set(opts.days)].sort();
  const offline = opts.offline ?? false;
  const summary: SyncSummary = {
    days: days.length,
    present: 0,
    absent: 0,
    missing: 0,
    fetched: 0,
    revalidated: 0,
    fromCache: 0,
    fromDir: 0,
    stale: 0,
    requests: 0,
    bytes: 0,
    hashed: 0,
    stopped: null,
    notRequested: 0,
  };
  // Everything that can reject the options happens before a bar is drawn.
  const src = opts.source;
  const dir = src.kind === 'dir' ? resolve(src.dir) : null;
  if (dir !== null && !(await stat(dir).catch(() => null))?.isDirectory()) throw new Error(`source folder not found: ${dir}`);
  const memo = src.kind === 'dir' ? await HashMemo.open(opts.cacheDir) : null;
  const cache = src.kind === 'http' ? await ArchiveCache.open(opts.cacheDir, src.baseUrl) : null;

  const progress = createProgress({ total: days.length, mode: opts.progress ?? 'auto', log: opts.log });
  const ctx: Context = { asOf: opts.asOf, finalityDays: o.finalityDays, offline, progress };
  let files: DayFile[];
  if (dir !== null && memo !== null) {
    files = await runPool(days, o.concurrency, async (day) => {
      const f = await dirDay(dir, day, memo, ctx, opts.hashLater ?? false);
      progress.tick(0);
      return f;
    });
    summary.hashed = memo.hashed;
  } else if (src.kind === 'http' && cache !== null) {
    const client = new HttpClient({
      maxSockets: o.concurrency,
      maxAttempts: o.maxAttempts,
      timeoutMs: o.timeoutMs,
      deadlineMs: o.deadlineMs,
      backoffBaseMs: o.backoffBaseMs,
      redirects: 'same-origin',
      unreachableAfter: o.stopAfterConnectFailures,
      onRetry: (url, attempt, reason, delay) => progress.log(`fetch: ${url}: ${reason}; retry ${attempt}/${o.maxAttempts - 1} in ${delay} ms`),
    });
    const hctx: HttpContext = { ...ctx, client, stopAfterFailedDays: o.stopAfterFailedDays, failedDays: 0, notRequested: new Set() };
    try {
      files = await runPool(days, o.concurrency, async (day) => {
        const f = await httpDay(src.baseUrl, day, cache, hctx);
        progress.tick(client.bytes);
        return f;
      });
    } finally {
      client.close();
    }
    summary.requests = client.requests;
    summary.bytes = client.bytes;
    summary.stopped = client.stopReason;
    summary.notRequested = hctx.notRequested.size;
    if (client.stopReason !== null) {
      const n = hctx.notRequested.size;
      progress.log(
        `fetch: stopped early: ${client.stopReason}; ${n} day${n === 1 ? '' : 's'} not requested${n > 0 ? `: ${formatDayRanges([...hctx.notRequested])}` : ''}`,
      );
    }
  } else {
    throw new Error('unreachable: source kind checked above');
  }

  for (const f of files) {
    summary[f.status]++;
    if (f.origin === 'network') summary.fetched++;
    else if (f.origin === 'revalidated') summary.revalidated++;
    else if (f.origin === 'cache') summary.fromCache++;
    else if (f.origin === 'dir') summary.fromDir++;
    if (f.origin === 'cache' && f.error !== undefined) summary.stale++;
  }
  const missing = files.filter((f) => f.status === 'missing');
  if (offline && missing.length > 0) {
    progress.log(`fetch: offline, ${missing.length} day${missing.length === 1 ? '' : 's'} not cached: ${formatDayRanges(missing.map((f) => f.day))}`);
  }
  progress.finish(summaryLine(summary));
  const remember = async (f: DayFile, st: { size: number; mtimeMs: number }, sha256: string) => {
    if (memo === null || f.path === undefined) throw new Error("remember: only a folder source's present files are hashed by the caller");
    await memo.remember(f.path, st, sha256);
    summary.hashed++;
    f.sha256 = sha256;
    f.size = st.size;
  };
  const markMissing = (f: DayFile, reason: string) => {
    if (f.status !== 'present' || f.origin !== 'dir') throw new Error("markMissing: only a folder source's present files are hashed by the caller");
    (opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`)))(`fetch: ${f.day}: missing: ${reason}`);
    summary.present--;
    summary.fromDir--;
    summary.missing++;
    for (const k of ['path', 'size', 'sha256'] as const) delete f[k];
    Object.assign(f, { status: 'missing', final: false, origin: 'none', error: reason } satisfies Partial<DayFile>);
  };
  return { files, summary, remember, markMissing };
}

/** `fetch: 30 days: 3 fetched, 2 revalidated, 20 from cache, 4 absent, 1 missing, 1.2 MB`. */
function summaryLine(s: SyncSummary): string {
  const parts = [
    `${s.fetched} fetched`,
    `${s.revalidated} revalidated`,
    `${s.fromCache} from cache${s.stale > 0 ? ` (${s.stale} stale)` : ''}`,
    ...(s.fromDir > 0 ? [`${s.fromDir} from folder`] : []),
    `${s.absent} absent`,
    `${s.missing} missing`,
    formatBytes(s.bytes),
  ];
  return `fetch: ${s.days} day${s.days === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

async function httpDay(baseUrl: string, day: Day, cache: ArchiveCache, ctx: HttpContext): Promise<DayFile> {
  const { client } = ctx;
  const cached = await cache.read(day);
  if (cached && isFinal(day, cached.meta.fetchedAsOf, ctx.finalityDays)) return fromCache(cached, ctx);
  if (ctx.offline) return cached ? fromCache(cached, ctx) : { day, status: 'missing', final: false, origin: 'none', error: 'offline and not cached' };
  if (client.stopReason !== null) {
    ctx.notRequested.add(day);
    return failed(day, cached, `not requested: ${client.stopReason}`, ctx, true);
  }

  try {
    const urls = [`${baseUrl}${day}`, `${baseUrl}${day}.json`];
    if (cached?.meta.url === urls[1]) urls.reverse();
    for (const url of urls) {
      const validators = cached?.meta.status === 200 && cached.meta.url === url ? cached.meta : undefined;
      const tmpPath = cache.tempPath(day);
      const r = await client.get({ url, tmpPath, validators, seed: url, completeLines: true });
      if (r.kind === 'not-found') continue;
      if (r.kind === 'failed') {
        if (r.stopped && r.attempts === 0) ctx.notRequested.add(day);
        else if (!r.stopped && ++ctx.failedDays >= ctx.stopAfterFailedDays) {
          client.stop(`${ctx.failedDays} consecutive days failed (last: ${day}: ${r.reason})`);
        }
        return failed(day, cached, r.reason, ctx, r.stopped === true && r.attempts === 0);
      }
      ctx.failedDays = 0;
      if (r.kind === 'body') {
        const meta: CacheMeta = {
          day,
          url,
          status: 200,
          etag: r.etag,
          lastModified: r.lastModified,
          sha256: r.sha256,
          size: r.size,
          fetchedAsOf: ctx.asOf,
        };
        const path = await cache.commitData(tmpPath, meta);
        return { day, status: 'present', path, sha256: r.sha256, size: r.size, final: isFinal(day, ctx.asOf, ctx.finalityDays), origin: 'network' };
      }
      // 304: only sent for the cached copy, so `cached` holds the data.
      const old = cached!.meta;
      const meta: CacheMeta = {
        ...old,
        etag: r.etag ?? old.etag,
        lastModified: r.lastModified ?? old.lastModified,
        fetchedAsOf: old.fetchedAsOf > ctx.asOf ? old.fetchedAsOf : ctx.asOf,
      };
      await cache.writeMeta(meta);
      return { ...fromCache({ ...cached!, meta }, ctx), origin: 'revalidated' };
    }
    const meta: CacheMeta = {
      day,
      url: `${baseUrl}${day}`,
      status: 404,
      etag: null,
      lastModified: null,
      sha256: null,
      size: null,
      fetchedAsOf: ctx.asOf,
    };
    await cache.commitAbsent(meta);
    return { day, status: 'absent', final: isFinal(day, ctx.asOf, ctx.finalityDays), origin: cached?.meta.status === 404 ? 'revalidated' : 'network' };
  } catch (e) {
    // Only local file errors get here (the client reports network failures as values).
    return failed(day, await cache.read(day).catch(() => null), `cache error: ${(e as Error).message}`, ctx);
  }
}

function fromCache(cached: CachedDay, ctx: Context): DayFile {
  const { meta } = cached;
  const final = isFinal(meta.day, meta.fetchedAsOf, ctx.finalityDays);
  if (meta.status === 404) return { day: meta.day, status: 'absent', final, origin: 'cache' };
  return { day: meta.day, status: 'present', path: cached.path!, sha256: meta.sha256!, size: meta.size!, final, origin: 'cache' };
}

/** A day the source did not deliver; `quiet` for days not requested, which are listed once at the end. */
function failed(day: Day, cached: CachedDay | null, reason: string, ctx: Context, quiet = false): DayFile {
  if (cached) {
    const error = `${reason}; using the cached copy fetched as of ${cached.meta.fetchedAsOf}`;
    if (!quiet) ctx.progress.log(`fetch: ${day}: ${error}`);
    return { ...fromCache(cached, ctx), error };
  }
  if (!quiet) ctx.progress.log(`fetch: ${day}: missing: ${reason}`);
  return { day, status: 'missing', final: false, origin: 'none', error: reason };
}

async function dirDay(dir: string, day: Day, memo: HashMemo, ctx: Context, hashLater: boolean): Promise<DayFile> {
  const final = isFinal(day, ctx.asOf, ctx.finalityDays);
  try {
    const e = await readDirDay(dir, day, memo, hashLater);
    if (e.status === 'absent') return { day, status: 'absent', final, origin: 'dir' };
    const f: DayFile = { day, status: 'present', path: e.path, size: e.size, final, origin: 'dir' };
    if (e.sha256 !== null) f.sha256 = e.sha256;
    return f;
  } catch (e) {
    const reason = (e as Error).message;
    ctx.progress.log(`fetch: ${day}: missing: ${reason}`);
    return { day, status: 'missing', final: false, origin: 'none', error: reason };
  }
}

/** Runs `fn` over `items` with at most `n` calls pending; results keep the input order. */
async function runPool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

function checkOptions(opts: SyncOptions) {
  const int = (name: string, v: number | undefined, dflt: number, min: number, max: number): number => {
    const x = v ?? dflt;
    if (!Number.isInteger(x) || x < min || x > max) throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${x}`);
    return x;
  };
  const src = opts.source;
  if (src.kind === 'http') {
    const parsed = parseSource(src.baseUrl);
    if (typeof parsed === 'string' || parsed.kind !== 'http' || parsed.baseUrl !== src.baseUrl) {
      throw new TypeError(`source.baseUrl must be an http(s) URL ending in "/": ${src.baseUrl}`);
    }
  } else if (src.kind !== 'dir' || typeof src.dir !== 'string' || src.dir === '') {
    throw new TypeError('source must be { kind: "http", baseUrl } or { kind: "dir", dir }');
  }
  const bad = opts.days.filter((d) => !isDay(d));
  if (bad.length > 0) throw new RangeError(`not calendar days: ${bad.slice(0, 5).join(', ')}`);
  if (!isDay(opts.asOf)) throw new RangeError(`asOf is not a calendar day: ${opts.asOf}`);
  if (typeof opts.cacheDir !== 'string' || opts.cacheDir === '') throw new TypeError('cacheDir is required');
  const concurrency = int('concurrency', opts.concurrency, 4, 1, 64);
  return {
    finalityDays: int('finalityDays', opts.finalityDays, 10, 0, 10_000),
    concurrency,
    maxAttempts: int('maxAttempts', opts.maxAttempts, 5, 1, 20),
    timeoutMs: int('timeoutMs', opts.timeoutMs, 30_000, 1, 3_600_000),
    deadlineMs: int('deadlineMs', opts.deadlineMs, 120_000, 1, 3_600_000),
    backoffBaseMs: int('backoffBaseMs', opts.backoffBaseMs, 500, 0, 600_000),
    stopAfterConnectFailures: int('stopAfterConnectFailures', opts.stopAfterConnectFailures, 3, 1, 1000),
    stopAfterFailedDays: int('stopAfterFailedDays', opts.stopAfterFailedDays, Math.max(8, 2 * concurrency), 1, 100_000),
  };
}
