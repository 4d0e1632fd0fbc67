/**
 * Sources that fail for good: bodies cut short, redirects off the origin,
 * servers that refuse or keep failing, trickles, broken encodings. Each case
 * ends either identical to a clean fetch or with the days reported missing
 * with a reason, and never with a partial file in the cache.
 */
import http from 'node:http';
import net from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheNameFor } from '../../src/fetch/cache.ts';
import { HttpClient, isConnectError, parseRetryAfter, redirectAllowed, RETRY_AFTER_MAX_MS } from '../../src/fetch/http.ts';
import type { Source, SyncResult } from '../../src/fetch/source.ts';
import { dayRange, toDay } from '../../src/lib/dates.ts';
import { byDay, sha256, sync, tempDir, useTestServer } from './helpers.ts';
import { dayBody, type Fault, type TestServer } from './server.ts';

let server: TestServer;
let source: Source;
let cacheDir: string;
useTestServer((c) => ({ server, source, cacheDir } = c));

const DAY = toDay('2024-03-01');
const EARLY = toDay('2024-03-02'); // DAY is not final as of this
const LATE = toDay('2024-04-30'); // every March day is final as of this
const BODY = dayBody(DAY, 2000); // about 130 kB
const MONTH = dayRange(toDay('2024-03-01'), toDay('2024-03-30'));

/** The names in the cache folder of `baseUrl` (none when it was never created). */
async function cacheEntries(baseUrl: string): Promise<string[]> {
  return (await readdir(join(cacheDir, 'archive', cacheNameFor(baseUrl))).catch(() => [])).sort();
}

/** The day is missing with `reason` and nothing of it (data, meta or temp file) is in the cache. */
async function expectMissingAndUncached(r: SyncResult, day: string, reason: RegExp, baseUrl = server.baseUrl): Promise<void> {
  const f = byDay(r.files).get(day);
  expect(f).toMatchObject({ status: 'missing', origin: 'none', final: false });
  expect(f!.error).toMatch(reason);
  expect(f!.path).toBeUndefined();
  expect((await cacheEntries(baseUrl)).filter((n) => n.startsWith(day))).toEqual([]);
}

/** A port on 127.0.0.1 with nothing listening. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A TCP listener that counts the connections it is offered and answers none. */
async function countingListener(host: string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const s = net.createServer((sock) => {
    n++;
    sock.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, resolve);
  });
  return { port: (s.address() as net.AddressInfo).port, connections: () => n, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

describe('only complete bodies are cached', () => {
  it.each<Fault>(['chunkedEarlyClose', 'noLengthCut'])(
    'a body without Content-Length cut short on every attempt (%s): missing, nothing cached, and a clean run fetches the whole file',
    async (fault) => {
      server.files.set(DAY, { body: BODY });
      server.faults.set(DAY, Array<Fault>(3).fill(fault));
      const bad = await sync({ source, days: [DAY], cacheDir, asOf: LATE, maxAttempts: 3 });
      await expectMissingAndUncached(bad, DAY, /^truncated body: .+ \(after 3 attempts\)$/);
      expect(server.requests.map((q) => q.name)).toEqual([DAY, DAY, DAY]);
      expect(bad.summary).toMatchObject({ missing: 1, present: 0, bytes: 0, stopped: null });

      // Nothing from the bad run is reused: offline there is nothing, online the day is fetched again.
      const offline = await sync({ source, days: [DAY], cacheDir, asOf: LATE, offline: true });
      expect(offline.files[0]).toMatchObject({ status: 'missing', error: 'offline and not cached' });
      server.resetCounts();
      const clean = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
      expect(server.requests.map((q) => q.name)).toEqual([DAY]);
      expect(clean.files[0]).toMatchObject({ status: 'present', origin: 'network', final: true, size: BODY.length, sha256: sha256(BODY) });
      expect((await readFile(clean.files[0]!.path!)).equals(BODY)).toBe(true);
      expect(await cacheEntries(server.baseUrl)).toEqual([`${DAY}.meta.json`, `${DAY}.ndjson`]);
    },
  );

  it('a connection-framed body cut mid-line is retried; a whole one is accepted', async () => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, ['noLengthCut', 'noLength']);
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(r.files[0]).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(BODY), size: BODY.length });
    expect(r.files[0]!.error).toBeUndefined();
    expect(server.count(DAY)).toBe(2);
    const retries = r.log.filter((l) => l.includes('retry'));
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(/: truncated body: \d+ bytes, the last line has no newline; retry 1\/4 in \d+ ms$/);
  });

  it('an empty 200 is a day without reports when its length is declared, a truncated body when the connection just closes', async () => {
    server.files.set(DAY, { body: Buffer.alloc(0) });
    const declared = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(declared.files[0]).toMatchObject({ status: 'present', origin: 'network', size: 0, sha256: sha256(Buffer.alloc(0)) });

    const other = toDay('2024-03-02');
    server.files.set(other, { body: Buffer.alloc(0) });
    server.always = 'noLength';
    const closed = await sync({ source, days: [other], cacheDir, asOf: LATE, maxAttempts: 2 });
    await expectMissingAndUncached(closed, other, /^truncated body: empty, without Content-Length \(after 2 attempts\)$/);
  });
});

