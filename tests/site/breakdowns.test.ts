/** The breakdown view of a chart's week: rows per group, small groups and cells, the buckets left out, the comparison's words, the panels' SVG. */
import { describe, expect, it } from 'vitest';
import type { BucketChange, FlaggedComparison, PublishedBreakdown, PublishedBreakdownGroup } from '../../src/estimate/publish.ts';
import { toDay } from '../../src/lib/dates.ts';
import { dotPanel } from '../../src/render/dot-panel.ts';
import {
  breakdownBuckets,
  breakdownWeek,
  cellShare,
  cellText,
  chartHasBreakdowns,
  comparisonText,
  comparisonView,
  fitBreakdowns,
  withBreakdowns,
} from '../../src/site/breakdowns.ts';
import type { ChartView } from '../../src/site/model.ts';
import type { ChartFile, CounterChartWeek, IndexChart, IndexProgram, PublicBucket } from '../../src/sitedata/schema.ts';

const K = 10;
const BUCKETS = ['vscode', 'neovim', 'emacs', 'zed', 'helix', 'never'];

function group(name: string, n: number, xs: readonly number[]): PublishedBreakdownGroup {
  const small = BUCKETS.filter((_, i) => xs[i]! >= 1 && xs[i]! < K);
  const sx = xs.filter((x) => x >= 1 && x < K).reduce((a, b) => a + b, 0);
  return {
    group: name,
    n,
    suppressed: false,
    buckets: BUCKETS.map((bucket, i) =>
      xs[i]! >= 1 && xs[i]! < K
        ? { bucket, status: 'grouped' as const }
        : {
            bucket,
            status: 'published' as const,
            x: xs[i]!,
            share: xs[i]! / n,
            ci: [Math.max(0, xs[i]! / n - 0.05), Math.min(1, xs[i]! / n + 0.05)] as [number, number],
          },
    ),
    other: small.length
      ? {
          label: `other (each < ${K})`,
          members: small,
          x: sx < K ? null : sx,
          share: sx < K ? null : sx / n,
          ci: sx < K ? null : [sx / n - 0.01, sx / n + 0.01],
          suppressed: sx < K,
        }
      : null,
  };
}

// Version: v0.1 has small cells (emacs 4, zed 3: together 7, under k, so its "other" is suppressed); the group of small groups is under k.
// GOOS: windows has emacs 5, zed 8 and helix 9 under k: its "other" of 22 is published.
const breakdowns: PublishedBreakdown[] = [
  {
    by: 'Version',
    groups: [
      group('v0.1', 200, [150, 40, 4, 3, 20, 0]),
      group('v0.2 <b>&', 400, [300, 60, 30, 20, 10, 0]),
      { group: `other (each n < ${K})`, n: null, members: ['v0.0', 'devel'], suppressed: true, buckets: [], other: null },
    ],
  },
  { by: 'GOOS', groups: [group('linux', 300, [250, 80, 20, 15, 21, 0]), group('windows', 300, [200, 20, 5, 8, 9, 0])] },
];

function bucket(b: string, x: number, n: number): PublicBucket {
  return { bucket: b, status: 'published', x, share: x / n, ci: [0, 1] } as unknown as PublicBucket;
}

const week: CounterChartWeek = {
  week: toDay('2026-11-01'),
  provisional: false,
  n: 600,
  nActive: 600,
  programReports: 600,
  sensitive: false,
  other: null,
  buckets: [
    bucket('vscode', 450, 600),
    bucket('neovim', 100, 600),
    bucket('emacs', 34, 600),
    bucket('zed', 23, 600),
    bucket('helix', 30, 600),
    bucket('never', 0, 600),
  ],
  breakdowns,
};

function viewOf(buckets: string[], weeks: CounterChartWeek[]): ChartView {
  const entry = { program: 'p', chart: 'c', slug: 'c', kind: 'counter', type: 'partition', title: 'Editors', buckets } as unknown as IndexChart;
  const file = { ...entry, minCell: K, weeks } as unknown as ChartFile;
  return { program: { program: 'p', slug: 'p' } as unknown as IndexProgram, entry, file, buckets };
}

const view = viewOf(BUCKETS, [week]);

