// Chart legibility in the DOM: hover text on every point without scripts, one colour per series and no dash but
// "provisional", every bucket drawn somewhere, one week named per page; and the 404 page.
import { expect, type Page, test } from '@playwright/test';
import { charts, chartUrl, index, latestFinal, weekUrl } from './site.ts';

test.use({ javaScriptEnabled: false });

/** Every non-stack chart page of the site (the demo has a few dozen). */
const chartPages = index.programs.flatMap((p) => p.charts.filter((c) => c.kind !== 'stack').map((c) => ({ p, c })));

async function eachChartPage(page: Page, fn: (url: string) => Promise<void>): Promise<number> {
  let n = 0;
  for (const r of chartPages) {
    const url = chartUrl(r);
    await page.goto(url);
    await fn(url);
    n++;
  }
  return n;
}

test('every plotted point and bar carries a <title> with its week, bucket, share, interval and n', async ({ page }) => {
  test.setTimeout(180_000);
  let points = 0;
  await eachChartPage(page, async (url) => {
    const missing = await page.locator('main svg.chart').evaluateAll((svgs) => {
      const out: string[] = [];
      for (const svg of svgs) {
        // Points: paths in a .point group (lines and panels) and the bars of bar charts.
        const marks = [...svg.querySelectorAll('g.point > path, rect.bar, path.last')];
        for (const m of marks) if (!m.querySelector(':scope > title')?.textContent) out.push(`${svg.id}: ${m.outerHTML.slice(0, 80)}`);
      }
      return out;
    });
    expect(missing, url).toEqual([]);
    const titles = await page.locator('main svg.chart-line g.point > path > title, main svg.chart-panel g.point > path > title').allTextContents();
    for (const t of titles) expect(t, url).toMatch(/^.+ · \d{4}-\d{2}-\d{2}( \(provisional\))?: \d+\.\d+%( \(\d+\.\d+–\d+\.\d+\))?, n = [\d,]+$/);
    points += titles.length;
  });
  // A wide line chart of 30 weeks draws every week's point: hundreds of titles across the site.
  expect(points).toBeGreaterThan(500);
});

test('no two series of one chart share a colour, and only provisional lines are dashed', async ({ page }) => {
  test.setTimeout(180_000);
  let checked = 0;
  await eachChartPage(page, async (url) => {
    for (const svg of await page.locator('main svg.chart-line').all()) {
      const lines = await svg
        .locator('path.line')
        .evaluateAll((ps) => ps.map((p) => ({ cls: p.getAttribute('class')!, stroke: p.getAttribute('stroke'), dash: p.getAttribute('stroke-dasharray') })));
      const final = lines.filter((l) => !l.cls.includes('provisional-line'));
      expect(new Set(final.map((l) => l.stroke)).size, `${url}: ${JSON.stringify(final)}`).toBe(final.length);
      for (const l of final) expect(l.dash, url).toBeNull();
      for (const l of lines.filter((x) => x.cls.includes('provisional-line'))) expect(l.dash, url).not.toBeNull();
      if (final.length > 1) checked++;
    }
    // Coloured bars match their lines: no two coloured bars share a colour (grey is for the buckets without a line).
    for (const svg of await page.locator('main svg.chart-bar').all()) {
      const fills = await svg.locator('rect.bar').evaluateAll((rs) => rs.map((r) => r.getAttribute('fill')!));
      const coloured = fills.filter((f) => !f.includes('--chart-other'));
      expect(new Set(coloured).size, url).toBe(coloured.length);
    }
  });
  expect(checked).toBeGreaterThan(10);
});