describe('redirects stay on the source origin', () => {
  it('a redirect to another host or port fails naming its target, is not retried, and the target sees no connection', async () => {
    const offHost = await countingListener('127.0.0.2');
    const otherPort = await countingListener('127.0.0.1');
    try {
      const [d1, d2, d3] = [toDay('2024-03-01'), toDay('2024-03-02'), toDay('2024-03-03')];
      const t1 = `http://127.0.0.2:${offHost.port}/data/${d1}`;
      const t2 = `http://127.0.0.1:${otherPort.port}/data/${d2}`;
      server.files.set(d1, { body: Buffer.alloc(0), redirectTo: t1 });
      server.files.set(d2, { body: Buffer.alloc(0), redirectTo: t2 });
      server.files.set(d3, { body: Buffer.alloc(0), redirectTo: `${server.baseUrl}blob-3` }); // same origin, absolute
      server.files.set('blob-3', { body: dayBody(d3) });
      const r = await sync({ source, days: [d1, d2, d3], cacheDir, asOf: LATE });
      await expectMissingAndUncached(
        r,
        d1,
        new RegExp(`^redirect to another origin: ${t1.replace(/\./g, '\\.')} \\(from ${server.baseUrl}${d1}\\), not followed \\(not retried\\)$`),
      );
      await expectMissingAndUncached(
        r,
        d2,
        new RegExp(`^redirect to another origin: ${t2.replace(/\./g, '\\.')} \\(from ${server.baseUrl}${d2}\\), not followed \\(not retried\\)$`),
      );
      expect(byDay(r.files).get(d3)).toMatchObject({ status: 'present', sha256: sha256(dayBody(d3)) });
      // One request each, no retry and no try of the .json name.
      expect(server.requests.map((q) => q.name).sort()).toEqual([d1, d2, d3, 'blob-3']);
      expect(offHost.connections()).toBe(0);
      expect(otherPort.connections()).toBe(0);
    } finally {
      await offHost.close();
      await otherPort.close();
    }
  });

  it('origin rule: same scheme, host and port, or http to https on the same host with default ports', () => {
    const ok = (from: string, to: string) => redirectAllowed(new URL(from), new URL(to));
    expect(ok('http://a.example/data/x', 'http://a.example/blobs/y')).toBe(true);
    expect(ok('http://a.example/data/x', 'https://a.example/data/x')).toBe(true);
    expect(ok('http://a.example:80/data/x', 'https://a.example:443/data/x')).toBe(true); // default ports, spelled out
    expect(ok('https://a.example:8443/data/x', 'https://a.example:8443/y')).toBe(true);
    expect(ok('https://a.example/data/x', 'http://a.example/data/x')).toBe(false); // downgrade
    expect(ok('http://a.example/data/x', 'http://a.example:8080/data/x')).toBe(false);
    expect(ok('http://a.example:8080/data/x', 'https://a.example/data/x')).toBe(false);
    expect(ok('http://a.example/data/x', 'https://b.a.example/data/x')).toBe(false);
    expect(ok('https://a.example/data/x', 'https://a.example.evil.test/data/x')).toBe(false);
  });
});

