import { readdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/fetch/http.ts';
import type { Source } from '../../src/fetch/source.ts';
import { createRng } from '../../src/lib/random.ts';
import { sha256, sync, useTestServer } from './helpers.ts';
import { dayBody, type Fault, type TestServer } from './server.ts';
import { toDay } from '../../src/lib/dates.ts';

let server: TestServer;
let source: Source;
let cacheDir: string;
useTestServer(
  (c) => ({ server, source, cacheDir } = c),
  (s) => {
    s.slowMs = 1000;
  },
);

const DAY = toDay('2024-03-01');
const LATE = toDay('2024-04-30');
const EARLY = toDay('2024-03-02');
// Large enough that half a body is a real partial write.
const BODY = dayBody(DAY, 2000);

describe('retries', () => {
  const recovered: [Fault[], RegExp][] = [
    [['status500', 'status500'], /HTTP 500/],
    [['status503-retry-after-0'], /HTTP 503/],
    [['status429'], /HTTP 429/],
    [['reset'], /network error/],
    [['resetMidBody'], new RegExp(`truncated body: \\d+ of ${BODY.length} bytes`)],
    [['slowHeaders'], /timeout: no response for 200 ms/],
    [['stallBody'], /timeout: no data for 200 ms/],
    [['shortBody'], new RegExp(`truncated body: ${BODY.length} of ${BODY.length + 100} bytes`)],
    [['chunkedEarlyClose'], /truncated body: connection closed after \d+ bytes/],
    [['noLengthCut'], /truncated body: \d+ bytes, the last line has no newline/],
    [['brokenGzip'], /broken gzip body: /],
    [['status503-retry-after-0', 'status503'], /HTTP 503/],
  ];
  it.each(recovered)('recovers from %j', async (faults, logged) => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, [...faults]);
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE, timeoutMs: 200 });
    expect(r.files[0]).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(BODY), size: BODY.length });
    expect(r.files[0]!.error).toBeUndefined();
    expect(sha256(await readFile(r.files[0]!.path!))).toBe(sha256(BODY));
    expect(server.count(DAY)).toBe(faults.length + 1);
    expect(r.summary.requests).toBe(faults.length + 1);
    expect(r.log.filter((l) => l.includes('retry'))).toHaveLength(faults.length);
    expect(r.log.find((l) => l.includes('retry'))).toMatch(logged);
    // Failed attempts leave no temp files.
    expect((await readdir(dirname(r.files[0]!.path!))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('gives up after maxAttempts: the day is missing with the reason, and the other days are fine', async () => {
    server.files.set(DAY, { body: BODY });
    server.files.set(toDay('2024-03-02'), { body: dayBody(toDay('2024-03-02')) });
    server.faults.set(DAY, Array<Fault>(10).fill('status500'));
    const r = await sync({ source, days: [DAY, toDay('2024-03-02')], cacheDir, asOf: LATE, maxAttempts: 3 });
    expect(server.count(DAY)).toBe(3);
    expect(r.files[0]).toMatchObject({ day: DAY, status: 'missing', origin: 'none', final: false, error: 'HTTP 500 Internal Server Error (after 3 attempts)' });
    expect(r.files[1]).toMatchObject({ status: 'present' });
    expect(r.summary).toMatchObject({ present: 1, missing: 1 });
    expect(r.log).toContain(`fetch: ${DAY}: missing: HTTP 500 Internal Server Error (after 3 attempts)`);
    // Nothing was cached for the failed day: a later run asks again.
    server.faults.clear();
    const again = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(again.files[0]).toMatchObject({ status: 'present', origin: 'network' });
  });

  it('does not retry other 4xx errors, and does not try the .json name after them', async () => {
    server.files.set(DAY, { body: BODY });
    server.faults.set(DAY, ['status403']);
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(server.requests.map((q) => q.name)).toEqual([DAY]);
    expect(r.files[0]).toMatchObject({ status: 'missing', error: 'HTTP 403 Forbidden (not retried)' });
  });

  it('falls back to a stale cached copy when the server keeps failing, and says so', async () => {
    server.files.set(DAY, { body: BODY, etag: '"v1"' });
    const first = await sync({ source, days: [DAY], cacheDir, asOf: EARLY });
    server.faults.set(DAY, Array<Fault>(10).fill('reset'));
    const r = await sync({ source, days: [DAY], cacheDir, asOf: toDay('2024-03-03'), maxAttempts: 2 });
    expect(r.files[0]).toMatchObject({ status: 'present', origin: 'cache', final: false, sha256: first.files[0]!.sha256, path: first.files[0]!.path });
    expect(r.files[0]!.error).toMatch(/^network error: .*\(after 2 attempts\); using the cached copy fetched as of 2024-03-02$/);
    expect(r.summary).toMatchObject({ fromCache: 1, stale: 1, missing: 0 });
    expect(r.log.at(-1)).toContain('1 from cache (1 stale)');
  });

  it('backoff doubles per attempt with jitter from the seeded generator only', () => {
    const delays = [1, 2, 3, 4].map((a) => backoffDelay(100, a, createRng(`x ${a}`)));
    const again = [1, 2, 3, 4].map((a) => backoffDelay(100, a, createRng(`x ${a}`)));
    expect(delays).toEqual(again);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(d).toBeLessThanOrEqual(100 * 2 ** i);
    });
    expect(backoffDelay(100, 30, createRng(1), 1000)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(10, 1, createRng(1), 1000, 5000)).toBe(5000);
  });
});
