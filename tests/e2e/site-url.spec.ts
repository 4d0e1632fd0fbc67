/**
 * A second, small build (one program, three weeks of dist/data) made with the
 * site's public URL, as `npm run build -- --site-url URL` passes it to Astro
 * (TELEMETRY_SITE_URL): a week permalink's link preview, canonical link and
 * release-note snippet must be absolute URLs under that address.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildSecondSite } from './second-build.ts';
import { serveDir } from './server.ts';
import { DIST, index } from './site.ts';

const SITE_URL = 'https://owner.example/telemetry/';
const BASE = '/telemetry/';
const program = index.programs.find((p) => p.charts.some((c) => c.kind === 'counter'))!;
const counter = program.charts.find((c) => c.kind === 'counter')!;
const keep = index.weeks.slice(-3).map((w) => w.week);
const final = index.weeks.filter((w) => keep.includes(w.week) && !w.provisional).at(-1)?.week ?? keep[0]!;

let tmp = '';
let server: Server | null = null;
let port = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  tmp = mkdtempSync(join(tmpdir(), 'telemetry-site-url-'));
  const data = join(tmp, 'site-data');
  for (const f of index.files) {
    mkdirSync(dirname(join(data, f)), { recursive: true });
    cpSync(join(DIST, 'data', f), join(data, f));
  }
  const readJson = (f: string) => JSON.parse(readFileSync(join(data, f), 'utf8'));
  const idx = readJson('index.json');
  idx.programs = idx.programs.filter((p: { program: string }) => p.program === program.program);
  idx.weeks = idx.weeks.filter((w: { week: string }) => keep.includes(w.week));
  for (const c of idx.programs[0].charts) {
    const file = readJson(c.file);
    file.weeks = file.weeks.filter((w: { week: string }) => keep.includes(w.week));
    writeFileSync(join(data, c.file), JSON.stringify(file));
  }
  writeFileSync(join(data, 'index.json'), JSON.stringify(idx));
  if (idx.programs[0].file) {
    const pf = readJson(idx.programs[0].file);
    pf.weeks = pf.weeks.filter((w: { week: string }) => keep.includes(w.week));
    writeFileSync(join(data, idx.programs[0].file), JSON.stringify(pf));
  }
  const out = join(tmp, 'dist');
  await buildSecondSite({ out, siteData: data, base: BASE, siteUrl: SITE_URL });
  server = await serveDir(out, 0, BASE);
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('with the site URL, a permalink has absolute og:url, og:image, canonical link and snippet', async ({ page }) => {
  const path = `charts/${program.slug}/${counter.slug}/${final}/`;
  await page.goto(`http://127.0.0.1:${port}${BASE}${path}`);
  const meta = (p: string) => page.locator(`meta[property="${p}"]`).getAttribute('content');
  expect(await meta('og:url')).toBe(`${SITE_URL}${path}`);
  expect(await meta('og:image')).toBe(`${SITE_URL}charts/${program.slug}/${counter.slug}/${final}.png`);
  expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${SITE_URL}${path}`);
  // The release-note snippet links the absolute image and page.
  const snippet = await page.locator('main').textContent();
  expect(snippet).toContain(`](${SITE_URL}charts/${program.slug}/${counter.slug}/${final}.png)](${SITE_URL}${path})`);
});

test('the 404 page of a build under a base path links home under that base', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${port}${BASE}404.html`);
  await expect(page.locator('h1')).toHaveText('Page not found');
  expect(await page.getByRole('link', { name: 'Overview' }).last().getAttribute('href')).toBe(BASE);
});
