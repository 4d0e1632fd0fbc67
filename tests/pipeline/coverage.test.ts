/**
 * Seeded simulation through the real parse, reduce and estimate code: the
 * demo simulator draws one week of gopls reports (independent installations,
 * 2% re-uploads) R times; each draw is written as archive day files and
 * reduced, and the estimates are compared with the simulator's exact truth.
 *
 * Each simulation runs once, in the first test that needs it, and that test's
 * time limit follows from the work: WEEK_MS per simulated week plus
 * REPORT_MS per report, about ten times what one idle core needs (7.6 ms and
 * 0.041 ms measured), so a busy machine slows the test down without failing
 * it, while a hang or a many-fold slowdown of the pipeline still fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { buildModel, demoChartConfig, demoUploadConfig, generateWeekSample } from '../../src/demo/index.ts';
import { wald } from '../reference/intervals.ts';
import { buildReduceSpec } from '../../src/reduce/spec.ts';
import { estimateSample } from '../helpers/sample.ts';

const PROGRAM = 'golang.org/x/tools/gopls';
const R = 300;
const N = 1500;
/** Reports per simulated week in the run where intervals are tested hardest. */
const N_SMALL = 200;

const WEEK_MS = 75;
const REPORT_MS = 0.4;
/** The time limit of a test that may run the simulation of R weeks of `reports` reports. */
const budgetMs = (reports: number) => Math.round(R * (WEEK_MS + reports * REPORT_MS));

const model = buildModel(1, 30);
const spec = buildReduceSpec(parseUploadConfig(demoUploadConfig(model), 'config.json'), parseChartConfig(demoChartConfig(model), 'config.txt'));
const dir = mkdtempSync(join(tmpdir(), 'coverage-'));

interface Cell {
  chart: string;
  bucket: string;
  truth: number;
  /** Share of the program's installations on versions that can carry the chart. */
  gated: number;
  rate: number;
  covered: number;
  /** The same estimates' Wald intervals: the negative control. */
  waldCovered: number;
  shares: number[];
  naive: number[];
  n: number[];
}

