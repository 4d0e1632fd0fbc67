/**
 * A second, small build in a temporary folder (dist/ is not touched): the
 * site data of dist/data cut to one program and three weeks, with hostile
 * text planted in a title, a description, an issue link, bucket names (markup,
 * a bidi override, a spreadsheet formula) and a stack, built under the base
 * path /telemetry/ as on a GitHub Pages project site. Every link and asset
 * must stay under the base, the hostile text must show as text, never run,
 * bidi controls must show as their code points, and the formula must reach
 * the CSV downloads neutralised.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { csvParseRows } from 'd3-dsv';
import { formatCsv, parseCsv } from '../../src/lib/csv.ts';
import { buildSecondSite } from './second-build.ts';
import { serveDir } from './server.ts';
import { DIST, index } from './site.ts';

const BASE = '/telemetry/';
const EVIL_TITLE = 'Editors <img src=x onerror="window.__pwned=1">';
const EVIL_DESCRIPTION = '<script>window.__pwned=1</script> & <b>not bold</b>';
const EVIL_BUCKET = '<svg onload="window.__pwned=1">';
const EVIL_STACK = '<script>window.__pwned=1</script>\nmain.main:+1';
// Shown raw, U+202E would turn the rest of the name (and what follows it) around.
const BIDI_BUCKET = 'debug\u202Eexe.txt\u2066';
const BIDI_SHOWN = 'debug<U+202E>exe.txt<U+2066>';
const FORMULA_BUCKET = '=HYPERLINK("http://evil.example/","click")';
// Names that are also properties of every plain object.
const PROTO_BUCKET = '__proto__';
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

test.describe.configure({ mode: 'serial' });

// A program with a counter chart of several buckets and, when there is one, a stack chart.
const program = [...index.programs]
  .sort((a, b) => Number(b.charts.some((c) => c.kind === 'stack')) - Number(a.charts.some((c) => c.kind === 'stack')))
  .find((p) => p.charts.some((c) => c.kind === 'counter' && c.buckets.length >= 4))!;
const counter = program.charts.find((c) => c.kind === 'counter' && c.buckets.length >= 4)!;
const stack = program.charts.find((c) => c.kind === 'stack');

let tmp = '';
let server: Server | null = null;
/** The port the second build is served on: a free one, chosen by the system. */
let port = 0;

// The counter chart's first four buckets get hostile names.
const renamed = new Map([
  [counter.buckets[0]!, EVIL_BUCKET],
  [counter.buckets[1]!, BIDI_BUCKET],
  [counter.buckets[2]!, FORMULA_BUCKET],
  [counter.buckets[3]!, PROTO_BUCKET],
]);
const rename = (b: string) => renamed.get(b) ?? b;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  tmp = mkdtempSync(join(tmpdir(), 'telemetry-site-'));
  const data = join(tmp, 'site-data');
  for (const f of index.files) {
    mkdirSync(dirname(join(data, f)), { recursive: true });
    cpSync(join(DIST, 'data', f), join(data, f));
  }
  const keep = index.weeks.slice(-3).map((w) => w.week);
  const readJson = (f: string) => JSON.parse(readFileSync(join(data, f), 'utf8'));
  const writeJson = (f: string, v: unknown) => writeFileSync(join(data, f), JSON.stringify(v));

  const idx = readJson('index.json');
  idx.programs = idx.programs.filter((p: { program: string }) => p.program === program.program);
  idx.weeks = idx.weeks.filter((w: { week: string }) => keep.includes(w.week));
  const prog = idx.programs[0];
  for (const c of prog.charts) {
    const file = readJson(c.file);
    file.weeks = file.weeks.filter((w: { week: string }) => keep.includes(w.week));
    if (c.chart === counter.chart && c.kind === counter.kind) {
      for (const o of [c, file]) {
        o.title = EVIL_TITLE;
        o.description = EVIL_DESCRIPTION;
        o.issues = ['javascript:window.__pwned=1', 'https://go.dev/issue/1'];
        o.buckets = o.buckets.map(rename);
      }
      for (const w of file.weeks) for (const b of w.buckets) b.bucket = rename(b.bucket);
    }
    if (c.kind === 'stack') for (const w of file.weeks) if (w.top[0]) w.top[0].stack = EVIL_STACK;
    writeJson(c.file, file);
  }
  writeJson('index.json', idx);
  if (prog.file) {
    const pf = readJson(prog.file);
    pf.weeks = pf.weeks.filter((w: { week: string }) => keep.includes(w.week));
    writeJson(prog.file, pf);
  }
  for (const f of ['estimates.csv', 'stacks.csv']) {
    // Read and written as the pipeline writes them (src/lib/csv.ts), with the renamed buckets.
    const [head, ...rest] = parseCsv(readFileSync(join(data, f), 'utf8'));
    const col = (name: string) => head!.indexOf(name);
    const rows = rest.filter((r) => keep.includes(r[col('week')]!) && r[col('program')] === program.program);
    for (const r of rows)
      if (f === 'estimates.csv' && r[col('chart')] === counter.chart && r[col('kind')] === counter.kind) r[col('bucket')] = rename(r[col('bucket')]!);
    writeFileSync(join(data, f), formatCsv([head!, ...rows]));
  }

  const out = join(tmp, 'dist');
  await buildSecondSite({ out, siteData: data, base: BASE });
  server = await serveDir(out, 0, BASE);
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('every link and asset stays under the base path and resolves; hostile text is shown as text', async ({ page, request }) => {
  const root = `http://127.0.0.1:${port}${BASE}`;
  const chart = `${root}charts/${program.slug}/${counter.slug}/`;
  const requested: string[] = [];
  const bad: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`);
  });
  page.on('dialog', (d) => bad.push(`dialog: ${d.message()}`));

  const links = new Set<string>();
  const pages = [root, chart, `${root}programs/${program.slug}/`, `${root}weeks/latest/`, `${root}methodology/`, `${root}data/`];
  if (stack) pages.push(`${root}charts/${program.slug}/${stack.slug}/`);
  for (const url of pages) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
      if (/^https?:/.test(href)) continue;
      expect(href, `link on ${url}`).toMatch(new RegExp(`^${BASE}|^#`));
      if (href.startsWith('/')) links.add(href);
    }
  }
  for (const u of requested) expect(new URL(u).pathname.startsWith(BASE), u).toBe(true);
  expect(bad).toEqual([]);
  // Every internal link of these pages resolves.
  for (const href of links) expect((await request.get(`http://127.0.0.1:${port}${href}`)).status(), href).toBe(200);

  await page.goto(chart);
  await expect(page.locator('h1')).toHaveText(EVIL_TITLE);
  await expect(page.getByText(EVIL_DESCRIPTION).first()).toBeVisible();
  await expect(page.locator('main b')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(page.getByText('javascript:window.__pwned=1')).toBeVisible();
  await expect(page.getByRole('link', { name: 'go.dev/issue/1' })).toBeVisible();
  await expect(page.locator('table#figures th', { hasText: EVIL_BUCKET }).first()).toBeVisible();
  // The bucket name is escaped inside the chart SVG too: no element came from it.
  await expect(page.locator('main svg svg')).toHaveCount(0);
  expect(await page.locator('svg.chart-bar:visible').textContent()).toContain(EVIL_BUCKET);

  const week = index.weeks.slice(-3).find((w) => !w.provisional)?.week ?? index.weeks.at(-1)!.week;
  await page.goto(`${root}charts/${program.slug}/${(stack ?? counter).slug}/${week}/`);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Link previews point under the base path.
  expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(new RegExp(`^${BASE}charts/.+\\.png$`));
  const svg = await request.get(`${root}charts/${program.slug}/${counter.slug}/${week}.svg`);
  expect(svg.status()).toBe(200);
  const svgText = await svg.text();
  expect(svgText).toContain('&lt;svg onload=');
  expect(svgText).toContain('debug&lt;U+202E&gt;exe.txt&lt;U+2066&gt;');
  expect(svgText).not.toMatch(BIDI_CONTROLS);
});

