// Charts drawn for the question they answer: histograms as distributions, single buckets as means, the sampling page,
// reference shares beside dimension charts, and sortable tables.
import { expect, type Page, test } from '@playwright/test';
import { charts, chartUrl, estimateRows, index, latestFinal, shareText, weekUrl } from './site.ts';

const single = index.programs.flatMap((p) => p.charts.map((c) => ({ p, c }))).find(({ c }) => c.kind === 'counter' && c.buckets.length === 1);

test('a histogram page draws the distribution and shows each bucket’s share of events as in estimates.csv', async ({ page }) => {
  test.skip(charts.histogram.c.type !== 'histogram', 'the site has no histogram chart');
  for (const url of [chartUrl(charts.histogram), weekUrl(charts.histogram, latestFinal)]) {
    await page.goto(url);
    if (url === chartUrl(charts.histogram)) await expect(page.locator('svg.chart-distribution:visible')).toHaveCount(1);
    const table = page.locator(`table.distribution[data-week="${latestFinal}"]`);
    await expect(table).toHaveCount(1);
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        bucket: tr.getAttribute('data-bucket')!,
        share: tr.querySelector('td.event-share')!.textContent!.trim(),
        interval: tr.querySelectorAll('td')[1]!.textContent!.trim(),
      })),
    );
    const csv = estimateRows(latestFinal, charts.histogram.p.program, charts.histogram.c.chart);
    let compared = 0;
    for (const r of rows) {
      const c = csv.find((row) => row['bucket'] === r.bucket)!;
      expect(c, `bucket ${r.bucket} is in estimates.csv`).toBeDefined();
      if (c['event_share'] === '') continue;
      const want = shareText(Number(c['event_share']), Number(c['event_share_ci95_low']), Number(c['event_share_ci95_high']));
      expect(r.share).toBe(want.share);
      expect(r.interval).toBe(want.interval);
      compared++;
    }
    expect(compared).toBeGreaterThan(2);
    // Every drawn segment and quantile marker carries its figures.
    if (url === chartUrl(charts.histogram)) {
      const svg = page.locator('svg.chart-distribution:visible');
      const columns = await svg.locator('g.hover rect.column').count();
      expect(columns).toBeGreaterThan(10);
      expect(await svg.locator('g.hover rect.column title').count()).toBe(columns);
      await expect(svg.locator(`g.hover rect[data-week="${latestFinal}"] title`)).toContainText('share of events');
      await expect(svg.locator('g.hover rect.column title').last()).toContainText('median in');
    }
  }
});

test('a single-bucket counter draws events per installation, not a flat 100%', async ({ page }) => {
  test.skip(!single, 'the site has no single-bucket counter');
  await page.goto(chartUrl(single!));
  await expect(page.locator('svg.chart-mean:visible')).toHaveCount(1);
  await expect(page.locator('svg.chart-line')).toHaveCount(0);
  const row = estimateRows(latestFinal, single!.p.program, single!.c.chart)[0]!;
  expect(row['mean_events']).not.toBe('');
  const title = await page.locator(`svg.chart-mean:visible path.point title`).filter({ hasText: latestFinal }).textContent();
  const mean = Number(/mean ([\d,.]+)/.exec(title!)![1]!.replace(/,/g, ''));
  expect(Math.abs(mean - Number(row['mean_events'])) / Number(row['mean_events'])).toBeLessThan(0.005);
});

test('the sampling page gives reports, SampleRate and the installations they imply for every week', async ({ page }) => {
  await page.goto('sampling/');
  await expect(page.locator('h1')).toContainText('Sampling');
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(index.weeks.length);
  const rate = (index.build as { sampleRate?: number }).sampleRate!;
  const w = index.weeks.find((x) => x.week === latestFinal)!;
  const cells = await page.locator('table tbody tr').filter({ hasText: latestFinal }).locator('td').allTextContents();
  expect(cells[1]).toBe(w.reports.toLocaleString('en-US'));
  const implied = Number(/^([\d,]+)/.exec(cells[3]!)![1]!.replace(/,/g, ''));
  expect(Math.abs(implied - w.reports / rate)).toBeLessThanOrEqual(0.5);
  await expect(page.getByText('What this cannot know.')).toBeVisible();
});

