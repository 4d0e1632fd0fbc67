/**
 * A chart with many buckets, as Go's go/goexperiment has (44): a second site
 * built in a temporary folder (dist/ is not touched) from an archive of 52
 * weeks written by generateLarge for one program with a 48-bucket partition
 * chart, through `npm run data` and the site step of `npm run build`. The
 * demo's charts have at most 10 buckets, so only this build shows whether a
 * page of many buckets keeps within the weight budget and still names every
 * bucket.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { generateLarge } from '../../src/demo/index.ts';
import { htmlFiles } from './html-files.ts';
import { buildSecondSite } from './second-build.ts';
import { serveDir } from './server.ts';

const PROGRAM = 'example.com/cmd/tool';
const COUNTER = 'tool/experiment';
const STEMS = ['arenas', 'loopvar', 'greenteagc', 'jsonformat', 'randomizedheapbase', 'sizespecializedmalloc', 'cgocheck', 'newinliner'];
// 48 names as long as Go's experiment names, each with its "no" twin.
const BUCKETS = Array.from({ length: 24 }, (_, i) => `${STEMS[i % STEMS.length]}${i}`).flatMap((b) => [b, `no${b}`]);
const WEEKS = 52;
const LIMIT = 100 * 1024;

const chartConfig = `title: Experiments in effect
counter: ${COUNTER}:{${BUCKETS.join(',')}}
description: Which experiments a build ran with.
type: partition
program: ${PROGRAM}
`;
const uploadConfig = JSON.stringify({
  GOOS: ['darwin', 'linux', 'windows'],
  GOARCH: ['amd64', 'arm64'],
  GoVersion: ['go1.25.0', 'go1.26.0'],
  SampleRate: 1,
  Programs: [{ Name: PROGRAM, Versions: ['v1.0.0', 'v1.1.0', 'v1.2.0'], Counters: [{ Name: `${COUNTER}:{${BUCKETS.join(',')}}`, Rate: 1 }], Stacks: null }],
});

test.describe.configure({ mode: 'serial' });

let tmp = '';
let out = '';
let server: Server | null = null;
let port = 0;
let chartDir = '';

test.beforeAll(async () => {
  test.setTimeout(300_000);
  tmp = mkdtempSync(join(tmpdir(), 'telemetry-buckets-'));
  const archiveDir = join(tmp, 'archive-set');
  const m = await generateLarge({
    seed: 11,
    outDir: archiveDir,
    targetBytes: 60e6,
    weeks: WEEKS,
    chartConfigText: chartConfig,
    uploadConfigText: uploadConfig,
  });
  const data = join(tmp, 'site-data');
  const r = spawnSync(
    process.execPath,
    [
      resolve('scripts/data.mjs'),
      '--source',
      join(archiveDir, 'archive'),
      '--chart-config',
      join(archiveDir, 'config.txt'),
      '--upload-config',
      join(archiveDir, 'config.json'),
      '--as-of',
      m.asOf,
      '--to',
      m.lastDay,
      '--cache',
      join(tmp, 'cache'),
      '--out',
      data,
      '--offline',
    ],
    { encoding: 'utf8', timeout: 240_000 },
  );
  if (r.status !== 0) throw new Error(`npm run data failed:\n${r.stdout}\n${r.stderr}`);
  out = join(tmp, 'dist');
  await buildSecondSite({ out, siteData: data, base: '/' });
  const charts = join(out, 'charts');
  const program = readdirSync(charts).find((p) => statSync(join(charts, p)).isDirectory())!;
  chartDir = join(charts, program, readdirSync(join(charts, program)).find((c) => c.includes('experiment'))!);
  server = await serveDir(out, 0, '/');
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('every page of a 48-bucket, 52-week site weighs at most 100 KB', () => {
  const heavy: string[] = [];
  const pages = htmlFiles(out);
  for (const p of pages) {
    const size = statSync(p).size;
    if (size > LIMIT) heavy.push(`${p.slice(out.length)}: ${(size / 1024).toFixed(1)} KB`);
  }
  // The chart page, one permalink per week, and the rest of the site.
  expect(pages.length).toBeGreaterThan(WEEKS * 2);
  expect(heavy).toEqual([]);
  // The page is near its budget: were it far under, this build would not test the budget.
  expect(statSync(join(chartDir, 'index.html')).size).toBeGreaterThan(70 * 1024);
});

test('the chart page names every bucket, draws panels within the budget and names the buckets without one', async ({ page }) => {
  const url = `http://127.0.0.1:${port}${join(chartDir, 'index.html')
    .slice(out.length)
    .replace(/index\.html$/, '')}`;
  await page.goto(url);
  const panelled = await page.locator('ul.panels li .name').allTextContents();
  expect(panelled.length).toBeGreaterThan(0);
  expect(panelled.length).toBeLessThan(BUCKETS.length);
  const note = (await page.locator('p.note', { hasText: 'to keep the page light' }).textContent()) ?? '';
  const unpanelled = note.replace(/\s+/g, ' ').trim().split(': ').at(-1)!.replace(/\.$/, '').split(', ');
  // Each bucket has a panel or is named in the note, never both.
  expect([...panelled, ...unpanelled].sort()).toEqual([...BUCKETS].sort());
  // Every bucket is in the latest final week's table: in a row of its own or among the small-cell group's members.
  const table = page.locator('table#figures tbody').first();
  const rows = await table.locator('tr:not(.group) th').allTextContents();
  const named = rows.flatMap((t) => {
    const members = /\(([^)]*)\)\s*$/.exec(t);
    return t.startsWith('other') && members ? members[1]!.split(', ') : [t.trim()];
  });
  for (const b of BUCKETS) expect(named, `bucket ${b} in the table`).toContain(b);
  // The provisional weeks' figures: a table of their own, or (when it does not fit) links to their week pages, which have them.
  const provisional = page.locator('p.note', { hasText: 'The figures of the provisional' });
  if ((await page.locator('table#figures-provisional').count()) === 0) {
    const links = await provisional.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      await page.goto(`http://127.0.0.1:${port}${l}`);
      await expect(page.locator('h1')).toContainText(`Experiments in effect, week ending ${/\d{4}-\d{2}-\d{2}/.exec(l)?.[0]}`);
      expect(await page.locator('table.figs tbody tr:not(.group) th').count(), l).toBeGreaterThan(10);
    }
  } else expect(await provisional.count()).toBe(0);
});