test('bidi controls in names show as code points; formula names reach the CSV downloads neutralised', async ({ page, request }) => {
  const root = `http://127.0.0.1:${port}${BASE}`;
  const chart = `${root}charts/${program.slug}/${counter.slug}/`;
  const week = index.weeks.slice(-3).find((w) => !w.provisional)?.week ?? index.weeks.at(-1)!.week;
  for (const url of [chart, `${chart}${week}/`, `${root}programs/${program.slug}/`, `${root}weeks/${week}/`]) {
    const html = await (await request.get(url)).text();
    expect(html, url).not.toMatch(BIDI_CONTROLS);
    await page.goto(url);
    expect(await page.evaluate(() => document.body.innerText), url).not.toMatch(BIDI_CONTROLS);
  }
  await page.goto(chart);
  await expect(page.locator('table#figures th', { hasText: BIDI_SHOWN }).first()).toBeVisible();
  await expect(page.locator('table#figures th', { hasText: FORMULA_BUCKET }).first()).toBeVisible();

  for (const url of [`${chart}all-weeks.csv`, `${chart}${week}.csv`, `${root}data/estimates.csv`]) {
    const text = await (await request.get(url)).text();
    expect(text, url).toContain(`,"'=HYPERLINK(""http://evil.example/"",""click"")",`);
    // As a spreadsheet reads the cells: no name begins with a formula character.
    const [head, ...rows] = csvParseRows(text);
    for (const r of rows) for (const c of ['program', 'chart', 'bucket']) expect(r[head!.indexOf(c)], url).not.toMatch(/^[=+\-@\t\r]/);
    // Read back the documented way, the names are exact.
    const names = parseCsv(text)
      .slice(1)
      .map((r) => r[head!.indexOf('bucket')]);
    expect(names, url).toContain(FORMULA_BUCKET);
    expect(names, url).toContain(BIDI_BUCKET);
  }
});

test('a bucket named __proto__ is a row like any other, on the page and in the downloads', async ({ page, request }) => {
  const root = `http://127.0.0.1:${port}${BASE}`;
  const chart = `${root}charts/${program.slug}/${counter.slug}/`;
  await page.goto(chart);
  await expect(page.locator('table#figures th', { hasText: PROTO_BUCKET }).first()).toBeVisible();
  const text = await page.evaluate(() => document.body.innerText);
  for (const broken of ['[object Object]', '[native code]', 'NaN', 'undefined']) expect(text).not.toContain(broken);
  const csv = parseCsv(await (await request.get(`${chart}all-weeks.csv`)).text());
  const head = csv[0]!;
  const rows = csv.slice(1).filter((r) => r[head.indexOf('bucket')] === PROTO_BUCKET);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(Number(r[head.indexOf('n')])).toBeGreaterThan(0);
});
