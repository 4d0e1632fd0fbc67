/**
 * breakdowns.csv through the real pipeline, on a small seeded demo archive,
 * against an independent recount of the archive lines
 * (tests/helpers/breakdown-recount.ts):
 *
 * - with --min-cell 1 every row's x and n are the recount's, every group with
 *   eligible reports and every bucket of its chart has a row, and share and
 *   interval follow from x and n;
 * - under the default policy (k = 10) the rows are those the small-cell rule
 *   gives from the recount: groups of fewer than k installations merged into
 *   "other (each n < k)", buckets of 1 to k-1 installations of a group in
 *   its "other (each < k)" row;
 * - the chart files carry the same figures, and the existing files are what
 *   they were;
 * - with --suppress-complements no breakdown is published, and index.json says so.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { ensureDemo, type DemoLocation } from '../../src/demo/index.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { ChangesFile, ChartFile, CounterChartWeek, IndexFile, QualityFile } from '../../src/sitedata/schema.ts';
import { acceptedReports, cellKey, recount, recountConfig, type RecountCell, weekOf, wilsonInterval } from '../helpers/breakdown-recount.ts';

const K = 10;
const COLUMNS = 'week,program,chart,bucket,by,group,x,n,share,ci95_low,ci95_high,provisional,small_cell';
const dir = mkdtempSync(join(tmpdir(), 'breakdowns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let demo: DemoLocation;
const out = (name: string) => join(dir, name);
const read = (name: string, f: string) => readFileSync(join(out(name), f), 'utf8');

async function build(name: string, extra: string[], asOf: string = demo.asOf) {
  const argv = ['--source', demo.archiveDir, '--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig];
  argv.push('--as-of', asOf, '--cache', join(dir, 'cache'), '--out', out(name), '--jobs', '1', ...extra);
  await runPipeline(parseOptions(argv, 1)!, { log: () => {}, progress: 'never', today: () => demo.asOf as never });
}

/** breakdowns.csv as rows keyed by column name. */
function rows(name: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(read(name, 'breakdowns.csv'));
  expect(header!.join(',')).toBe(COLUMNS);
  return body.map((r) => Object.fromEntries(header!.map((c, i) => [c, r[i]!])));
}

/** Week -> cell key -> counts, recounted from the archive. */
const truth = new Map<string, Map<string, RecountCell>>();

beforeAll(async () => {
  demo = await ensureDemo(join(dir, 'demo'), 3, () => {}, { weeks: 3, scale: 1 });
  await build('exact', ['--min-cell', '1']);
  await build('group', []);
  await build('suppress', ['--suppress-complements']);
  // Weeks are provisional until 10 days after their Sunday: a later build date makes them final, so they are tested.
  await build('final', [], '2026-12-31');
  const cfg = recountConfig(readFileSync(demo.uploadConfig, 'utf8'), readFileSync(demo.chartConfig, 'utf8'));
  const quality = JSON.parse(read('exact', 'quality.json')) as QualityFile;
  const index = JSON.parse(read('exact', 'index.json')) as IndexFile;
  const weeks = new Set<string>(index.weeks.map((w) => w.week));
  for (const day of readdirSync(demo.archiveDir).sort()) {
    const week = weekOf(day.slice(0, 10));
    if (!weeks.has(week)) continue;
    const reports = acceptedReports(readFileSync(join(demo.archiveDir, day), 'utf8'), day.slice(0, 10));
    // The recount accepts exactly the lines the pipeline accepted.
    expect(reports.length, day).toBe(quality.days.find((d) => d.day === day.slice(0, 10))?.ledger?.accepted ?? 0);
    if (!truth.has(week)) truth.set(week, new Map());
    recount(reports, cfg, truth.get(week)!);
  }
}, 240_000);