describe('breakdown view of a week', () => {
  it('keeps the largest buckets of the week, in the chart order, and names the rest; never-reported buckets are neither', () => {
    expect(breakdownBuckets(view, week, 3)).toEqual({ drawn: ['vscode', 'neovim', 'emacs'], leftOut: ['zed', 'helix'] });
    expect(breakdownBuckets(view, week, 3, true).drawn).toEqual(['vscode', 'neovim', 'emacs']);
    expect(breakdownBuckets(view, week, 4, true).drawn).toEqual(['vscode', 'neovim', 'emacs', 'helix']);
    expect(breakdownBuckets(view, week, 99).leftOut).toEqual([]);
  });

  it('has one row per published group in every panel, with the small cells and small groups as the pipeline grouped them', () => {
    const bv = breakdownWeek(view, week, 99)!;
    expect(bv.dimensions.map((d) => d.by)).toEqual(['Version', 'GOOS']);
    const version = bv.dimensions[0]!;
    // Five drawn buckets, then the groups' small-cell panel.
    expect(version.panels.map((p) => p.bucket)).toEqual(['vscode', 'neovim', 'emacs', 'zed', 'helix', `other (each < ${K})`]);
    for (const p of version.panels) expect(p.cells.map((c) => c.group)).toEqual(['v0.1', 'v0.2 <b>&', `other (each n < ${K})`]);
    const emacs = version.panels[2]!.cells;
    expect(emacs.map((c) => c.status)).toEqual(['grouped', 'published', 'suppressed']);
    expect(emacs[1]).toMatchObject({ x: 30, n: 400, share: 30 / 400 });
    expect(emacs[2]).toMatchObject({ n: null, members: ['v0.0', 'devel'] });
    const other = version.panels.at(-1)!;
    expect(other.other).toBe(true);
    // v0.1's small cells add up to 7, under k: suppressed; v0.2 has none.
    expect(other.cells.map((c) => c.status)).toEqual(['suppressed', 'none', 'suppressed']);
    const goosOther = bv.dimensions[1]!.panels.at(-1)!.cells;
    expect(goosOther.map((c) => c.status)).toEqual(['none', 'published']);
    expect(goosOther[1]).toMatchObject({ x: 22, n: 300 });
  });

  it('words each cell with its figures or why it has none', () => {
    const bv = breakdownWeek(view, week, 99)!;
    const [grouped, shown, small] = bv.dimensions[0]!.panels[2]!.cells;
    expect(cellText(shown!, K)).toBe('7.5% (2.5–12.5%), 30 of 400');
    expect(cellShare(shown!, K)).toBe('7.5% (2.5–12.5)');
    expect(cellText(grouped!, K)).toBe('fewer than 10 (in other)');
    expect(cellText(small!, K)).toBe('fewer than 10 installations');
    expect(cellShare(small!, K)).toBe('<10');
  });

  it('fits a byte budget by leaving out the smallest buckets first, always drawing one', () => {
    const all = fitBreakdowns(view, week, 1e9, 't')!;
    expect(all.drawn).toEqual(['vscode', 'neovim', 'emacs', 'zed', 'helix']);
    expect(all.dimensions[0]!.leftOut).toEqual([]);
    const bytes = (bv: NonNullable<typeof all>) => bv.dimensions.flatMap((d) => d.panels).reduce((a, p) => a + p.svg!.length, 0);
    const tight = fitBreakdowns(view, week, Math.round(bytes(all) * 0.6), 't')!;
    expect(tight.drawn.length).toBeLessThan(5);
    expect(tight.drawn.length).toBeGreaterThan(0);
    expect(tight.drawn[0]).toBe('vscode');
    expect([...tight.drawn, ...tight.dimensions[0]!.leftOut].sort()).toEqual(['emacs', 'helix', 'neovim', 'vscode', 'zed']);
    // The small-cell panels stay.
    expect(tight.dimensions.every((d) => d.panels.at(-1)!.other)).toBe(true);
    expect(fitBreakdowns(view, week, 0, 't')!.drawn).toEqual(['vscode']);
    // Ids are unique on the page.
    const ids = all.dimensions.flatMap((d) => d.panels.map((p) => /<svg[^>]* id="([^"]+)"/.exec(p.svg!)![1]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws no panel for a single-bucket counter (100% in every group)', () => {
    const one: CounterChartWeek = { ...week, buckets: [bucket('vscode', 600, 600)] };
    const bv = fitBreakdowns(viewOf(['vscode'], [one]), one, 1e9, 't')!;
    expect(bv.drawn).toEqual([]);
    expect(bv.dimensions[0]!.leftOut).toEqual([]);
  });

  it('is absent without breakdowns', () => {
    const none: CounterChartWeek = { ...week, breakdowns: undefined };
    expect(withBreakdowns(none)).toBeNull();
    expect(breakdownWeek(view, none, 5)).toBeNull();
    expect(chartHasBreakdowns(viewOf(BUCKETS, [none]))).toBe(false);
    expect(chartHasBreakdowns(view)).toBe(true);
  });
});