test('a chart that is a reference dimension shows the reference share beside each sample share', async ({ page }) => {
  test.skip(!(index.build as { reference?: unknown }).reference, 'the site has no reference population');
  await page.goto(chartUrl(charts.metadata));
  const head = page.locator('table#figures thead th');
  await expect(head.filter({ hasText: 'Reference share' })).toHaveCount(1);
  const reference = (index.build as unknown as { reference: { dimensions: Record<string, Record<string, number>> } }).reference.dimensions['GOOS']!;
  const col = (await head.allTextContents()).findIndex((t) => t.includes('Reference share'));
  const body = page.locator(`table#figures tbody[data-week="${latestFinal}"]`);
  let checked = 0;
  for (const tr of await body.locator('tr:not(.group):not(.other)').all()) {
    const bucket = (await tr.locator('th').textContent())!.trim();
    const q = Object.hasOwn(reference, bucket) ? reference[bucket] : undefined;
    if (q === undefined) continue;
    const cell = (await tr.locator('th, td').nth(col).textContent())!.trim();
    expect(Number.parseFloat(cell)).toBeCloseTo(q * 100, 0);
    checked++;
  }
  expect(checked).toBeGreaterThan(1);
});

test('tables sort by any column with JavaScript, by keyboard, and say how they are sorted', async ({ page }) => {
  await page.goto(chartUrl(charts.counter));
  const body = page.locator('table#figures tbody').first();
  const shares = async () =>
    (await body.locator('tr:not(.group):not(.other) td:nth-of-type(2)').allTextContents()).map((t) => Number.parseFloat(t)).filter((v) => !Number.isNaN(v));
  const shareHead = page.locator('table#figures thead th').nth(2);
  await shareHead.locator('button.sort').focus();
  await page.keyboard.press('Enter');
  await expect(shareHead).toHaveAttribute('aria-sort', 'ascending');
  const up = await shares();
  expect(up.length).toBeGreaterThan(2);
  expect([...up].sort((a, b) => a - b)).toEqual(up);
  await shareHead.locator('button.sort').click();
  await expect(shareHead).toHaveAttribute('aria-sort', 'descending');
  const down = await shares();
  expect([...down].sort((a, b) => b - a)).toEqual(down);
  // The week heading stays the first row of its group.
  await expect(body.locator('tr').first()).toHaveClass(/group/);
});

test('with JavaScript, a crosshair lists the hovered week’s figures, follows the arrow keys, and lines can be toggled', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(chartUrl(charts.counter));
  const svg = page.locator('figure[data-chart-json] svg.chart-line:visible');
  await expect(svg).toHaveCount(1);
  const frame = svg.locator('rect.hover-frame');
  const weeks = (await frame.getAttribute('data-weeks'))!.split(',');
  const xs = (await frame.getAttribute('data-x'))!.split(',').map(Number);
  const i = weeks.indexOf(latestFinal);
  expect(i).toBeGreaterThanOrEqual(0);
  // Hover at the week's x (the chart scrolled into view first, so the pointer is over it).
  await svg.scrollIntoViewIfNeeded();
  const box = (await svg.boundingBox())!;
  const scale = box.width / Number(await svg.getAttribute('width'));
  await page.mouse.move(box.x + xs[i]! * scale, box.y + box.height / 3);
  const tip = page.locator('figure[data-chart-json] .crosshair-tip');
  await expect(tip).toBeVisible();
  await expect(tip.locator('strong')).toContainText(`Week ending ${latestFinal}`);
  const published = estimateRows(latestFinal, charts.counter.p.program, charts.counter.c.chart).filter((r) => r['share'] !== '' && r['small_cell'] === '');
  await expect(tip.locator('li:not(:has-text("other ("))')).toHaveCount(published.length);
  const top = [...published].sort((a, b) => Number(b['share']) - Number(a['share']))[0]!;
  await expect(tip.locator('li').first()).toContainText(`${top['bucket']}: ${(Number(top['share']) * 100).toFixed(1)}%`);
  // Keyboard: focus, then one week back.
  await svg.focus();
  await page.keyboard.press('End');
  await expect(tip.locator('strong')).toContainText(`Week ending ${weeks.at(-1)}`);
  await page.keyboard.press('ArrowLeft');
  await expect(tip.locator('strong')).toContainText(`Week ending ${weeks.at(-2)}`);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  // Toggling the first line hides its marks and shows them again.
  const toggle = page.locator('figure[data-chart-json] .series-toggles:visible button').first();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(svg.locator('path.line.series-0').first()).toBeHidden();
  await toggle.click();
  await expect(svg.locator('path.line.series-0').first()).toBeVisible();
});