test('every bucket of a chart is drawn: in the line chart, or in a panel of its own', async ({ page }) => {
  test.setTimeout(180_000);
  let withPanels = 0;
  await eachChartPage(page, async (url) => {
    const tableBuckets = new Set(
      (
        await page.locator('table#figures tbody tr:not(.group):not(.other) th, table#figures-provisional tbody tr:not(.group):not(.other) th').allTextContents()
      ).map((t) => t.trim()),
    );
    // The small-cell group is a row of the table, not a bucket of its own.
    for (const b of [...tableBuckets]) if (/^other \(/.test(b)) tableBuckets.delete(b);
    const panelNames = (await page.locator('ul.panels li .name').allTextContents()).map((t) => t.trim());
    // The chart over time: lines (point titles "bucket · week: …"), a histogram's distribution (a path per
    // bucket), or a single bucket's mean per installation (which is that bucket).
    const lineNames = await page
      .locator('main svg.chart-line, main svg.chart-distribution, main svg.chart-mean')
      .first()
      .evaluate((svg) => {
        if (svg.classList.contains('chart-mean')) return null;
        if (svg.classList.contains('chart-distribution'))
          return [...svg.querySelectorAll('g.columns path.segments')].map((p) => p.getAttribute('data-bucket')!);
        const names = [...svg.querySelectorAll('g.point > path > title')].map((t) => t.textContent!.split(' · ')[0]!);
        return [...new Set(names)];
      });
    const drawn = new Set([...panelNames, ...(lineNames ?? [...tableBuckets])]);
    for (const b of tableBuckets) expect(drawn.has(b), `${url}: bucket ${b} is in the table but drawn nowhere`).toBe(true);
    if (panelNames.length > 0) {
      withPanels++;
      // A panel per bucket, each with its line or points drawn, or saying why there is none (a small cell in every week).
      expect(new Set(panelNames).size, url).toBe(panelNames.length);
      const empty = await page
        .locator('ul.panels li')
        .evaluateAll((lis) =>
          lis.filter((li) => !li.querySelector('svg path.line[d], svg g.point path, svg text.no-data')).map((li) => li.querySelector('.name')!.textContent),
        );
      expect(empty, url).toEqual([]);
    }
  });
  expect(withPanels).toBeGreaterThan(5);
});

test('the panels are what a phone shows, two to a row, and every bucket is there', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(chartUrl(charts.counter));
  const panels = page.locator('ul.panels li');
  const n = await panels.count();
  expect(n).toBeGreaterThan(2);
  for (let i = 0; i < n; i++) await expect(panels.nth(i).locator('svg')).toBeVisible();
  const boxes = await panels.evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect()).map((r) => ({ x: r.x, w: r.width })));
  expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(2);
  for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(360);
  await context.close();
});

test('one week per page: end labels, bars, panels and the table start at the latest final week', async ({ page }) => {
  await page.goto(chartUrl(charts.counter));
  const desc = await page.locator('main svg.chart-line').first().locator('desc').textContent();
  expect(desc).toContain(`week ${latestFinal}`);
  expect(await page.locator('table#figures tbody').first().getAttribute('data-week')).toBe(latestFinal);
  expect(await page.locator('main svg.chart-bar').first().locator('desc').textContent()).toContain(`in week ${latestFinal}`);
  for (const t of await page.locator('svg.chart-panel g.point > path > title').allTextContents())
    if (!t.includes('(provisional)')) expect(t).toContain(` · ${latestFinal}:`);
  // Provisional weeks are in a table of their own.
  const provisional = index.weeks.filter((w) => w.provisional).map((w) => w.week);
  const provWeeks = await page.locator('table#figures-provisional tbody').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-week')));
  expect([...provWeeks].sort()).toEqual(provisional.filter((w) => w > latestFinal).sort());
});

test('a provisional week permalink draws hollow bars; a final one filled bars', async ({ page }) => {
  const provisional = index.weeks.find((w) => w.provisional);
  test.skip(!provisional, 'no provisional week in this site');
  await page.goto(weekUrl(charts.counter, provisional!.week));
  const hollow = page.locator('main svg.chart-bar:visible rect.bar.provisional-bar');
  expect(await hollow.count()).toBeGreaterThan(0);
  await expect(page.locator('main svg.chart-bar:visible rect.bar:not(.provisional-bar)')).toHaveCount(0);
  await page.goto(weekUrl(charts.counter, latestFinal));
  await expect(page.locator('main svg.chart-bar:visible rect.bar.provisional-bar')).toHaveCount(0);
  expect(await page.locator('main svg.chart-bar:visible rect.bar').count()).toBeGreaterThan(0);
});

test('an unknown address gets the 404 page, which links home', async ({ page }) => {
  // The static server answers 404 with its own text; the site's page is 404.html, which hosts such as GitHub Pages serve.
  await page.goto('404.html');
  await expect(page.locator('h1')).toHaveText('Page not found');
  const home = page.getByRole('link', { name: 'Overview' }).last();
  expect(await home.getAttribute('href')).toBe('/');
  await home.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('h1')).toBeVisible();
});
