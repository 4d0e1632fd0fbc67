/**
 * The whole data pipeline on the demo archive: every planted defect is in the
 * data-quality ledger with the right reason, every line is accounted for, the
 * output files have the promised shape, and two builds give the same bytes.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3-dsv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { ensureDemo } from '../../src/demo/index.ts';
import { runPipeline, type RunResult } from '../../src/pipeline/run.ts';
import { REJECT } from '../../src/parse/rejects.ts';
import { EXCLUDE } from '../../src/reduce/accumulate.ts';
import type { Ledger } from '../../src/reduce/partial.ts';
import { ESTIMATE_COLUMNS } from '../../src/sitedata/tables.ts';
import { toDay } from '../../src/lib/dates.ts';

const dir = mkdtempSync(join(tmpdir(), 'demo-build-'));
const cache = join(dir, 'cache');
const quiet = { log: () => {}, progress: 'never' as const, today: () => toDay('2026-11-25') };

// What each planted kind must become. `cr` and `huge` hold valid reports:
// a trailing CR is a line ending (as Go's bufio.Scanner reads it) and 1.5 MB
// is under the 8 MiB line limit, so both are accepted.
const EXPECTED_REASON: Record<string, string | null> = {
  truncated: 'not valid JSON',
  'x-string': 'X: expected number, received string',
  'x-out-of-range': REJECT.xRange,
  'week-not-date': REJECT.weekNotDate,
  'week-mismatch': REJECT.weekMismatch,
  'negative-counter': 'Programs[].Counters{}: must not be negative',
  garbage: 'not valid JSON',
  'empty-line': REJECT.emptyLine,
  bom: 'not valid JSON',
  cr: null,
  huge: null,
};

interface Truth {
  planted: {
    missingDays: string[];
    malformed: { day: string; line: number; kind: string }[];
    duplicatesPerDay: Record<string, number>;
    unconfigured: { day: string; counter: string }[];
  };
  days: Record<string, { lines?: number } & Record<string, unknown>>;
}

let first: RunResult;
let truth: Truth;
const out1 = join(dir, 'out1');
const out2 = join(dir, 'out2');

function snapshot(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(out, { recursive: true }) as string[]) {
    try {
      m.set(f, readFileSync(join(out, f), 'utf8'));
    } catch {
      // a folder
    }
  }
  return m;
}

beforeAll(async () => {
  const demo = await ensureDemo(join(cache, 'demo'), 1);
  truth = JSON.parse(readFileSync(demo.truth, 'utf8')) as Truth;
  first = await runPipeline(parseOptions(['--cache', cache, '--out', out1, '--offline'], 2)!, quiet);
  // A second build from the same cache (partials and week estimates reused) into another folder.
  await runPipeline(parseOptions(['--cache', cache, '--out', out2, '--offline'], 2)!, quiet);
}, 120_000);

describe('demo build', () => {
  it('reduces every day file and finds the day without reports', () => {
    expect(first.weeks).toBe(30);
    expect(first.days.absent).toBe(truth.planted.missingDays.length);
    expect(first.days.missing).toBe(0);
    expect(first.reduced).toBe(first.days.present);
    expect(first.linesFast).toBeGreaterThan(90_000);
  });

  it('records every planted defect with its reason, line and day, and nothing else', () => {
    const quality = JSON.parse(readFileSync(join(out1, 'quality.json'), 'utf8')) as { days: { day: string; status: string; ledger: Ledger | null }[] };
    const byDay = new Map(quality.days.map((d) => [d.day, d]));
    for (const d of truth.planted.missingDays) expect(byDay.get(d)!.status).toBe('absent');

    const expected = new Map<string, Record<string, number>>();
    for (const m of truth.planted.malformed) {
      const reason = EXPECTED_REASON[m.kind];
      expect(reason, m.kind).not.toBeUndefined();
      if (reason === null || reason === undefined) continue;
      const r = expected.get(m.day) ?? {};
      r[reason] = (r[reason] ?? 0) + 1;
      expected.set(m.day, r);
    }
    let checkedExamples = 0;
    for (const d of quality.days) {
      if (d.status !== 'present') continue;
      const l = d.ledger!;
      expect(l.rejected, d.day).toEqual(expected.get(d.day) ?? {});
      expect(l.duplicates, d.day).toBe(truth.planted.duplicatesPerDay[d.day] ?? 0);
      expect(l.duplicatesDiffering, d.day).toBe(0);
      // Every line is accounted for.
      const rejected = Object.values(l.rejected).reduce((a, b) => a + b, 0);
      expect(l.accepted + l.duplicates + rejected, d.day).toBe(l.lines);
      // The examples point at the planted lines.
      for (const [reason, examples] of Object.entries(l.examples)) {
        const planted = truth.planted.malformed.filter((m) => m.day === d.day && EXPECTED_REASON[m.kind] === reason).map((m) => m.line);
        for (const e of examples) {
          expect(planted, `${d.day} ${reason}`).toContain(e.line);
          checkedExamples++;
        }
      }
    }
    expect(checkedExamples).toBeGreaterThan(5);

    // Unconfigured counters are excluded and counted, per day.
    for (const u of truth.planted.unconfigured) {
      const excluded = byDay.get(u.day)!.ledger!.excluded[EXCLUDE.unknownBucket] ?? byDay.get(u.day)!.ledger!.excluded[EXCLUDE.unknownCounter];
      expect(excluded?.[u.counter], u.day).toBe(truth.planted.unconfigured.filter((x) => x.day === u.day).length);
    }
  });

  it('writes estimates.csv with the promised columns, one row per week, program, chart and bucket', () => {
    const text = readFileSync(join(out1, 'estimates.csv'), 'utf8');
    const rows = csvParse(text);
    expect(rows.columns.slice(0, 10)).toEqual(['week', 'program', 'chart', 'bucket', 'x', 'n', 'share', 'ci95_low', 'ci95_high', 'provisional']);
    expect(rows.columns).toEqual([...ESTIMATE_COLUMNS]);
    const index = JSON.parse(readFileSync(join(out1, 'index.json'), 'utf8')) as {
      weeks: { week: string; provisional: boolean }[];
      programs: { program: string; charts: { chart: string; kind: string; buckets: string[] }[] }[];
    };
    // One row per bucket and week, except buckets grouped by the small-cell rule, which share one "other" row.
    let expectedRows = 0;
    for (const p of index.programs) {
      for (const c of p.charts.filter((c) => c.kind !== 'stack')) {
        const chart = JSON.parse(readFileSync(join(out1, (c as unknown as { file: string }).file), 'utf8')) as {
          weeks: { buckets: { status: string }[]; other: unknown }[];
        };
        for (const w of chart.weeks) expectedRows += w.buckets.filter((b) => b.status !== 'grouped').length + (w.other ? 1 : 0);
      }
    }
    expect(rows.length).toBe(expectedRows);
    const keys = new Set(rows.map((r) => `${r.week}|${r.program}|${r.chart}|${r.bucket}`));
    expect(keys.size).toBe(rows.length);
    for (const r of rows) {
      if (r.small_cell) {
        // Grouped or hidden: no figure that could reveal fewer than 10 installations.
        expect(['other', 'suppressed', 'hidden']).toContain(r.small_cell);
        if (r.small_cell === 'other') expect(Number(r.x)).toBeGreaterThanOrEqual(10);
        else expect(r.x).toBe('');
        continue;
      }
      const [x, n, share, lo, hi] = [r.x, r.n, r.share, r.ci95_low, r.ci95_high].map(Number) as [number, number, number, number, number];
      expect(x === 0 || x >= 10, `${r.week} ${r.chart} ${r.bucket} x=${x}`).toBe(true);
      expect(x).toBeLessThanOrEqual(n);
      if (n > 0) expect(Math.abs(share - x / n)).toBeLessThan(1e-6);
      expect(lo).toBeLessThanOrEqual(share + 1e-9);
      expect(hi).toBeGreaterThanOrEqual(share - 1e-9);
      expect(['true', 'false']).toContain(r.provisional);
    }
    expect(rows.filter((r) => r.small_cell === 'other' || r.small_cell === 'suppressed').length).toBeGreaterThan(0);
    // The last ten days are provisional, earlier weeks final.
    expect(index.weeks.at(-1)!.provisional).toBe(true);
    expect(index.weeks.at(-2)!.provisional).toBe(true);
    expect(index.weeks.at(-3)!.provisional).toBe(false);
    expect(index.weeks[0]!.provisional).toBe(false);
  });

  it('gives the same bytes when rebuilt from the caches', () => {
    const a = snapshot(out1);
    const b = snapshot(out2);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, text] of a) expect(b.get(f), f).toBe(text);
    expect(a.size).toBeGreaterThan(30);
  });
});
