// Downloads parse (CSV, JSON), and images load with the right type and size.
import { expect, test } from '@playwright/test';
import { csvParse, csvParseRows } from 'd3-dsv';
import { charts, chartUrl, estimateRows, index, latestFinal, readDist } from './site.ts';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('every file under /data/ loads and parses', async ({ request }) => {
  for (const file of index.files) {
    const res = await request.get(`data/${file}`);
    expect(res.status(), file).toBe(200);
    const text = await res.text();
    if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow();
    if (file.endsWith('.csv')) {
      expect(res.headers()['content-type']).toMatch(/^text\/csv/);
      const rows = csvParseRows(text);
      expect(rows.length, file).toBeGreaterThan(1);
      const ragged = rows.filter((r) => r.length !== rows[0]!.length).length;
      expect(ragged, `${file}: every row has the header's columns`).toBe(0);
    }
  }
});

test('a week permalink: its SVG, PNG, CSV and JSON', async ({ page, request }) => {
  const r = charts.counter;
  const base = `${chartUrl(r)}${latestFinal}`;
  await page.goto(`${base}/`);
  const ogW = Number(await page.locator('meta[property="og:image:width"]').getAttribute('content'));
  const ogH = Number(await page.locator('meta[property="og:image:height"]').getAttribute('content'));

  const png = await request.get(`${base}.png`);
  expect(png.headers()['content-type']).toBe('image/png');
  expect(pngSize(await png.body())).toEqual({ width: ogW, height: ogH });

  const svg = await request.get(`${base}.svg`);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
  const svgText = await svg.text();
  expect(svgText).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const w = Number(/width="([\d.]+)"/.exec(svgText)![1]);
  const h = Number(/height="([\d.]+)"/.exec(svgText)![1]);
  expect(w * 2).toBe(ogW);
  expect(Math.abs(h * 2 - ogH)).toBeLessThanOrEqual(1);

  // The images also load in the browser, at their size.
  const root = new URL('/', page.url());
  for (const ext of ['png', 'svg']) {
    await page.setContent(`<img id="i" src="${new URL(`${base}.${ext}`, root).href}">`);
    const size = await page.locator('#i').evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    });
    expect(size.width).toBe(ext === 'png' ? ogW : w);
  }

  const csv = await request.get(`${base}.csv`);
  expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  const rows = csvParse(await csv.text());
  const expected = estimateRows(latestFinal, r.p.program, r.c.chart);
  expect(rows.length).toBe(expected.length);
  expect(rows.map((x) => ({ ...x }))).toEqual(expected.map((x) => ({ ...x })));

  const json = await request.get(`${base}.json`);
  expect(json.headers()['content-type']).toMatch(/^application\/json/);
  const data = (await json.json()) as { chart: string; program: string; week: { week: string; n: number }; permalink: string };
  expect(data.chart).toBe(r.c.chart);
  expect(data.program).toBe(r.p.program);
  expect(data.week.week).toBe(latestFinal);
  expect(data.permalink).toBe(`${chartUrl(r)}${latestFinal}/`);
  expect(data.week.n).toBe(Number(expected[0]!['n']));
});

test('a stack chart week: CSV rows of stacks.csv, stack text intact', async ({ request }) => {
  const r = charts.stack;
  const res = await request.get(`${chartUrl(r)}${latestFinal}.csv`);
  const rows = csvParse(await res.text());
  const all = csvParse(readDist('data/stacks.csv')).filter((x) => x['week'] === latestFinal && x['program'] === r.p.program && x['chart'] === r.c.chart);
  expect(rows.map((x) => ({ ...x }))).toEqual(all.map((x) => ({ ...x })));
});

test('chart-wide downloads: every week as CSV and the chart over time as SVG', async ({ request }) => {
  const r = charts.metadata;
  const csv = csvParse(await (await request.get(`${chartUrl(r)}all-weeks.csv`)).text());
  expect(new Set(csv.map((x) => x['week'])).size).toBe(index.weeks.length);
  const svg = await request.get(`${chartUrl(r)}all-weeks.svg`);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
  expect(await svg.text()).toContain('<title');
});
