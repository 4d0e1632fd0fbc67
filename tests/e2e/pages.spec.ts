// Every page type renders, with JavaScript on and off, and its charts carry a title, a description and a data table.
import { expect, test } from '@playwright/test';
import { charts, chartUrl, index, PAGES } from './site.ts';

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    for (const { name, path } of PAGES) {
      test(`${name} renders`, async ({ page }) => {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        const res = await page.goto(path);
        expect(res?.status()).toBe(200);
        await expect(page.locator('h1')).toHaveCount(1);
        await expect(page.locator('h1')).toBeVisible();
        await expect(page.locator('main')).toBeVisible();
        // Every inline chart is an image with an accessible name and description.
        for (const svg of await page.locator('main svg.chart').all()) {
          expect(await svg.getAttribute('role')).toBe('img');
          const labelledby = (await svg.getAttribute('aria-labelledby'))!.split(' ');
          expect(labelledby).toHaveLength(2);
          for (const id of labelledby) expect((await page.locator(`[id="${id}"]`).textContent())!.length).toBeGreaterThan(3);
        }
        expect(errors).toEqual([]);
      });
    }
  });
}

test('chart pages show their charts, a bar chart with whiskers, a table and downloads', async ({ page }) => {
  await page.goto(chartUrl(charts.counter));
  await expect(page.locator('h1')).toHaveText(charts.counter.c.title);
  // One of the two variants is visible at any width.
  await expect(page.locator('svg.chart-line:visible')).toHaveCount(1);
  await expect(page.locator('svg.chart-bar:visible')).toHaveCount(1);
  await expect(page.locator('svg.chart-bar:visible path.whisker').first()).toBeAttached();
  await expect(page.locator('table#figures tbody').first()).toBeVisible();
  await expect(page.getByText(/based on [\d,]+ eligible reports/i).first()).toBeVisible();
  for (const link of ['Every week (CSV)', 'Chart over time (SVG)']) await expect(page.getByRole('link', { name: link })).toBeVisible();
});

test('histogram buckets are ordered by their bound, not alphabetically', async ({ page }) => {
  test.skip(charts.histogram.c.type !== 'histogram', 'the site has no histogram chart');
  await page.goto(chartUrl(charts.histogram));
  const rows = await page.locator('table#figures tbody').first().locator('tr:not(.group) th').allTextContents();
  const bound = (s: string) => {
    const m = /([\d.]+)\s*(ns|us|µs|ms|s|m|h)?/.exec(s)!;
    const scale: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
    return Number(m[1]) * (scale[m[2] ?? 's'] ?? 1) + (/^>/.test(s) ? 1e-12 : 0);
  };
  const bounds = rows.filter((r) => /\d/.test(r)).map(bound);
  expect(bounds.length).toBeGreaterThan(2);
  expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
});

test('the finder is a plain list without JavaScript and filters with it', async ({ browser }) => {
  const total = index.programs.reduce((a, p) => a + p.charts.length, 0);
  const off = await browser.newContext({ javaScriptEnabled: false });
  const p1 = await off.newPage();
  await p1.goto('charts/');
  await expect(p1.locator('#chart-filter')).toBeHidden();
  await expect(p1.locator('[data-filter-item]:visible')).toHaveCount(total);
  await off.close();

  const on = await browser.newContext();
  const p2 = await on.newPage();
  await p2.goto('charts/');
  await p2.locator('#chart-filter').fill(charts.counter.c.title);
  await expect(p2.locator('[data-filter-item]:visible').first()).toContainText(charts.counter.c.title);
  expect(await p2.locator('[data-filter-item]:visible').count()).toBeLessThan(total);
  await expect(p2.locator('#chart-filter-status')).toContainText('match');
  await p2.locator('#chart-filter').fill('no chart is called this');
  await expect(p2.locator('[data-filter-item]:visible')).toHaveCount(0);
  await on.close();
});

test('the theme toggle switches light and dark and remembers the choice', async ({ page }) => {
  await page.goto('');
  const toggle = page.locator('#theme-toggle');
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveText('Theme: dark');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(dark);
  await toggle.click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
});

test('keyboard: a skip link first, then the navigation, with a visible focus ring', async ({ page }) => {
  await page.goto(chartUrl(charts.counter));
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip')).toBeFocused();
  const outline = await page.locator('a.skip').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // After skipping, focus moves into the main content.
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
});

test('week permalinks have link-preview tags and a Markdown snippet that links the image to the page', async ({ page }) => {
  const path = `${chartUrl(charts.counter)}${index.weeks.find((w) => !w.provisional)!.week}/`;
  await page.goto(path);
  const og = async (p: string) => page.locator(`meta[property="${p}"]`).getAttribute('content');
  expect(await og('og:image')).toMatch(/\.png$/);
  expect(Number(await og('og:image:width'))).toBe(1200);
  expect(Number(await og('og:image:height'))).toBeGreaterThan(300);
  expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
  const snippet = await page.locator('#snippet').textContent();
  // With JavaScript the page's origin is filled in.
  expect(snippet).toMatch(/^\[!\[.+\]\(http:\/\/127\.0\.0\.1:\d+\/.+\.png\)\]\(http:\/\/127\.0\.0\.1:\d+\/.+\/\)$/);
});
