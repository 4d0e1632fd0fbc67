import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveCache, cacheNameFor } from '../../src/fetch/cache.ts';
import { removeStaleTemps } from '../../src/lib/atomic-write.ts';
import type { Source } from '../../src/fetch/source.ts';
import { sha256, sync, useTestServer } from './helpers.ts';
import { dayBody, type TestServer } from './server.ts';
import { toDay } from '../../src/lib/dates.ts';

let server: TestServer;
let source: Source;
let cacheDir: string;
useTestServer((c) => ({ server, source, cacheDir } = c));

const DAY = toDay('2024-03-01');
const LATE = toDay('2024-04-30');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url));

describe('cache layout and trust', () => {
  it('names the cache folder readably and uniquely per base URL', () => {
    expect(cacheNameFor('https://telemetry.go.dev/data/')).toMatch(/^telemetry.go.dev_data-[0-9a-f]{8}$/);
    expect(cacheNameFor('http://127.0.0.1:8080/')).toMatch(/^127.0.0.1_8080-[0-9a-f]{8}$/);
    expect(cacheNameFor('https://a.example/x/')).not.toBe(cacheNameFor('http://a.example/x/'));
  });

  it('writes <day>.ndjson and <day>.meta.json with the documented fields', async () => {
    server.files.set(DAY, { body: dayBody(DAY), etag: '"e1"', lastModified: 'Fri, 01 Mar 2024 00:00:00 GMT' });
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    const dir = join(cacheDir, 'archive', cacheNameFor(server.baseUrl));
    expect(r.files[0]!.path).toBe(join(dir, `${DAY}.ndjson`));
    expect(JSON.parse(await readFile(join(dir, `${DAY}.meta.json`), 'utf8'))).toEqual({
      day: DAY,
      url: `${server.baseUrl}${DAY}`,
      status: 200,
      etag: '"e1"',
      lastModified: 'Fri, 01 Mar 2024 00:00:00 GMT',
      sha256: sha256(dayBody(DAY)),
      size: dayBody(DAY).length,
      fetchedAsOf: LATE,
    });
  });

  it('does not trust a data file without meta, with a size mismatch, or with a broken meta', async () => {
    server.files.set(DAY, { body: dayBody(DAY) });
    await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    const cache = await ArchiveCache.open(cacheDir, server.baseUrl);
    expect(await cache.read(DAY)).not.toBeNull();

    await writeFile(cache.dataPath(DAY), 'half a fi'); // size mismatch
    expect(await cache.read(DAY)).toBeNull();
    server.resetCounts();
    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(server.count()).toBe(1);
    expect(r.files[0]).toMatchObject({ origin: 'network', sha256: sha256(dayBody(DAY)) });

    await writeFile(cache.metaPath(DAY), '{"day": "2024-03-01", "status": 2'); // torn meta
    expect(await cache.read(DAY)).toBeNull();
    await rm(cache.metaPath(DAY)); // data without meta
    expect(await cache.read(DAY)).toBeNull();
    const r2 = await sync({ source, days: [DAY], cacheDir, asOf: LATE, offline: true });
    expect(r2.files[0]).toMatchObject({ status: 'missing' });
  });

  it('removes temp files of dead processes and keeps those of live ones', async () => {
    const cache = await ArchiveCache.open(cacheDir, server.baseUrl);
    const dead = join(cache.dir, `${DAY}.ndjson.tmp-999999999-1`);
    const live = join(cache.dir, `${DAY}.ndjson.tmp-${process.ppid}-1`);
    await writeFile(dead, 'x');
    await writeFile(live, 'x');
    expect(await removeStaleTemps(cache.dir)).toBe(1);
    expect((await readdir(cache.dir)).sort()).toEqual([`${DAY}.ndjson.tmp-${process.ppid}-1`]);
  });

  it('a fetch killed mid-download leaves nothing trusted, and the next run completes', async () => {
    const big = dayBody(DAY, 20_000); // about 1.3 MB, sent 16 KB every 20 ms
    server.files.set(DAY, { body: big });
    server.faults.set(DAY, ['trickle']);
    const cache = await ArchiveCache.open(cacheDir, server.baseUrl);

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ source, days: [DAY], cacheDir, asOf: LATE, timeoutMs: 10_000 })], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    // Wait until the child has written part of the body to its temp file.
    const deadline = Date.now() + 15_000;
    let partial: string | undefined;
    while (Date.now() < deadline) {
      const tmp = (await readdir(cache.dir)).find((n) => n.includes('.tmp-'));
      if (tmp) {
        const size = (await stat(join(cache.dir, tmp)).catch(() => null))?.size ?? 0;
        if (size > 64 * 1024) {
          partial = tmp;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(partial, `child output: ${output}`).toBeDefined();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const left = await readdir(cache.dir);
    expect(left).toContain(partial);
    expect(left).not.toContain(`${DAY}.ndjson`);
    expect(left).not.toContain(`${DAY}.meta.json`);
    expect(await cache.read(DAY)).toBeNull();
    const offline = await sync({ source, days: [DAY], cacheDir, asOf: LATE, offline: true });
    expect(offline.files[0]).toMatchObject({ status: 'missing' });

    const r = await sync({ source, days: [DAY], cacheDir, asOf: LATE });
    expect(r.files[0]).toMatchObject({ status: 'present', origin: 'network', size: big.length, sha256: sha256(big) });
    expect(sha256(await readFile(r.files[0]!.path!))).toBe(sha256(big));
    expect(await readdir(cache.dir)).toEqual([`${DAY}.meta.json`, `${DAY}.ndjson`]);
  }, 30_000);
});