/** Expected rows as "week|program|chart|by|group|bucket" -> "x/n/small_cell". */
function expected(k: number): Map<string, string> {
  const m = new Map<string, string>();
  for (const [week, cells] of truth) {
    // Per program, chart and dimension: its groups.
    const byChart = new Map<string, [string, RecountCell][]>();
    for (const [key, cell] of cells) {
      const [program, chart, by, group] = key.split('\t') as [string, string, string, string];
      const ck = cellKey(program, chart, by, '');
      byChart.set(ck, [...(byChart.get(ck) ?? []), [group, cell]]);
    }
    for (const [ck, groups] of byChart) {
      const [program, chart, by] = ck.split('\t');
      const put = (group: string, n: number, x: Map<string, number>) => {
        let other = 0;
        for (const [bucket, bx] of x) {
          if (k > 1 && bx >= 1 && bx < k) other += bx;
          else m.set([week, program, chart, by, group, bucket].join('|'), `${bx}/${n}/`);
        }
        if (x.size > 0 && [...x.values()].some((bx) => k > 1 && bx >= 1 && bx < k)) {
          m.set([week, program, chart, by, group, `other (each < ${k})`].join('|'), other < k ? `/${n}/suppressed` : `${other}/${n}/other`);
        }
      };
      const small = groups.filter(([, c]) => k > 1 && c.n < k);
      for (const [group, c] of groups) if (!(k > 1 && c.n < k)) put(group, c.n, c.x);
      const n = small.reduce((a, [, c]) => a + c.n, 0);
      if (small.length > 0 && n >= k) {
        const x = new Map([...small[0]![1].x.keys()].map((b) => [b, small.reduce((a, [, c]) => a + c.x.get(b)!, 0)]));
        put(`other (each n < ${k})`, n, x);
      }
    }
  }
  return m;
}

function published(name: string): Map<string, string> {
  return new Map(rows(name).map((r) => [[r.week, r.program, r.chart, r.by, r.group, r.bucket].join('|'), `${r.x}/${r.n}/${r.small_cell}`]));
}