function simulate(nReports: number) {
  const cells = new Map<string, Cell>();
  for (let r = 0; r < R; r++) {
    const sample = generateWeekSample({ seed: 1000 + r, program: PROGRAM, n: nReports, duplicateRate: 0.02 });
    const est = estimateSample(sample, spec, dir, `r${r}`);
    for (const c of est.charts) {
      const t = sample.truth.sample.charts[c.chart];
      if (!t) continue;
      const info = sample.charts.find((x) => x.chart === c.chart)!;
      for (const b of c.buckets) {
        const bi = info.buckets.indexOf(b.bucket);
        if (bi < 0) continue;
        // The estimand: prevalence among installations whose version can carry the chart.
        const truth = t.p[bi]! / t.gated;
        const key = `${c.chart}|${b.bucket}`;
        const cell =
          cells.get(key) ??
          cells
            .set(key, {
              chart: c.chart,
              bucket: b.bucket,
              truth,
              gated: t.gated,
              rate: sample.rates[c.chart] ?? 1,
              covered: 0,
              waldCovered: 0,
              shares: [],
              naive: [],
              n: [],
            })
            .get(key)!;
        if (b.ci[0] <= truth && truth <= b.ci[1]) cell.covered++;
        const [wl, wh] = c.n > 0 ? wald(b.x, c.n) : [0, 1];
        if (wl <= truth && truth <= wh) cell.waldCovered++;
        cell.shares.push(b.share);
        cell.naive.push(b.naiveShare);
        cell.n.push(c.n);
      }
    }
  }
  return [...cells.values()];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A simulation of R weeks, run on first use; `seconds` is how long it took. */
function simulation(nReports: number) {
  let result: { cells: Cell[]; seconds: number } | null = null;
  return () => {
    if (!result) {
      const t = performance.now();
      const cells = simulate(nReports);
      result = { cells, seconds: (performance.now() - t) / 1000 };
    }
    return result;
  };
}
const large = simulation(N);
// A second run with few reports per week, where intervals are tested hardest.
const small = simulation(N_SMALL);
const eligibleOf = (cells: Cell[]) => cells.filter((c) => mean(c.n) * Math.min(c.truth, 1 - c.truth) >= 5);

describe('estimates against the simulator truth', () => {
  it(
    '95% intervals cover the truth 93-97% of the time',
    () => {
      const { cells, seconds } = large();
      const eligible = eligibleOf(cells);
      expect(eligible.length).toBeGreaterThan(20);
      const coverage = mean(eligible.map((c) => c.covered / R));
      console.log(`${eligible.length} buckets x ${R} simulated weeks: Wilson 95% intervals cover the truth ${coverage.toFixed(3)} of the time`);
      console.log(`(${R} weeks of ${N} reports simulated in ${seconds.toFixed(1)} s; budget ${budgetMs(N) / 1000} s)`);
      expect(coverage).toBeGreaterThanOrEqual(0.93);
      expect(coverage).toBeLessThanOrEqual(0.97);
      // No single bucket is far off either (R = 300: 4 Monte Carlo SE is about 5 points).
      for (const c of eligible) expect(c.covered / R, `${c.chart} ${c.bucket}`).toBeGreaterThan(0.88);
    },
    budgetMs(N),
  );

  it(
    'would fail with Wald intervals: with few eligible reports, Wald misses the band Wilson meets',
    () => {
      // Counter buckets with 1 to 5 expected installations among the eligible reports.
      // (Metadata charts are left out: the simulator's truth for them is approximate when a system upgrades mid-week.)
      const rare = small().cells.filter((c) => {
        const np = mean(c.n) * Math.min(c.truth, 1 - c.truth);
        return !['Version', 'GOOS', 'GOARCH', 'GoVersion'].includes(c.chart) && np >= 1 && np < 5;
      });
      expect(rare.length).toBeGreaterThanOrEqual(3);
      console.log(
        `${rare.length} rare buckets: Wilson covers ${mean(rare.map((c) => c.covered / R)).toFixed(3)}, Wald ${mean(rare.map((c) => c.waldCovered / R)).toFixed(3)}`,
      );
      const wilsonCoverage = mean(rare.map((c) => c.covered / R));
      const waldCoverage = mean(rare.map((c) => c.waldCovered / R));
      // The 93-97% band that the build's Wilson intervals pass rejects Wald.
      const inBand = (coverage: number) => coverage >= 0.93 && coverage <= 0.97;
      expect(inBand(wilsonCoverage)).toBe(true);
      expect(inBand(waldCoverage)).toBe(false);
    },
    budgetMs(N_SMALL),
  );

  it(
    'rate-corrected shares are unbiased where naive counts are not',
    () => {
      const S = spec.sampleRate;
      const sampled = eligibleOf(large().cells).filter((c) => c.rate < 1 && c.truth > 0.05);
      expect(new Set(sampled.map((c) => c.rate)).size).toBeGreaterThanOrEqual(2);
      for (const c of sampled) {
        const se = Math.sqrt((c.truth * (1 - c.truth)) / mean(c.n) / R);
        // Corrected: within 4 Monte Carlo standard errors of the truth.
        expect(Math.abs(mean(c.shares) - c.truth), `${c.chart} ${c.bucket}`).toBeLessThan(4 * se);
        // Naive (bucket reports over all the program's reports, as a raw-count
        // dashboard shows): it converges to truth x Rate/SampleRate x (share of
        // versions that carry the chart), far below the truth.
        const naive = mean(c.naive);
        const expected = (c.truth * c.gated * c.rate) / S;
        const seNaive = Math.sqrt((expected * (1 - expected)) / N / R);
        expect(Math.abs(naive - expected), `${c.chart} ${c.bucket}`).toBeLessThan(4 * seNaive + 0.002);
        expect(naive, `${c.chart} ${c.bucket}`).toBeLessThan(c.truth * 0.7);
      }
    },
    budgetMs(N),
  );
});