/** Checks the range bar of the first visible chart matching `selector` on the page: last 12 weeks, kept on reload, then all. */
async function checkRange(page: Page, url: string, selector: string, titleWeek: (title: string, weeks: string[]) => string | undefined) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  const svg = page.locator(`${selector}:visible`).first();
  const frame = svg.locator('rect.hover-frame');
  const weeks = (await frame.getAttribute('data-weeks'))!.split(',');
  test.skip(weeks.length <= 12, 'the chart has 12 weeks or fewer');
  const bar = page.locator('figure.chart:visible .range-bar').first();
  await expect(bar.locator('button')).toHaveText(['Last 12 weeks', ...(weeks.length > 26 ? ['Last 26 weeks'] : []), `All ${weeks.length} weeks`]);
  await expect(bar.locator('button[aria-pressed="true"]')).toHaveText(`All ${weeks.length} weeks`);
  const lines = svg.locator('g.lines path');
  const drawn = await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
  expect(drawn.length).toBeGreaterThan(0);
  // Where each point is drawn on screen, by the week its title names, and where the plot is.
  const titles = await svg.locator('g.points path title').allTextContents();
  const layout = () =>
    svg.evaluate(
      (el, named) => {
        const f = el.querySelector('rect.hover-frame')!.getBoundingClientRect();
        const at: [string, number][] = [];
        const seen = new Set<string>();
        el.querySelectorAll('g.points path').forEach((p, i) => {
          const week = named[i];
          if (!week || seen.has(week)) return;
          seen.add(week);
          const r = p.getBoundingClientRect();
          at.push([week, r.x + r.width / 2]);
        });
        const ticks = [...el.querySelectorAll('g.axis-x text')].filter((t) => (t as SVGElement).style.display !== 'none');
        return {
          left: f.left,
          right: f.right,
          points: at,
          ticks: ticks.map((t) => ({ x: t.getBoundingClientRect().x + t.getBoundingClientRect().width / 2, label: t.textContent ?? '' })),
        };
      },
      titles.map((t) => titleWeek(t, weeks)),
    );
  await bar.getByRole('button', { name: 'Last 12 weeks' }).click();
  await expect(bar.locator('button[aria-pressed="true"]')).toHaveText('Last 12 weeks');
  const zoomed = await layout();
  const firstShown = weeks[weeks.length - 12]!;
  const step = (zoomed.right - zoomed.left) / 12;
  for (const [week, x] of zoomed.points) {
    if (week >= firstShown) {
      // Each shown week sits in its own twelfth of the plot.
      const slot = weeks.indexOf(week) - (weeks.length - 12);
      expect(Math.abs(x - (zoomed.left + step * (slot + 0.5))), `week ${week}`).toBeLessThan(1.5);
    } else expect(x, `week ${week} is left of the plot`).toBeLessThan(zoomed.left);
  }
  expect(zoomed.points.some(([w]) => w >= firstShown)).toBe(true);
  expect(zoomed.points.some(([w]) => w < firstShown)).toBe(true);
  expect(zoomed.ticks.length).toBeGreaterThan(0);
  for (const t of zoomed.ticks) expect(t.x).toBeGreaterThanOrEqual(zoomed.left - 1);
  expect(zoomed.ticks[0]!.label).toMatch(/\d{4}/);
  // The choice is kept across pages; "All" draws the lines exactly as built.
  await page.reload();
  await expect(bar.locator('button[aria-pressed="true"]')).toHaveText('Last 12 weeks');
  await bar.getByRole('button', { name: `All ${weeks.length} weeks` }).click();
  expect(await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('d')))).toEqual(drawn);
  expect(errors).toEqual([]);
  return { svg, firstShown };
}

test('with JavaScript, the range bar shows the last 12 weeks of a line chart, keeps the choice, and restores every week', async ({ page }) => {
  const { svg, firstShown } = await checkRange(page, chartUrl(charts.counter), 'figure[data-chart-json] svg.chart-line', (t, weeks) =>
    weeks.find((w) => t.includes(` · ${w}`)),
  );
  // The crosshair stays within the shown weeks.
  await page.locator('figure.chart:visible .range-bar button', { hasText: 'Last 12 weeks' }).click();
  await svg.focus();
  await page.keyboard.press('Home');
  await expect(page.locator('figure[data-chart-json] .crosshair-tip strong')).toContainText(`Week ending ${firstShown}`);
});

test('with JavaScript, the range bar also zooms the mean chart of a single-bucket counter', async ({ page }) => {
  test.skip(!single, 'the site has no single-bucket counter');
  await checkRange(page, chartUrl(single!), 'svg.chart-mean', (t) => /^(\d{4}-\d{2}-\d{2})/.exec(t)?.[1]);
});

test('a chart page with a table of provisional weeks prints each table note once, after both tables', async ({ page }) => {
  await page.goto(chartUrl(charts.counter));
  test.skip((await page.locator('table#figures-provisional').count()) === 0, 'the chart page has no provisional table');
  const notes = await page
    .locator('table#figures-provisional')
    .locator('xpath=ancestor::div[contains(@class, "table-wrap")]/following-sibling::p[contains(@class, "note")]')
    .allTextContents();
  expect(notes.length).toBeGreaterThan(0);
  const all = await page.locator('p.note').allTextContents();
  for (const n of notes)
    expect(
      all.filter((t) => t === n),
      n.slice(0, 60),
    ).toHaveLength(1);
});

test('the page script stays small', async ({ request }) => {
  const js = await (await request.get('site.js')).body();
  expect(js.length).toBeLessThan(15_000);
});