describe('dot panels', () => {
  const bv = fitBreakdowns(view, week, 1e9, 't')!;
  const svg = bv.dimensions[0]!.panels[2]!.svg!;

  it('gives each shown group a dot whose title has group, bucket, share, interval and n, and says why the others have none', () => {
    const titles = [...svg.matchAll(/<g><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['v0.2 &lt;b&gt;&amp;, emacs: 7.5% (2.5–12.5%), 30 of 400']);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('>&lt; 10 installations</text>');
    expect(svg).toContain('>&lt; 10</text>');
    expect(svg).not.toContain('<b>');
  });

  it('draws a provisional week with hollow dots', () => {
    const prov = fitBreakdowns(view, { ...week, provisional: true }, 1e9, 't')!;
    const p = prov.dimensions[0]!.panels[0]!.svg!;
    expect(p).toContain('class="dots provisional-point"');
    expect(p).toContain('(provisional): ');
    expect(svg).not.toContain('provisional');
  });

  it('scales from 0 to a rounded maximum that holds every interval', () => {
    const s = dotPanel({ title: 't', rows: [{ label: 'a', estimate: 0.31, lower: 0.2, upper: 0.43 }] }, { width: 240, theme: 'light' });
    expect(s).toContain('>60%</text>');
    expect(s).toContain('>0%</text>');
  });
});

describe('version comparison', () => {
  const change = (difference: number, lo: number, hi: number, flagged: boolean): BucketChange => ({
    difference,
    ci: [lo, hi],
    p: 0.001,
    adjustedP: flagged ? 0.01 : 0.4,
    flagged,
    failed: flagged ? [] : ['notSignificant'],
  });

  it('words a comparison as the shares of both groups and the difference in points with its interval', () => {
    expect(comparisonText('gopls/bug', 'v0.17', 0.004, 'v0.16', 0.012, change(-0.008, -0.011, -0.005, true), K)).toBe(
      'gopls/bug: v0.17 0.40% vs v0.16 1.2%, −0.80 points (−1.10 to −0.50)',
    );
    expect(comparisonText('vscode', 'v0.2', 0.75, 'v0.1', 0.6, change(0.15, 0.09, 0.21, true), K)).toBe(
      'vscode: v0.2 75.0% vs v0.1 60.0%, +15.0 points (+9.0 to +21.0)',
    );
    expect(comparisonText('zed', 'v0.2', null, 'v0.1', 0.02, change(-0.01, -0.03, 0.004, false), K)).toContain('v0.2 fewer than 10 vs');
  });

  it('lists flagged buckets first with the shares of changes.json, the rest by size, and names those not tested', () => {
    const w: CounterChartWeek = {
      ...week,
      versionComparison: {
        newest: 'v0.2 <b>&',
        previous: 'v0.1',
        buckets: [
          { bucket: 'vscode', change: change(0.0, -0.05, 0.05, false) },
          { bucket: 'neovim', change: change(-0.05, -0.1, -0.01, true) },
          { bucket: 'emacs', change: change(0.06, 0.03, 0.09, false) },
          { bucket: 'never', change: null },
        ],
      },
    };
    const flagged: FlaggedComparison[] = [
      {
        week: w.week,
        program: 'p',
        chart: 'c',
        bucket: 'neovim',
        newest: 'v0.2 <b>&',
        previous: 'v0.1',
        newestShare: 0.15,
        previousShare: 0.2,
        change: change(-0.05, -0.1, -0.01, true),
      },
      {
        week: toDay('2026-10-25'),
        program: 'p',
        chart: 'c',
        bucket: 'vscode',
        newest: 'v0.2 <b>&',
        previous: 'v0.1',
        newestShare: 0.9,
        previousShare: 0.1,
        change: change(0.8, 0.7, 0.9, true),
      },
    ];
    const cv = comparisonView(view, w, flagged)!;
    expect(cv.lines.map((l) => [l.bucket, l.flagged])).toEqual([
      ['neovim', true],
      ['emacs', false],
      ['vscode', false],
    ]);
    expect(cv.lines[0]!.text).toBe('neovim: v0.2 <b>& 15.0% vs v0.1 20.0%, −5.0 points (−10.0 to −1.0)');
    // emacs is grouped in v0.1 (4 installations): its share there is not published.
    expect(cv.lines[1]!.text).toBe('emacs: v0.2 <b>& 7.5% vs v0.1 fewer than 10, +6.0 points (+3.0 to +9.0)');
    expect(cv.notTested).toEqual(['never']);
    expect(cv.untested).toBe(false);
    expect(comparisonView(view, week, flagged)).toBeNull();
  });
});