describe('a dead source fails fast', () => {
  it('connection refused: a few attempts for the whole run, every day missing with the reason, with the default backoff', async () => {
    const port = await freePort();
    const refused: Source = { kind: 'http', baseUrl: `http://127.0.0.1:${port}/data/` };
    const t0 = performance.now();
    const r = await sync({ source: refused, days: MONTH, cacheDir, asOf: LATE, concurrency: 4, backoffBaseMs: 500 });
    const ms = performance.now() - t0;
    console.log(`connection refused, 30 days, concurrency 4, default backoff: ${r.summary.requests} attempts, ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(r.summary.requests).toBeGreaterThanOrEqual(3);
    expect(r.summary.requests).toBeLessThanOrEqual(3 + 4 - 1);
    const stop = `cannot connect to http://127.0.0.1:${port} (network error: ECONNREFUSED, 3 consecutive attempts)`;
    expect(r.summary).toMatchObject({ missing: 30, present: 0, stopped: stop });
    expect(r.summary.notRequested).toBeGreaterThanOrEqual(30 - 4);
    for (const f of r.files) {
      expect(f).toMatchObject({ status: 'missing', origin: 'none' });
      expect(f.error).toMatch(/^(network error: ECONNREFUSED \(after [12] attempts?\)(; stopped: .*)?|not requested: .*)$/);
    }
    expect(r.files.filter((f) => f.error === `not requested: ${stop}`)).toHaveLength(r.summary.notRequested);
    const stopLines = r.log.filter((l) => l.startsWith('fetch: stopped early: '));
    expect(stopLines).toHaveLength(1);
    expect(stopLines[0]!.startsWith(`fetch: stopped early: ${stop}; ${r.summary.notRequested} days not requested: `)).toBe(true);
    expect(stopLines[0]).toMatch(/2024-03-30$/);
    // Days not requested are listed once, not one line each.
    expect(r.log.filter((l) => l.includes('missing: not requested'))).toEqual([]);
    expect(await cacheEntries(refused.baseUrl)).toEqual([]);
  });

  it('connection refused with one download at a time: exactly 3 attempts; a cached recent day is used stale and says why', async () => {
    // The source answered once (the day is cached, not final), then went away.
    const live = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    });
    await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
    const port = (live.address() as net.AddressInfo).port;
    const gone: Source = { kind: 'http', baseUrl: `http://127.0.0.1:${port}/data/` };
    const first = await sync({ source: gone, days: [DAY], cacheDir, asOf: EARLY });
    expect(first.files[0]).toMatchObject({ status: 'present', final: false });
    live.closeAllConnections();
    await new Promise<void>((resolve) => live.close(() => resolve()));

    const days = dayRange(toDay('2024-03-01'), toDay('2024-03-10'));
    const r = await sync({ source: gone, days, cacheDir, asOf: toDay('2024-03-11'), concurrency: 1 });
    expect(r.summary.requests).toBe(3);
    const stop = `cannot connect to http://127.0.0.1:${port} (network error: ECONNREFUSED, 3 consecutive attempts)`;
    const f = byDay(r.files);
    // The cached day is asked first; its third attempt stops the run.
    expect(f.get(DAY)).toMatchObject({ status: 'present', origin: 'cache', final: false, sha256: sha256(BODY) });
    expect(f.get(DAY)!.error).toBe(`network error: ECONNREFUSED (after 3 attempts); stopped: ${stop}; using the cached copy fetched as of ${EARLY}`);
    for (const d of days.slice(1)) expect(f.get(d)).toMatchObject({ status: 'missing', error: `not requested: ${stop}` });
    expect(r.summary).toMatchObject({ present: 1, stale: 1, missing: 9, notRequested: 9, stopped: stop });
    expect(r.log).toContain(`fetch: stopped early: ${stop}; 9 days not requested: 2024-03-02..2024-03-10`);
  });

  describe('name resolution (through the client lookup hook, so no name server is asked)', () => {
    const notFound = (host: string) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const client = (lookup: net.LookupFunction) =>
      new HttpClient({ maxSockets: 2, maxAttempts: 5, timeoutMs: 150, backoffBaseMs: 5, unreachableAfter: 3, lookup });

    it('a name that does not resolve: 3 attempts in total, then no request at all', async () => {
      let lookups = 0;
      const c = client((host, _opts, cb) => {
        lookups++;
        cb(notFound(host), '', 4);
      });
      const { dir, cleanup } = await tempDir();
      try {
        const stop = 'cannot connect to http://archive.invalid (network error: ENOTFOUND, 3 consecutive attempts)';
        const a = await c.get({ url: 'http://archive.invalid/data/2024-03-01', tmpPath: join(dir, 'a'), seed: 'a', completeLines: true });
        expect(a).toEqual({ kind: 'failed', attempts: 3, stopped: true, reason: `network error: ENOTFOUND (after 3 attempts); stopped: ${stop}` });
        const b = await c.get({ url: 'http://archive.invalid/data/2024-03-02', tmpPath: join(dir, 'b'), seed: 'b', completeLines: true });
        expect(b).toEqual({ kind: 'failed', attempts: 0, stopped: true, reason: `not requested: ${stop}` });
        expect(lookups).toBe(3);
        expect(c.requests).toBe(3);
        expect(c.stopReason).toBe(stop);
        expect(await readdir(dir)).toEqual([]);
      } finally {
        c.close();
        await cleanup();
      }
    });

    it('a lookup that never answers is a connect timeout and counts the same', async () => {
      const c = client(() => {});
      const { dir, cleanup } = await tempDir();
      try {
        const t0 = performance.now();
        const r = await c.get({ url: 'http://archive.invalid/data/2024-03-01', tmpPath: join(dir, 'a'), seed: 'a' });
        expect(r).toMatchObject({ kind: 'failed', attempts: 3, stopped: true });
        expect(r.kind === 'failed' && r.reason).toBe(
          'timeout: no connection for 150 ms (after 3 attempts); stopped: cannot connect to http://archive.invalid (timeout: no connection for 150 ms, 3 consecutive attempts)',
        );
        expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 150 - 5);
      } finally {
        c.close();
        await cleanup();
      }
    });

    it('only consecutive failures count: an attempt that reaches the server starts the count again', async () => {
      server.files.set(DAY, { body: BODY });
      const port = new URL(server.baseUrl).port;
      let lookups = 0;
      const lookup: net.LookupFunction = (host, opts, cb) => {
        // Every lookup fails but the third.
        if (++lookups !== 3) return cb(notFound(host), '', 4);
        if (opts.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        else cb(null, '127.0.0.1', 4);
      };
      const c = new HttpClient({ maxSockets: 2, maxAttempts: 2, timeoutMs: 150, backoffBaseMs: 5, unreachableAfter: 3, lookup });
      const { dir, cleanup } = await tempDir();
      try {
        const get = (host: string, seed: string) => c.get({ url: `http://${host}:${port}/data/${DAY}`, tmpPath: join(dir, seed), seed, completeLines: true });
        expect(await get('archive.test', 'a')).toMatchObject({ kind: 'failed', attempts: 2, reason: 'network error: ENOTFOUND (after 2 attempts)' });
        expect(await get('archive.test', 'b')).toMatchObject({ kind: 'body', attempts: 1, size: BODY.length, sha256: sha256(BODY) });
        // A new host name needs a new connection, and its lookups fail again: 2 in a row, not 4.
        expect(await get('mirror.test', 'c')).toMatchObject({ kind: 'failed', attempts: 2, reason: 'network error: ENOTFOUND (after 2 attempts)' });
        expect(lookups).toBe(5);
        expect(c.stopReason).toBeNull();
        // One more makes 3 in a row.
        expect(await get('mirror.test', 'd')).toMatchObject({ kind: 'failed', attempts: 1, stopped: true });
        expect(c.stopReason).toBe(`cannot connect to http://mirror.test:${port} (network error: ENOTFOUND, 3 consecutive attempts)`);
      } finally {
        c.close();
        await cleanup();
      }
    });
  });

  it('DNS failures and unreachable networks count as failures to connect; resets do not', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) expect(isConnectError(code)).toBe(true);
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', undefined]) expect(isConnectError(code)).toBe(false);
  });

  it('always 503: the run stops after 8 consecutive failed days, every day is missing with the reason, nothing is cached', async () => {
    server.always = 'status503';
    for (const d of MONTH) server.files.set(d, { body: dayBody(d) });
    const t0 = performance.now();
    const r = await sync({ source, days: MONTH, cacheDir, asOf: LATE, concurrency: 2, maxAttempts: 3 });
    const ms = performance.now() - t0;
    console.log(`always 503, 30 days, concurrency 2, 3 attempts, test backoff: ${server.count()} requests, ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(r.summary.stopped).toMatch(/^8 consecutive days failed \(last: 2024-03-\d\d: HTTP 503 Service Unavailable \(after 3 attempts\)\)$/);
    expect(r.summary).toMatchObject({ missing: 30, present: 0 });
    // 8 days of 3 attempts, plus at most the attempts of the one other day in flight.
    expect(server.count()).toBeGreaterThanOrEqual(8 * 3);
    expect(server.count()).toBeLessThanOrEqual(8 * 3 + 3);
    expect(r.summary.requests).toBe(server.count());
    expect(r.summary.notRequested).toBeGreaterThanOrEqual(30 - 9);
    for (const f of r.files) {
      expect(f).toMatchObject({ status: 'missing', origin: 'none', final: false });
      expect(f.error).toMatch(
        /^(HTTP 503 Service Unavailable \(after [123] attempts?\)(; stopped: 8 consecutive days failed .*)?|not requested: 8 consecutive days failed .*)$/,
      );
    }
    expect(await cacheEntries(server.baseUrl)).toEqual([]);
  });

  it('days that fail between answered days never stop the run', async () => {
    const days = dayRange(toDay('2024-03-01'), toDay('2024-03-20'));
    for (const [i, d] of days.entries()) {
      server.files.set(d, { body: dayBody(d) });
      if (i % 2 === 1) server.faults.set(d, Array<Fault>(2).fill('status503'));
    }
    const r = await sync({ source, days, cacheDir, asOf: LATE, concurrency: 1, maxAttempts: 2, stopAfterFailedDays: 2 });
    expect(r.summary).toMatchObject({ present: 10, missing: 10, stopped: null, notRequested: 0 });
    expect(r.files.filter((f) => f.status === 'missing').map((f) => f.error)).toEqual(Array(10).fill('HTTP 503 Service Unavailable (after 2 attempts)'));
  });

  it('always 403 (not retried): one request per day until 8 days in a row have failed', async () => {
    server.always = 'status403';
    const r = await sync({ source, days: MONTH, cacheDir, asOf: LATE, concurrency: 1 });
    expect(server.count()).toBe(8);
    expect(r.summary).toMatchObject({
      missing: 30,
      notRequested: 22,
      stopped: '8 consecutive days failed (last: 2024-03-08: HTTP 403 Forbidden (not retried))',
    });
  });
});

describe('deadlines, Retry-After and encodings', () => {
  it('a trickle that never idles long enough for the idle timeout fails at the overall deadline, then a retry succeeds', async () => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, ['slowTrickle']);
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE, timeoutMs: 300, deadlineMs: 400 });
    expect(r.files[0]).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(BODY), size: BODY.length });
    expect(r.log.find((l) => l.includes('retry'))).toMatch(/: deadline: not complete after 400 ms \(\d+ bytes received\); retry 1\/4/);
  });

  it('a trickle on every attempt: missing with the deadline as reason, after about attempts x deadline, nothing cached', async () => {
    server.files.set(DAY, { body: BODY });
    server.always = 'slowTrickle';
    const t0 = performance.now();
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE, timeoutMs: 300, deadlineMs: 400, maxAttempts: 2 });
    const ms = performance.now() - t0;
    await expectMissingAndUncached(r, DAY, /^deadline: not complete after 400 ms \(\d+ bytes received\) \(after 2 attempts\)$/);
    expect(ms).toBeGreaterThanOrEqual(800);
    expect(ms).toBeLessThan(4000);
  });

  it('waits as long as a Retry-After date asks', async () => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, ['status503-retry-after-date']);
    server.retryAfterMs = 2000; // the date has whole seconds: the wait is 1 to 2 s
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(r.files[0]).toMatchObject({ status: 'present', sha256: sha256(BODY) });
    const delay = Number(/retry 1\/4 in (\d+) ms$/.exec(r.log.find((l) => l.includes('retry'))!)![1]);
    expect(delay).toBeGreaterThanOrEqual(500); // far above the 5 ms test backoff
    expect(delay).toBeLessThanOrEqual(2000);
    const [a, b] = server.requests;
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(delay - 20);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a minute', () => {
    const now = Date.parse('2024-03-01T12:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(RETRY_AFTER_MAX_MS);
    expect(RETRY_AFTER_MAX_MS).toBe(60_000);
    expect(parseRetryAfter('Fri, 01 Mar 2024 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Friday, 01-Mar-24 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 01 Mar 2024 13:00:00 GMT', now)).toBe(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter('Fri, 01 Mar 2024 11:00:00 GMT', now)).toBe(0);
    for (const bad of [null, '', 'soon', '1.5', '-3']) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });

  it('a corrupt gzip body is named as such, retried, and never cached', async () => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, ['brokenGzip']);
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(r.files[0]).toMatchObject({ status: 'present', sha256: sha256(BODY) });
    const retry = r.log.find((l) => l.includes('retry'))!;
    expect(retry).toMatch(/: broken gzip body: [a-z]/);
    expect(retry).not.toMatch(/truncated/);

    const other = toDay('2024-03-02');
    server.files.set(other, { body: dayBody(other, 2000) });
    server.always = 'brokenGzip';
    const bad = await sync({ source, days: [other], cacheDir, asOf: LATE, maxAttempts: 2 });
    await expectMissingAndUncached(bad, other, /^broken gzip body: .+ \(after 2 attempts\)$/);
  });
});
