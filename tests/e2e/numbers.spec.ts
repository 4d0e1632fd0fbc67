// The numbers in a chart's table are the numbers of dist/data/estimates.csv.
import { expect, type Page, test } from '@playwright/test';
import { charts, chartUrl, countText, estimateRows, index, latestFinal, type ChartRef, shareText, weekUrl } from './site.ts';

/** Table rows of one week group: bucket, x, share, interval. */
async function tableWeek(page: Page, week: string) {
  const body = page.locator(`table#figures tbody[data-week="${week}"]`);
  await expect(body).toHaveCount(1);
  const n = Number(await body.getAttribute('data-n'));
  const rows = await body
    .locator('tr:not(.group)')
    .evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th')!.firstChild!.textContent!.trim(), ...[...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())]),
    );
  return { n, rows };
}

function expectRowsMatchCsv(r: ChartRef, week: string, table: { n: number; rows: string[][] }) {
  const csv = estimateRows(week, r.p.program, r.c.chart);
  expect(csv.length).toBeGreaterThan(0);
  for (const row of csv) expect(Number(row['n'])).toBe(table.n);
  let compared = 0;
  for (const [bucket, x, share, interval] of table.rows) {
    const c = csv.find((row) => row['bucket'] === bucket);
    expect(c, `bucket ${bucket} of week ${week} is in estimates.csv`).toBeDefined();
    if (c!['x'] === '' || c!['share'] === '') continue;
    expect(x).toBe(countText(Number(c!['x'])));
    if (table.n >= 50) {
      const want = shareText(Number(c!['share']), Number(c!['ci95_low']), Number(c!['ci95_high']));
      expect(share).toBe(want.share);
      expect(interval).toBe(want.interval);
    }
    compared++;
  }
  expect(compared).toBeGreaterThan(0);
}

for (const kind of ['counter', 'histogram', 'metadata'] as const) {
  test(`${kind} chart: the table equals estimates.csv, on the chart page and on the week page`, async ({ page }) => {
    const r = charts[kind];
    await page.goto(chartUrl(r));
    const weeks = await page.locator('table#figures tbody').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-week')!));
    expect(weeks.length).toBeGreaterThan(0);
    for (const week of weeks.slice(0, 6)) {
      const t = await tableWeek(page, week);
      if (t.n > 0) expectRowsMatchCsv(r, week, t);
    }
    await page.goto(weekUrl(r, latestFinal));
    expectRowsMatchCsv(r, latestFinal, await tableWeek(page, latestFinal));
  });
}

test('weeks with too few eligible reports show counts only, never shares', async ({ page }) => {
  const small = index.programs
    .flatMap((p) => p.charts.map((c) => ({ p, c })))
    .filter(({ c }) => c.kind === 'counter')
    .flatMap((r) => index.weeks.map((w) => ({ r, week: w.week, rows: estimateRows(w.week, r.p.program, r.c.chart) })))
    .find(({ rows }) => rows.length > 0 && Number(rows[0]!['n']) > 0 && Number(rows[0]!['n']) < 50);
  test.skip(!small, 'no chart week with 1 to 49 eligible reports in this site');
  await page.goto(weekUrl(small!.r, small!.week));
  await expect(page.getByText(/too few for shares/).first()).toBeVisible();
  const t = await tableWeek(page, small!.week);
  for (const row of t.rows) expect(row[2]).toBe('—');
});
