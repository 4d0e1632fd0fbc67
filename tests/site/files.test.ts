/**
 * The writer of the site's non-HTML files: on its worker thread, from the
 * golden site data, every download the pages link to, with the bytes the
 * site's functions give on this thread, the week images read from the
 * prepared image cache when there, and the move into the built site.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageManifest } from '../../src/render/image-cache.ts';
import { svgToPng } from '../../src/render/png.ts';
import { prerenderWeekPngs } from '../../src/site/prerender.ts';
import { mergeInto, writeFilesOnWorker } from '../../src/site/write-files.ts';

const SITE_DATA = resolve('tests/golden/output/small');
const tmp = mkdtempSync(join(tmpdir(), 'site-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const list = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

// The site modules read TELEMETRY_SITE_DATA when first imported: set it, then import them.
let site: {
  routes: typeof import('../../src/site/routes.ts');
  charts: typeof import('../../src/site/charts.ts');
  downloads: typeof import('../../src/site/downloads.ts');
  breakdowns: typeof import('../../src/site/breakdowns.ts');
  data: typeof import('../../src/site/data.ts');
  model: typeof import('../../src/site/model.ts');
};
beforeAll(async () => {
  process.env.TELEMETRY_SITE_DATA = SITE_DATA;
  delete process.env.TELEMETRY_IMAGE_CACHE;
  delete process.env.TELEMETRY_IMAGE_MANIFEST;
  site = {
    routes: await import('../../src/site/routes.ts'),
    charts: await import('../../src/site/charts.ts'),
    downloads: await import('../../src/site/downloads.ts'),
    breakdowns: await import('../../src/site/breakdowns.ts'),
    data: await import('../../src/site/data.ts'),
    model: await import('../../src/site/model.ts'),
  };
});

describe('site file writer', () => {
  it('writes every download with the bytes of the site functions, and the site data under data/', async () => {
    const out = join(tmp, 'plain');
    const { counts, hashes } = await writeFilesOnWorker(out, { siteData: SITE_DATA, base: '/', siteUrl: null, images: null });
    const got = list(out);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(got.length);
    // The hash of each file, as the kept copy of the site records it: that of the bytes on disk.
    expect(hashes.map(([f]) => f).sort()).toEqual(got);
    for (const [f, sha256] of hashes)
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f)))
          .digest('hex'),
        f,
      ).toBe(sha256);

    const { chartRoutes, chartWeekRoutes } = site.routes;
    const { chartCsv, chartBreakdownCsv, chartWeekCsv, chartWeekJson, chartWeekBreakdownCsv } = site.downloads;
    const { FILE_PNG, weekFileSvg } = site.charts;
    const { chartHasBreakdowns, withBreakdowns } = site.breakdowns;
    const expected = new Map<string, string | Buffer>();
    for (const { params, props } of chartRoutes()) {
      const base = `charts/${params.program}/${params.chart}/`;
      expected.set(`${base}all-weeks.csv`, chartCsv(props.view));
      if (chartHasBreakdowns(props.view)) expected.set(`${base}breakdowns.csv`, chartBreakdownCsv(props.view));
      // As the all-weeks.svg route drew it: the chart's reference week marked, light theme, title drawn in.
      const ref = site.model.referenceWeek(site.model.siteModel(), props.view);
      const o = { width: site.charts.WIDE, theme: 'light' as const, heading: true, id: 'chart' };
      const all = ref && site.data.isStackWeek(ref) ? site.charts.stackLineSvg(props.view, ref, o) : site.charts.shareLineSvg(props.view, ref, o);
      expected.set(`${base}all-weeks.svg`, all);
    }
    const weekRoutes = chartWeekRoutes();
    for (const { params, props } of weekRoutes) {
      const base = `charts/${params.program}/${params.chart}/${params.week}`;
      const svg = weekFileSvg(props.view, props.week);
      expected.set(`${base}.csv`, chartWeekCsv(props.view, props.week.week));
      expected.set(`${base}.json`, chartWeekJson(props.view, props.week));
      expected.set(`${base}.svg`, svg);
      expected.set(`${base}.png`, svgToPng(svg, FILE_PNG));
      if (withBreakdowns(props.week) !== null) expected.set(`${base}/breakdowns.csv`, chartWeekBreakdownCsv(props.view, props.week.week));
    }
    const dataFiles = site.data.siteIndex().files;
    expect(dataFiles.length).toBeGreaterThan(5);
    for (const f of dataFiles) expected.set(`data/${f}`, readFileSync(join(SITE_DATA, f)));

    expect(got).toEqual([...expected.keys()].sort());
    expect(weekRoutes.length).toBeGreaterThan(5);
    expect(counts.get('png')).toBe(weekRoutes.length);
    for (const [path, bytes] of expected) expect(readFileSync(join(out, path)).equals(Buffer.from(bytes)), path).toBe(true);
    // The all-weeks image is a chart of its own, with its title drawn in.
    const svg = readFileSync(join(out, got.find((f) => f.endsWith('all-weeks.svg'))!), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*\swidth="880"/);
  });

  it('reads the week images from the prepared image cache', async () => {
    const images = { dir: join(tmp, 'images'), manifest: join(tmp, 'manifest.json') };
    await prerenderWeekPngs(SITE_DATA, images.dir, 2, images.manifest);
    const [route, keys] = [...readImageManifest(images.manifest)][0]!;
    // A planted file in the cache is what the writer copies: it did not draw the image again.
    writeFileSync(join(images.dir, `${keys.png}.png`), 'not a png');
    const out = join(tmp, 'cached');
    await writeFilesOnWorker(out, { siteData: SITE_DATA, base: '/', siteUrl: null, images });
    expect(readFileSync(join(out, `charts/${route}.png`), 'utf8')).toBe('not a png');
    expect(readFileSync(join(out, `charts/${route}.svg`)).equals(readFileSync(join(images.dir, `${keys.svg}.svg`)))).toBe(true);
  });

  it('takes the files of a kept site that still have their listed hash, and writes the others anew', async () => {
    const first = join(tmp, 'kept-first');
    const { hashes } = await writeFilesOnWorker(first, { siteData: SITE_DATA, base: '/', siteUrl: null, images: null });
    const hashOf = new Map(hashes);
    const weekFiles = hashes.map(([f]) => f).filter((f) => /\/\d{4}-\d\d-\d\d(\.(csv|json|svg|png)|\/breakdowns\.csv)$/.test(f));
    expect(weekFiles.length).toBeGreaterThan(20);
    const [good, changed, gone, wrongHash] = [weekFiles[0]!, weekFiles[1]!, weekFiles[2]!, weekFiles[3]!];
    // The kept copy: one file replaced by other bytes, one removed, one listed with a hash it does not have.
    rmSync(join(first, changed));
    writeFileSync(join(first, changed), 'changed since');
    rmSync(join(first, gone));
    const listed: [string, string][] = weekFiles.map((f) => [f, f === wrongHash ? '0'.repeat(64) : hashOf.get(f)!]);
    const out = join(tmp, 'kept-second');
    const again = await writeFilesOnWorker(out, { siteData: SITE_DATA, base: '/', siteUrl: null, images: null, kept: { dir: first, files: listed } });
    expect(again.kept).toBe(weekFiles.length - 3);
    // Every file has the bytes of a fresh write, and the hashes returned are theirs.
    expect(again.hashes).toEqual(hashes);
    for (const [f, h] of again.hashes)
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f)))
          .digest('hex'),
        f,
      ).toBe(h);
    // A taken file is the kept one (a link), a rejected one a file of its own.
    expect(statSync(join(out, good)).ino).toBe(statSync(join(first, good)).ino);
    expect(statSync(join(out, changed)).ino).not.toBe(statSync(join(first, changed)).ino);
    expect(statSync(join(out, wrongHash)).ino).not.toBe(statSync(join(first, wrongHash)).ino);
    expect(readFileSync(join(first, changed), 'utf8')).toBe('changed since');
  });

  it('stops with the reason when the site data is missing', async () => {
    await expect(writeFilesOnWorker(join(tmp, 'none'), { siteData: join(tmp, 'no-such-data'), base: '/', siteUrl: null, images: null })).rejects.toThrow(
      /site data not found: .*no-such-data/,
    );
  });

  it('moves the written files into the built site and refuses to replace one', async () => {
    const from = join(tmp, 'from');
    const to = join(tmp, 'to');
    mkdirSync(join(from, 'charts/a/b'), { recursive: true });
    mkdirSync(join(to, 'charts/a/b/2026-01-04'), { recursive: true });
    writeFileSync(join(from, 'charts/a/b/2026-01-04.csv'), 'x\n');
    writeFileSync(join(from, 'top.txt'), 'top');
    writeFileSync(join(to, 'charts/a/b/2026-01-04/index.html'), '<p>');
    // A folder `to` lacks moves whole, its files counted.
    mkdirSync(join(from, 'data/programs'), { recursive: true });
    writeFileSync(join(from, 'data/index.json'), '{}');
    writeFileSync(join(from, 'data/programs/p.json'), '[]');
    expect(await mergeInto(from, to)).toBe(4);
    expect(list(to)).toEqual(['charts/a/b/2026-01-04.csv', 'charts/a/b/2026-01-04/index.html', 'data/index.json', 'data/programs/p.json', 'top.txt']);
    expect(readFileSync(join(to, 'data/programs/p.json'), 'utf8')).toBe('[]');
    expect(readFileSync(join(to, 'charts/a/b/2026-01-04.csv'), 'utf8')).toBe('x\n');

    mkdirSync(from);
    writeFileSync(join(from, 'top.txt'), 'other');
    await expect(mergeInto(from, to)).rejects.toThrow(/EEXIST/);
    expect(readFileSync(join(to, 'top.txt'), 'utf8')).toBe('top');
  });
});
