/**
 * The PNG worker pool: the same bytes as the main thread, and the week
 * images of a site (the golden site data) cached so the `.png` route reads
 * exactly what it would have rendered.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { ImageCache, pngKey, readImageManifest } from '../../src/render/image-cache.ts';
import { svgToPng } from '../../src/render/png.ts';
import { PngPool, prerenderWeekPngs, renderOnWorkers, startPrerender } from '../../src/site/prerender.ts';
import { barData, countData } from '../render/fixtures.ts';

const SITE_DATA = resolve('tests/golden/output/small');
const tmp = mkdtempSync(join(tmpdir(), 'prerender-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('PNG worker pool', () => {
  it('renders the same bytes on worker threads as on the main thread', async () => {
    const svgs = [
      barChart(barData(), { width: 480, theme: 'light' }),
      countChart(countData(), { width: 480, theme: 'dark' }),
      barChart(barData(), { width: 300, theme: 'dark' }),
    ];
    const got = await renderOnWorkers(svgs, { width: 1200 }, 2);
    expect(got).toHaveLength(3);
    got.forEach((png, i) => expect(png.equals(svgToPng(svgs[i]!, { width: 1200 })), `image ${i}`).toBe(true));
  });

  it('fills the image cache with the week PNG of every chart-week route, then only hits', async () => {
    const dir = join(tmp, 'images');
    const manifest = join(tmp, 'manifest.json');
    const cold = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest);
    expect(cold.images).toBeGreaterThan(5);
    expect(cold.rendered).toBe(cold.images);
    expect(cold.hits).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((f) => /^[0-9a-f]{64}\.(png|svg)$/.test(f))).toBe(true);

    // An entry no route uses is pruned; the rest are hits.
    const cache = new ImageCache(dir);
    const stray = await cache.png(countChart(countData(), { width: 480, theme: 'light' }));
    const warm = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest);
    expect(warm).toMatchObject({ images: cold.images, hits: cold.images, rendered: 0, pruned: 1 });
    expect(await cache.get(stray.key)).toBeNull();
    expect(readdirSync(dir).sort()).toEqual(files);

    // What the routes read equals a fresh drawing of the same week on this thread.
    process.env.TELEMETRY_SITE_DATA = SITE_DATA;
    process.env.TELEMETRY_IMAGE_CACHE = dir;
    process.env.TELEMETRY_IMAGE_MANIFEST = manifest;
    const { chartWeekRoutes, weekRouteKey } = await import('../../src/site/routes.ts');
    const { FILE_PNG, weekFileSvg, weekFileSvgCached, weekPngCached } = await import('../../src/site/charts.ts');
    const routes = chartWeekRoutes();
    expect(routes.length).toBe(cold.images);
    const entries = readImageManifest(manifest);
    expect(entries.size).toBe(routes.length);
    for (const r of routes) {
      const svg = weekFileSvg(r.props.view, r.props.week);
      const keys = entries.get(weekRouteKey(r.params))!;
      expect(keys.png).toBe(pngKey(svg, FILE_PNG));
      expect(await weekFileSvgCached(r.props.view, r.props.week)).toBe(svg);
    }
    for (const r of [routes[0]!, routes[Math.floor(routes.length / 2)]!, routes.at(-1)!]) {
      const fresh = svgToPng(weekFileSvg(r.props.view, r.props.week), FILE_PNG);
      expect((await weekPngCached(r.props.view, r.props.week)).equals(fresh)).toBe(true);
    }
    // The routes really read the cache: a replaced file is what they return, and a missing one is drawn again.
    const r0 = routes[0]!;
    const k0 = entries.get(weekRouteKey(r0.params))!;
    writeFileSync(cache.path(k0.png), 'not a png');
    expect((await weekPngCached(r0.props.view, r0.props.week)).toString()).toBe('not a png');
    rmSync(cache.path(k0.png));
    rmSync(cache.path(k0.svg, 'svg'));
    expect((await weekPngCached(r0.props.view, r0.props.week)).equals(svgToPng(weekFileSvg(r0.props.view, r0.props.week), FILE_PNG))).toBe(true);
    expect(await weekFileSvgCached(r0.props.view, r0.props.week)).toBe(weekFileSvg(r0.props.view, r0.props.week));
  });

  it('with page keys, keeps the images of routes whose page key is unchanged without drawing them', async () => {
    const dir = join(tmp, 'images-keyed');
    const manifest = join(tmp, 'manifest-keyed.json');
    const first = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest, 'sources-1');
    expect(first).toMatchObject({ hits: 0, kept: 0, rendered: first.images });
    // A key per chart-week route, then one per week page, in week order.
    const weeks = (JSON.parse(readFileSync(join(SITE_DATA, 'index.json'), 'utf8')) as { weeks: { week: string }[] }).weeks.map((w) => w.week).sort();
    expect(first.pageKeys).toHaveLength(first.images + weeks.length);
    expect(first.pageKeys!.slice(0, first.images).every(([route]) => route.split('/').length === 3)).toBe(true);
    expect(first.pageKeys!.slice(first.images).map(([route]) => route)).toEqual(weeks.map((w) => `weeks/${w}`));
    expect(new Set(first.pageKeys!.map(([, key]) => key)).size).toBe(first.pageKeys!.length);
    const entries = readFileSync(manifest, 'utf8');
    // The same inputs: every route keeps its images; the manifest and the keys are the same.
    const again = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest, 'sources-1');
    expect(again).toMatchObject({ hits: first.images, kept: first.images, rendered: 0, pruned: 0 });
    expect(again.pageKeys).toEqual(first.pageKeys);
    expect(readFileSync(manifest, 'utf8')).toBe(entries);
    // One thread makes the same keys in the same order.
    expect((await prerenderWeekPngs(SITE_DATA, dir, 1, manifest, 'sources-1')).pageKeys).toEqual(first.pageKeys);
    // Other sources: other page keys, so every SVG is drawn again (and found in the cache).
    const other = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest, 'sources-2');
    expect(other).toMatchObject({ hits: first.images, kept: 0, rendered: 0 });
    expect(readFileSync(manifest, 'utf8')).not.toBe(entries);
    // An image the cache no longer holds is not kept: its route is drawn again.
    const [route, keys] = [...readImageManifest(manifest)][0]!;
    rmSync(new ImageCache(dir).path(keys.png));
    const redrawn = await prerenderWeekPngs(SITE_DATA, dir, 2, manifest, 'sources-2');
    expect(redrawn).toMatchObject({ kept: first.images - 1, rendered: 1 });
    expect(readImageManifest(manifest).get(route)).toEqual(keys);
    // A manifest without page keys (an older build's) keeps nothing.
    writeFileSync(manifest, JSON.stringify([...readImageManifest(manifest)].map(([r, k]) => [r, k.png, k.svg])));
    expect(await prerenderWeekPngs(SITE_DATA, dir, 2, manifest, 'sources-2')).toMatchObject({ kept: 0, hits: first.images });
  });

  it('works with threads started before the site data was written, and stops them', async () => {
    // As `npm run build` starts them while its data step runs: the threads load their code with no site data there.
    const late = join(tmp, 'late-site-data');
    const dir = join(tmp, 'images-late');
    const pool = new PngPool(2, { siteData: late, cacheDir: dir });
    const svg = barChart(barData(), { width: 300, theme: 'light' });
    // Two tasks in flight at once go to both threads: each has loaded its code when its reply comes.
    const loaded = await Promise.all([pool.run({ svg }), pool.run({ svg })]);
    expect(loaded.every((r) => 'png' in r)).toBe(true);
    cpSync(SITE_DATA, late, { recursive: true });
    const got = await startPrerender(late, dir, 2, join(tmp, 'manifest-late.json'), 'sources-1', pool).done;
    const want = await prerenderWeekPngs(SITE_DATA, join(tmp, 'images-late-want'), 2, join(tmp, 'manifest-late-want.json'), 'sources-1');
    expect(got).toMatchObject({ images: want.images, rendered: want.images, hits: 0 });
    expect(got.pageKeys).toEqual(want.pageKeys);
    expect(readdirSync(dir).sort()).toEqual(readdirSync(join(tmp, 'images-late-want')).sort());
    // The prerender stopped the threads it was given.
    await expect(pool.run({ count: true })).rejects.toThrow();
  });
});
