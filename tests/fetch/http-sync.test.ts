import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dayRange, toDay } from '../../src/lib/dates.ts';
import type { Source } from '../../src/fetch/source.ts';
import { byDay, sha256, sync, tempDir, useTestServer } from './helpers.ts';
import { dayBody, type TestServer } from './server.ts';

let server: TestServer;
let source: Source;
let cacheDir: string;
useTestServer(
  (c) => ({ server, source, cacheDir } = c),
  (s) => {
    s.delayMs = 0;
  },
);

const days = dayRange(toDay('2024-03-01'), toDay('2024-03-05'));
const LATE = toDay('2024-04-30'); // every day above is final as of this
const EARLY = toDay('2024-03-06'); // none is

describe('fetch over HTTP', () => {
  it('downloads each day once, then serves final days from the cache without a request', async () => {
    for (const d of days) server.files.set(d, { body: dayBody(d) });
    const first = await sync({ source, days, cacheDir, asOf: LATE });
    expect(first.files.map((f) => [f.day, f.status, f.origin, f.final])).toEqual(days.map((d) => [d, 'present', 'network', true]));
    for (const f of first.files) {
      const expected = dayBody(f.day);
      expect(await readFile(f.path!)).toEqual(expected);
      expect(f.sha256).toBe(sha256(expected));
      expect(f.size).toBe(expected.length);
    }
    expect(server.count()).toBe(days.length);
    expect(first.summary).toMatchObject({ days: 5, present: 5, fetched: 5, requests: 5, bytes: days.reduce((n, d) => n + dayBody(d).length, 0) });
    expect(first.log.at(-1)).toMatch(/^fetch: 5 days: 5 fetched, 0 revalidated, 0 from cache, 0 absent, 0 missing, \d+ B$/);

    server.resetCounts();
    const second = await sync({ source, days, cacheDir, asOf: LATE });
    expect(server.count()).toBe(0);
    expect(second.files.map((f) => [f.status, f.origin, f.final, f.sha256])).toEqual(first.files.map((f) => ['present', 'cache', true, f.sha256]));
    expect(second.summary).toMatchObject({ fromCache: 5, requests: 0, bytes: 0 });
    // No temp files are left behind.
    const cacheFiles = await readdir(first.files[0]!.path!.replace(/\/[^/]+$/, ''));
    expect(cacheFiles.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(cacheFiles.filter((n) => n.endsWith('.meta.json'))).toHaveLength(5);
  });

  it('revalidates recent days with If-None-Match and keeps them on 304', async () => {
    for (const d of days) server.files.set(d, { body: dayBody(d), etag: `"e-${d}"` });
    const first = await sync({ source, days, cacheDir, asOf: EARLY });
    expect(first.files.every((f) => !f.final && f.origin === 'network')).toBe(true);

    server.resetCounts();
    const second = await sync({ source, days, cacheDir, asOf: EARLY });
    expect(server.count()).toBe(5);
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual(expect.arrayContaining(days.map((d) => `"e-${d}"`)));
    expect(server.requests.every((r) => r.status === 304)).toBe(true);
    expect(second.files.map((f) => [f.origin, f.sha256])).toEqual(first.files.map((f) => ['revalidated', f.sha256]));
    expect(second.summary).toMatchObject({ revalidated: 5, bytes: 0 });

    // Revalidated when final: the copy is final from then on and needs no more requests.
    await sync({ source, days, cacheDir, asOf: LATE });
    server.resetCounts();
    const fourth = await sync({ source, days, cacheDir, asOf: LATE });
    expect(server.count()).toBe(0);
    expect(fourth.files.every((f) => f.final && f.origin === 'cache')).toBe(true);
  });

  it('revalidates with If-Modified-Since when there is no ETag, and replaces a changed file', async () => {
    const lm = 'Wed, 06 Mar 2024 10:00:00 GMT';
    for (const d of days) server.files.set(d, { body: dayBody(d), lastModified: lm });
    await sync({ source, days, cacheDir, asOf: EARLY });

    // A late upload grows the file of one day.
    const grown = dayBody(toDay('2024-03-04'), 5, 2);
    server.files.set(toDay('2024-03-04'), { body: grown, lastModified: 'Thu, 07 Mar 2024 10:00:00 GMT' });
    server.resetCounts();
    const r = await sync({ source, days, cacheDir, asOf: toDay('2024-03-07') });
    expect(server.requests.map((q) => q.headers['if-modified-since'])).toEqual(days.map(() => lm));
    expect(server.requests.map((q) => q.headers['if-none-match'])).toEqual(days.map(() => undefined));
    const f = byDay(r.files);
    expect(f.get(toDay('2024-03-04'))).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(grown), size: grown.length });
    expect(await readFile(f.get(toDay('2024-03-04'))!.path!)).toEqual(grown);
    expect(f.get(toDay('2024-03-03'))!.origin).toBe('revalidated');
    expect(r.summary).toMatchObject({ fetched: 1, revalidated: 4, bytes: grown.length });

    // The replaced file's new validators are used next time.
    server.resetCounts();
    await sync({ source, days: [toDay('2024-03-04')], cacheDir, asOf: toDay('2024-03-08') });
    expect(server.requests[0]?.headers['if-modified-since']).toBe('Thu, 07 Mar 2024 10:00:00 GMT');
    expect(server.requests[0]?.status).toBe(304);
  });

  it('a cached day that is now 404 becomes absent', async () => {
    server.files.set(toDay('2024-03-01'), { body: dayBody(toDay('2024-03-01')), etag: '"x"' });
    const first = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: EARLY });
    const path = first.files[0]!.path!;
    server.files.clear();
    const r = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: EARLY });
    expect(r.files[0]).toMatchObject({ status: 'absent', origin: 'network' });
    await expect(readFile(path)).rejects.toThrow();
  });

  it('records 404 days as absent, trying the .json suffix first', async () => {
    server.files.set(toDay('2024-03-01'), { body: dayBody(toDay('2024-03-01')) });
    server.files.set('2024-03-02.json', { body: dayBody(toDay('2024-03-02')) });
    const r = await sync({ source, days: [toDay('2024-03-01'), toDay('2024-03-02'), toDay('2024-03-03')], cacheDir, asOf: LATE });
    const f = byDay(r.files);
    expect(f.get(toDay('2024-03-01'))).toMatchObject({ status: 'present', origin: 'network' });
    expect(f.get(toDay('2024-03-02'))).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(dayBody(toDay('2024-03-02'))) });
    expect(f.get(toDay('2024-03-03'))).toMatchObject({ status: 'absent', origin: 'network', final: true });
    expect(f.get(toDay('2024-03-03'))!.path).toBeUndefined();
    expect(server.requests.map((q) => q.name).sort()).toEqual([
      toDay('2024-03-01'),
      toDay('2024-03-02'),
      '2024-03-02.json',
      toDay('2024-03-03'),
      '2024-03-03.json',
    ]);
    expect(r.summary).toMatchObject({ present: 2, absent: 1, missing: 0 });

    // Final absent days are cached too.
    server.resetCounts();
    const again = await sync({ source, days: [toDay('2024-03-01'), toDay('2024-03-02'), toDay('2024-03-03')], cacheDir, asOf: LATE });
    expect(server.count()).toBe(0);
    expect(byDay(again.files).get(toDay('2024-03-03'))).toMatchObject({ status: 'absent', origin: 'cache', final: true });
  });

  it('re-asks recent absent days (a 404 can turn into a file), and asks the known .json URL first', async () => {
    server.files.set('2024-03-02.json', { body: dayBody(toDay('2024-03-02')), etag: '"j"' });
    await sync({ source, days: [toDay('2024-03-01'), toDay('2024-03-02')], cacheDir, asOf: EARLY });

    server.resetCounts();
    const r = await sync({ source, days: [toDay('2024-03-01'), toDay('2024-03-02')], cacheDir, asOf: EARLY });
    expect(byDay(r.files).get(toDay('2024-03-01'))).toMatchObject({ status: 'absent', origin: 'revalidated', final: false });
    expect(byDay(r.files).get(toDay('2024-03-02'))).toMatchObject({ status: 'present', origin: 'revalidated' });
    expect(server.requests.filter((q) => q.name.startsWith(toDay('2024-03-02'))).map((q) => [q.name, q.status])).toEqual([['2024-03-02.json', 304]]);

    server.files.set(toDay('2024-03-01'), { body: dayBody(toDay('2024-03-01')) });
    const r2 = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: EARLY });
    expect(r2.files[0]).toMatchObject({ status: 'present', origin: 'network', sha256: sha256(dayBody(toDay('2024-03-01'))) });
  });

  it('follows redirects, and caches under the URL asked for', async () => {
    server.files.set(toDay('2024-03-01'), { body: Buffer.alloc(0), redirectTo: '/blobs/one' });
    server.files.set('/blobs/one', { body: dayBody(toDay('2024-03-01')), etag: '"b"' });
    const r = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: EARLY });
    expect(r.files[0]).toMatchObject({ status: 'present', sha256: sha256(dayBody(toDay('2024-03-01'))) });
    expect(server.requests.map((q) => q.name)).toEqual([toDay('2024-03-01'), '/blobs/one']);
    server.resetCounts();
    const again = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: EARLY });
    expect(again.files[0]!.origin).toBe('revalidated');
    expect(server.requests.map((q) => [q.name, q.status])).toEqual([
      [toDay('2024-03-01'), 302],
      ['/blobs/one', 304],
    ]);
  });

  it('decodes a gzip-encoded body and stores the plain bytes', async () => {
    server.files.set(toDay('2024-03-01'), { body: dayBody(toDay('2024-03-01'), 50), gzip: true });
    const r = await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: LATE });
    expect(r.files[0]).toMatchObject({ status: 'present', sha256: sha256(dayBody(toDay('2024-03-01'), 50)) });
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('never has more requests in flight than the concurrency bound', async () => {
    const many = dayRange(toDay('2024-01-01'), toDay('2024-01-30'));
    for (const d of many) server.files.set(d, { body: dayBody(d) });
    server.delayMs = 25;
    const r = await sync({ source, days: many, cacheDir, asOf: LATE, concurrency: 3 });
    expect(r.summary.present).toBe(30);
    expect(server.maxInFlight).toBe(3);

    // Absent days take two requests each, one after the other.
    const { dir: other, cleanup: c2 } = await tempDir();
    server.resetCounts();
    const r2 = await sync({ source, days: dayRange(toDay('2023-01-01'), toDay('2023-01-12')), cacheDir: other, asOf: LATE, concurrency: 2 });
    await c2();
    expect(r2.summary.absent).toBe(12);
    expect(server.count()).toBe(24);
    expect(server.maxInFlight).toBe(2);
  });

  it('offline: no request at all; cached days (final or not) are used, the rest are listed as missing', async () => {
    server.files.set(toDay('2024-03-01'), { body: dayBody(toDay('2024-03-01')) });
    server.files.set(toDay('2024-03-05'), { body: dayBody(toDay('2024-03-05')) });
    await sync({ source, days: [toDay('2024-03-01')], cacheDir, asOf: LATE }); // final
    await sync({ source, days: [toDay('2024-03-05')], cacheDir, asOf: EARLY }); // not final
    server.resetCounts();

    const wanted = [...dayRange(toDay('2024-02-20'), toDay('2024-03-05')), toDay('2024-03-09')];
    const r = await sync({ source, days: wanted, cacheDir, asOf: toDay('2024-03-10'), offline: true });
    expect(server.count()).toBe(0);
    const f = byDay(r.files);
    expect(f.get(toDay('2024-03-01'))).toMatchObject({ status: 'present', origin: 'cache', final: true });
    expect(f.get(toDay('2024-03-05'))).toMatchObject({ status: 'present', origin: 'cache', final: false });
    expect(f.get(toDay('2024-03-09'))).toMatchObject({ status: 'missing', origin: 'none', error: 'offline and not cached' });
    expect(r.summary).toMatchObject({ present: 2, missing: 14, requests: 0 });
    const lines = r.log.filter((l) => l.includes('offline'));
    expect(lines).toEqual(['fetch: offline, 14 days not cached: 2024-02-20..2024-02-29, 2024-03-02..2024-03-04, 2024-03-09']);
  });
});