describe('breakdowns.csv', () => {
  it('equals an independent recount of the archive, row for row, with every count published (--min-cell 1)', () => {
    const want = expected(1);
    const got = published('exact');
    expect(want.size).toBeGreaterThan(500);
    expect(got.size).toBe(rows('exact').length); // no row twice
    expect([...got].sort()).toEqual([...want].sort());
    // Several groups per dimension.
    const groups = new Set(rows('exact').map((r) => `${r.by}|${r.group}`));
    expect([...groups].filter((g) => g.startsWith('Version|')).length).toBeGreaterThan(2);
    expect([...groups].filter((g) => g.startsWith('GOOS|')).length).toBeGreaterThan(2);
    expect([...groups].filter((g) => g.startsWith('GoVersion|')).length).toBeGreaterThan(1);
    const index = JSON.parse(read('exact', 'index.json')) as IndexFile;
    const provisional = new Map<string, string>(index.weeks.map((w) => [w.week, String(w.provisional)]));
    for (const r of rows('exact')) {
      const x = Number(r.x);
      const n = Number(r.n);
      const [lo, hi] = wilsonInterval(x, n);
      expect(Number(r.share)).toBeCloseTo(x / n, 6);
      expect(Number(r.ci95_low)).toBeCloseTo(lo, 6);
      expect(Number(r.ci95_high)).toBeCloseTo(hi, 6);
      expect(r.provisional).toBe(provisional.get(r.week!));
    }
  });

  it('applies the small-cell rule to groups and buckets under the default policy', () => {
    const want = expected(K);
    const got = published('group');
    expect([...got].sort()).toEqual([...want].sort());
    expect([...got.values()].some((v) => v.endsWith('/other'))).toBe(true);
    expect([...got.keys()].some((k) => k.includes(`|other (each n < ${K})|`))).toBe(true);
    // No shown bucket of a group has fewer than k installations.
    for (const r of rows('group')) if (r.small_cell === '') expect(Number(r.x) === 0 || Number(r.x) >= K).toBe(true);
  });

  it('lists the rows week by week, charts in index order, then Version, GOOS, GoVersion', () => {
    const index = JSON.parse(read('group', 'index.json')) as IndexFile;
    const chartOrder = new Map(index.programs.flatMap((p) => p.charts.map((c) => `${c.program}|${c.chart}`)).map((k, i) => [k, i]));
    const dims = ['Version', 'GOOS', 'GoVersion'];
    const rs = rows('group');
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1]!;
      const b = rs[i]!;
      const ka = [a.week, chartOrder.get(`${a.program}|${a.chart}`)!, dims.indexOf(a.by!)];
      const kb = [b.week, chartOrder.get(`${b.program}|${b.chart}`)!, dims.indexOf(b.by!)];
      const cmp = ka[0]! < kb[0]! ? -1 : ka[0]! > kb[0]! ? 1 : Number(ka[1]) - Number(kb[1]) || Number(ka[2]) - Number(kb[2]);
      expect(cmp, `${i}`).toBeLessThanOrEqual(0);
    }
  });

  it('is the rows of the chart files, and leaves metadata and stack charts without breakdowns', () => {
    const index = JSON.parse(read('group', 'index.json')) as IndexFile;
    expect(index.build.breakdowns).toBe('published');
    expect(index.files).toContain('breakdowns.csv');
    const got = published('group');
    let compared = 0;
    for (const c of index.programs.flatMap((p) => p.charts)) {
      const file = JSON.parse(read('group', c.file)) as ChartFile;
      for (const w of file.weeks as CounterChartWeek[]) {
        if (c.kind !== 'counter') {
          expect(w.breakdowns).toBeUndefined();
          continue;
        }
        expect(w.breakdowns!.map((b) => b.by)).toEqual(c.program.startsWith('cmd/') ? ['GOOS', 'GoVersion'] : ['Version', 'GOOS', 'GoVersion']);
        for (const bd of w.breakdowns!) {
          for (const g of bd.groups) {
            if (g.suppressed) continue;
            expect(g.buckets.map((b) => b.bucket)).toEqual(c.buckets);
            for (const b of g.buckets) {
              const key = [w.week, c.program, c.chart, bd.by, g.group, b.bucket].join('|');
              if (b.status === 'grouped') expect(got.has(key)).toBe(false);
              else {
                expect(got.get(key)).toBe(`${b.x}/${g.n}/`);
                compared++;
              }
            }
          }
        }
      }
    }
    expect(compared).toBe([...got.values()].filter((v) => v.endsWith('/')).length);
  });

  it.each(['group', 'final'])('compares the two newest published Version groups, and lists the flagged comparisons in changes.json (%s)', (name) => {
    const index = JSON.parse(read(name, 'index.json')) as IndexFile;
    const changes = JSON.parse(read(name, 'changes.json')) as ChangesFile;
    const provisional = new Set(index.weeks.filter((w) => w.provisional).map((w) => w.week));
    const flagged: string[] = [];
    let compared = 0;
    for (const c of index.programs.flatMap((p) => p.charts).filter((c) => c.kind === 'counter')) {
      const file = JSON.parse(read(name, c.file)) as ChartFile;
      for (const w of file.weeks as CounterChartWeek[]) {
        const versions = w.breakdowns?.find((b) => b.by === 'Version')?.groups.filter((g) => !g.members && /^v\d+\.\d+$/.test(g.group)) ?? [];
        const cmp = w.versionComparison;
        if (versions.length < 2) {
          expect(cmp).toBeUndefined();
          continue;
        }
        expect([cmp!.previous, cmp!.newest]).toEqual(versions.slice(-2).map((g) => g.group));
        expect(cmp!.status === 'provisional').toBe(provisional.has(w.week));
        for (const b of cmp!.buckets) {
          if (b.change === null) continue;
          compared++;
          // The difference is the published shares' (both groups of k or more installations; the bucket's share is in the group rows unless grouped).
          const share = (g: string) =>
            rows(name).find(
              (r) => r.week === w.week && r.chart === c.chart && r.program === c.program && r.by === 'Version' && r.group === g && r.bucket === b.bucket,
            )?.share;
          const [s1, s0] = [share(cmp!.newest), share(cmp!.previous)];
          if (s1 !== undefined && s0 !== undefined) expect(b.change.difference).toBeCloseTo(Number(s1) - Number(s0), 5);
          if (b.change.flagged) flagged.push([w.week, c.program, c.chart, b.bucket].join('|'));
        }
      }
    }
    // The default build's weeks are all provisional, so nothing is tested; the later build date tests them.
    if (name === 'final') expect(compared).toBeGreaterThan(5);
    else expect(compared).toBe(0);
    expect(changes.comparisons.map((f) => [f.week, f.program, f.chart, f.bucket].join('|')).sort()).toEqual(flagged.sort());
    expect(JSON.parse(read('suppress', 'changes.json')).comparisons).toEqual([]);
  });

  it('publishes no breakdowns with --suppress-complements, and says so', () => {
    expect(read('suppress', 'breakdowns.csv')).toBe(`${COLUMNS}\n`);
    const index = JSON.parse(read('suppress', 'index.json')) as IndexFile;
    expect(index.build.breakdowns).toBe('withheld');
    for (const c of index.programs.flatMap((p) => p.charts)) {
      const file = JSON.parse(read('suppress', c.file)) as ChartFile;
      for (const w of file.weeks) expect('breakdowns' in w).toBe(false);
    }
  });
});
