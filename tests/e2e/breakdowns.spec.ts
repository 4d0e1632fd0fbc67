// Breakdowns on the built site: the week's view by version, OS and Go version agrees with breakdowns.csv, the version comparison with
// changes.json, and the per-chart and per-week breakdown downloads are the chart's rows of breakdowns.csv.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { csvParse, type DSVRowString } from 'd3-dsv';
import { index, latestFinal, readDist, shareText } from './site.ts';

interface Comparison {
  week: string;
  program: string;
  chart: string;
  bucket: string;
  newest: string;
  previous: string;
  newestShare: number;
  previousShare: number;
  change: { difference: number; ci: [number, number] };
}

const breakdowns = csvParse(readDist('data/breakdowns.csv'));
const comparisons = (JSON.parse(readDist('data/changes.json')) as { comparisons: Comparison[] }).comparisons;

// A counter chart of a program with versions whose latest final week has flagged version comparisons, the most of any chart.
const counts = new Map<string, number>();
for (const c of comparisons) if (c.week === latestFinal) counts.set(`${c.program}\n${c.chart}`, (counts.get(`${c.program}\n${c.chart}`) ?? 0) + 1);
const [key] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [''];
const [programName, chartName] = key.split('\n');
const program = index.programs.find((p) => p.program === programName);
const chart = program?.charts.find((c) => c.chart === chartName);
const url = program && chart ? `charts/${program.slug}/${chart.slug}/` : '';
const rowsOf = (week?: string) =>
  breakdowns.filter((r) => r['program'] === programName && r['chart'] === chartName && (week === undefined || r['week'] === week));
const plain = (rows: DSVRowString[]) => rows.map((r) => ({ ...r }));

const count = (v: string) => Number(v).toLocaleString('en-US');
const digits = (...v: number[]) => (v.some((s) => s > 0 && s < 0.01) ? 2 : 1);
const percent = (v: number, d: number) => {
  const s = (v * 100).toFixed(d);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
};
const signed = (v: number, d: number) => {
  const s = percent(Math.abs(v), d);
  return /^0(\.0+)?$/.test(s) ? s : `${v < 0 ? '−' : '+'}${s}`;
};

/** The sentence the pages write for a comparison, from changes.json's figures. */
function comparisonSentence(c: Comparison): string {
  const share = (s: number) => `${percent(s, digits(s))}%`;
  const d = c.change.difference;
  const [lo, hi] = c.change.ci;
  const dd = digits(Math.abs(d), Math.abs(lo), Math.abs(hi));
  return `${c.bucket}: ${c.newest} ${share(c.newestShare)} vs ${c.previous} ${share(c.previousShare)}, ${d >= 0 ? '+' : '−'}${percent(Math.abs(d), digits(Math.abs(d)))} points (${signed(lo, dd)} to ${signed(hi, dd)})`;
}

