/** The content-addressed PNG cache: keys, hits and misses, pruning, and cached bytes equal to fresh ones. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { ImageCache, pngKey } from '../../src/render/image-cache.ts';
import { svgToPng } from '../../src/render/png.ts';
import { barData, countData } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'image-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bars = barChart(barData(), { width: 480, theme: 'light' });
const counts = countChart(countData(), { width: 480, theme: 'light' });

describe('pngKey', () => {
  it('is a SHA-256 that depends on the SVG and on every render option', () => {
    const k = pngKey(bars, { width: 960 });
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(pngKey(bars, { width: 960 })).toBe(k);
    expect(pngKey(`${bars} `, { width: 960 })).not.toBe(k);
    expect(pngKey(bars, { width: 961 })).not.toBe(k);
    expect(pngKey(bars)).not.toBe(k);
    expect(pngKey(bars, { width: 960, background: '#fff' })).not.toBe(k);
  });
});

describe('ImageCache', () => {
  it('renders on a miss, reads the same bytes on a hit, and they equal a fresh render', async () => {
    const cache = new ImageCache(join(tmp, 'a'));
    const first = await cache.png(bars, { width: 960 });
    expect(first.hit).toBe(false);
    expect(existsSync(cache.path(first.key))).toBe(true);
    const second = await cache.png(bars, { width: 960 });
    expect(second.hit).toBe(true);
    expect(second.key).toBe(first.key);
    const fresh = svgToPng(bars, { width: 960 });
    expect(second.bytes.equals(fresh)).toBe(true);
    expect(first.bytes.equals(fresh)).toBe(true);
    // Another width is another entry.
    expect((await cache.png(bars, { width: 480 })).hit).toBe(false);
    expect(await cache.get(pngKey(counts))).toBeNull();
  });

  it('ensurePng renders and stores on a miss, finds the entry on a hit, and stores the bytes png() gives', async () => {
    const cache = new ImageCache(join(tmp, 'e'));
    const first = await cache.ensurePng(bars, { width: 960 });
    expect(first).toEqual({ key: pngKey(bars, { width: 960 }), hit: false });
    expect(readFileSync(cache.path(first.key)).equals(svgToPng(bars, { width: 960 }))).toBe(true);
    expect(await cache.ensurePng(bars, { width: 960 })).toEqual({ key: first.key, hit: true });
    expect((await cache.png(bars, { width: 960 })).hit).toBe(true);
  });

  it('prunes every entry it is not told to keep, and leftover temporary files', async () => {
    const cache = new ImageCache(join(tmp, 'b'));
    const a = await cache.png(bars, { width: 480 });
    const b = await cache.png(counts, { width: 480 });
    writeFileSync(join(cache.dir, `${a.key}.png.123-0-0.tmp`), 'half');
    expect(await cache.prune(new Set([b.key]))).toBe(2);
    expect(readdirSync(cache.dir)).toEqual([`${b.key}.png`]);
    expect((await cache.png(counts, { width: 480 })).hit).toBe(true);
    expect((await cache.png(bars, { width: 480 })).hit).toBe(false);
    expect(await new ImageCache(join(tmp, 'none')).prune(new Set())).toBe(0);
  });
});