test.describe('breakdowns', () => {
  test.skip(!chart, 'the site has no flagged version comparison in its latest final week');

  test('the week page draws each group of each dimension, its dots titled with the figures of breakdowns.csv', async ({ page }) => {
    await page.goto(`${url}${latestFinal}/`);
    await expect(page.locator('h2#breakdowns')).toHaveText('By version, OS and Go version');
    const rows = rowsOf(latestFinal);
    expect(rows.length).toBeGreaterThan(0);
    const dims = [...new Set(rows.map((r) => r['by']!))];
    expect(dims).toContain('Version');
    for (const by of dims) {
      const section = page.locator('section.breakdown', { has: page.locator(`h3#bd-${by}`) });
      const drawn = await section.locator('ul.dot-panels > li > .name').allTextContents();
      expect(drawn.length, by).toBeGreaterThan(0);
      const titles = (await section.locator('svg.chart-dots g > title').allTextContents()).sort();
      // Every shown row of a drawn bucket (and of the groups' small-cell groups) is one dot; suppressed rows have none.
      const expected = rows
        .filter((r) => r['by'] === by && drawn.includes(r['bucket']!) && r['small_cell'] !== 'suppressed')
        .map((r) => {
          const t = shareText(Number(r['share']), Number(r['ci95_low']), Number(r['ci95_high']));
          return `${r['group']}, ${r['bucket']}${r['provisional'] === 'true' ? ' (provisional)' : ''}: ${t.share} (${t.interval}), ${count(r['x']!)} of ${count(r['n']!)}`;
        })
        .sort();
      expect(titles, by).toEqual(expected);
      // The table lists every group of the dimension with its n.
      const groups = [...new Set(rows.filter((r) => r['by'] === by).map((r) => r['group']!))];
      const heads = await section.locator('table.bd tbody th').allTextContents();
      for (const g of groups) expect(heads, by).toContain(g);
    }
    // Buckets left out are named.
    const seen = new Set(rows.filter((r) => r['small_cell'] === '').map((r) => r['bucket']));
    const drawnAll = new Set(await page.locator('section.breakdown ul.dot-panels > li > .name').allTextContents());
    const missing = [...seen].filter((b) => !drawnAll.has(b!));
    if (missing.length > 0) for (const b of missing) await expect(page.locator('p.note', { hasText: 'left out' })).toContainText(b!);
  });

  test('the comparison sentences are the figures of changes.json, on the chart page and the week page', async ({ page }) => {
    const flagged = comparisons
      .filter((c) => c.week === latestFinal && c.program === programName && c.chart === chartName)
      .sort((a, b) => Math.abs(b.change.difference) - Math.abs(a.change.difference));
    expect(flagged.length).toBeGreaterThan(0);
    await page.goto(url);
    const onChart = (await page.locator('ul.comparisons > li').allTextContents()).map((t) => t.trim().replace(/^[▲▼] flagged: /, ''));
    expect(onChart).toEqual(flagged.slice(0, 5).map(comparisonSentence));
    await expect(page.locator('p.comparison-head')).toContainText(`${flagged.length} of `);
    await page.goto(`${url}${latestFinal}/`);
    const onWeek = (await page.locator('ul.comparisons > li').allTextContents()).map((t) => t.trim());
    const flaggedOnWeek = onWeek.filter((t) => /^[▲▼] flagged: /.test(t)).map((t) => t.replace(/^[▲▼] flagged: /, ''));
    expect(flaggedOnWeek).toEqual(flagged.map(comparisonSentence));
    for (const [i, c] of flagged.entries()) expect(onWeek[i]!.startsWith(c.change.difference > 0 ? '▲' : '▼')).toBe(true);
  });

  test('the breakdown downloads are the chart’s rows of breakdowns.csv, linked from its pages', async ({ page, request }) => {
    const week = await request.get(`${url}${latestFinal}/breakdowns.csv`);
    expect(week.status()).toBe(200);
    expect(week.headers()['content-type']).toMatch(/^text\/csv/);
    const weekText = await week.text();
    expect(weekText.split('\n')[0]).toBe(readDist('data/breakdowns.csv').split('\n')[0]);
    expect(plain(csvParse(weekText))).toEqual(plain(rowsOf(latestFinal)));
    const all = await request.get(`${url}breakdowns.csv`);
    expect(all.status()).toBe(200);
    expect(plain(csvParse(await all.text()))).toEqual(plain(rowsOf()));
    await page.goto(url);
    await expect(page.locator(`ul.downloads a[href$="${url}breakdowns.csv"]`)).toHaveCount(1);
    await page.goto(`${url}${latestFinal}/`);
    await expect(page.locator(`ul.downloads a[href$="${url}${latestFinal}/breakdowns.csv"]`)).toHaveCount(1);
  });

  for (const scheme of ['light', 'dark'] as const)
    test(`the week page with its breakdowns has no serious or critical axe violation (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${url}${latestFinal}/`);
      // Open the tables so they are checked too.
      for (const d of await page.locator('section.breakdown details').all()) await d.evaluate((e: HTMLDetailsElement) => (e.open = true));
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
      expect(bad).toEqual([]);
    });
});
