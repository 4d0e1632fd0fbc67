/**
 * Heavy-tailed events per installation and buckets without events:
 * - the upper bounds at x = 0 (means.ts zeroMeanEvents, zeroEventShare)
 *   against values worked out by hand, and their coverage in a seeded
 *   simulation where the truth is small but positive;
 * - the median, 90th percentile and "approximate" marker of a week, through
 *   the accumulator, the partials' merge and estimateWeek, against the exact
 *   figures of simulated installations with a few CI machines.
 */
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { eventsEffectiveN, top1PercentShare, zeroEventShare, zeroMeanEvents } from '../../src/estimate/means.ts';
import { normalQuantile, z95 } from '../../src/estimate/normal.ts';
import { estimateWeek } from '../../src/estimate/weekly.ts';
import { addDays, toDay } from '../../src/lib/dates.ts';
import { createRng, type Rng } from '../../src/lib/random.ts';
import type { Report } from '../../src/parse/report.ts';
import { DayAccumulator } from '../../src/reduce/accumulate.ts';
import { QUANTILE_RELATIVE_ERROR } from '../../src/reduce/histogram.ts';
import { aggregateOf, totals } from '../../src/reduce/partial.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';

const Z2 = z95 * z95; // 3.8414588206941254

describe('upper bounds at x = 0', () => {
  it('match the formulas: Wilson at x = 0 with n_eff = (ΣT)²/ΣT², times ΣT/n for the mean, never below z²/(n + z²)', () => {
    // 1000 eligible installations, 200 of them with one event of the chart each.
    const light = { n: 1000, tot: 200, tot2: 200 };
    expect(eventsEffectiveN(200, 200)).toBe(200);
    expect(zeroEventShare(light)!.interval).toEqual([0, expect.closeTo(0.018845326377266575, 15)]);
    // Wilson's x = 0 bound is a little above Clopper-Pearson's 1 - 0.025^(1/200) = 0.018275: conservative.
    expect(zeroEventShare(light)!.interval[1]).toBeGreaterThan(1 - 0.025 ** (1 / 200));
    // Mean: max(z²/(n + z²) = 0.0038268, 0.018845 · 200/1000 = 0.0037691).
    expect(zeroMeanEvents(light)!.interval).toEqual([0, expect.closeTo(0.0038267584855551234, 15)]);
    expect(zeroMeanEvents(light)!.estimate).toBe(0);

    // 500 eligible: 400 with 5 events, 5 CI machines with 2000: n_eff = 12000² / (400·25 + 5·2000²) = 7.196.
    const heavy = { n: 500, tot: 12000, tot2: 400 * 25 + 5 * 4e6 };
    expect(eventsEffectiveN(heavy.tot, heavy.tot2)).toBeCloseTo(7.19640179910045, 12);
    expect(zeroEventShare(heavy)!.interval[1]).toBeCloseTo(0.3480256684710355, 14);
    expect(zeroMeanEvents(heavy)!.interval[1]).toBeCloseTo(8.352616043304852, 12);

    // A chart without events: no event share exists; the mean's bound is Wilson's on the share with any event.
    expect(zeroEventShare({ n: 300, tot: 0, tot2: 0 })).toBeNull();
    expect(zeroMeanEvents({ n: 300, tot: 0, tot2: 0 })!.interval[1]).toBeCloseTo(Z2 / (300 + Z2), 15);
    // As meanEvents, nothing for fewer than 2 installations.
    expect(zeroMeanEvents({ n: 1, tot: 3, tot2: 9 })).toBeNull();
  });

  it('cover a small positive truth at least 97.5% of the time, where a Poisson bound and [0, 0] do not', () => {
    // A fixed population of 50,000 installations: 40% without events of the chart, 0.5% CI machines
    // (around 3000 events each), the rest log-normal around 4.5.
    const rng = createRng('zero-bounds-coverage');
    const N = 50000;
    const T = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const u = rng.next();
      T[i] =
        u < 0.4
          ? 0
          : u < 0.405
            ? Math.ceil(Math.exp(8 + 0.5 * normalQuantile(rng.nextDouble())))
            : Math.ceil(Math.exp(1.5 + 1.2 * normalQuantile(rng.nextDouble())));
    }
    const thin = (t: number, p: number) => {
      let x = 0;
      for (let k = 0; k < t; k++) if (rng.next() < p) x++;
      return x;
    };
    const scenarios: Record<string, (i: number) => number> = {
      // Each event of the chart is the bucket's with a tiny probability.
      thinned: (i) => thin(T[i]!, 3e-5),
      // 1% of installations put all their events in the bucket (clustered events).
      clustered: (i) => (rng.next() < 0.01 ? T[i]! : 0),
      // 0.2% of ordinary installations have one event of it.
      single: (i) => (T[i]! > 0 && T[i]! < 1000 && rng.next() < 0.002 ? 1 : 0),
    };
    const R = 2000;
    const results: Record<string, { zero: number; missMean: number; missShare: number; missPoisson: number }> = {};
    for (const [name, draw] of Object.entries(scenarios)) {
      const c = Float64Array.from({ length: N }, (_, i) => draw(i));
      const truthMean = c.reduce((a, b) => a + b, 0) / N;
      const truthShare = (truthMean * N) / T.reduce((a, b) => a + b, 0);
      for (const n of [100, 500]) {
        const r = { zero: 0, missMean: 0, missShare: 0, missPoisson: 0 };
        for (let rep = 0; rep < R; rep++) {
          let x = 0;
          let tot = 0;
          let tot2 = 0;
          for (let k = 0; k < n; k++) {
            const i = rng.int(N);
            if (c[i]! > 0) x++;
            tot += T[i]!;
            tot2 += T[i]! * T[i]!;
          }
          if (x > 0) continue;
          r.zero++;
          if (zeroMeanEvents({ n, tot, tot2 })!.interval[1] < truthMean) r.missMean++;
          const share = zeroEventShare({ n, tot, tot2 });
          if (share && share.interval[1] < truthShare) r.missShare++;
          // The Poisson exact bound -ln(0.025)/n treats events as independent.
          if (-Math.log(0.025) / n < truthMean) r.missPoisson++;
        }
        results[`${name} n=${n}`] = r;
      }
    }
    for (const [cell, r] of Object.entries(results)) {
      // A miss is x = 0 with the bound below the truth; one-sided 97.5%, with 4 Monte Carlo SE of slack.
      expect(r.missMean / R, cell).toBeLessThanOrEqual(0.025 + 4 * Math.sqrt((0.025 * 0.975) / R));
      expect(r.missShare / R, cell).toBeLessThanOrEqual(0.025 + 4 * Math.sqrt((0.025 * 0.975) / R));
    }
    // The cells are not trivial: x = 0 happens often, and the negative controls fail there.
    expect(results['clustered n=100']!.zero / R).toBeGreaterThan(0.3); // what [0, 0] would miss
    expect(results['clustered n=100']!.missPoisson / R).toBeGreaterThan(0.3);
    expect(results['single n=500']!.zero / R).toBeGreaterThan(0.3);
  });
});

const PROGRAM = 'cmd/go';
const CHARTS = `
title: Builds
counter: go/builds:{ci,light,never}
type: partition
program: ${PROGRAM}
`;

function weekOf(perInstallation: { ci: number; light: number }[]) {
  const upload = parseUploadConfig(
    JSON.stringify({
      GOOS: ['linux'],
      GOARCH: ['amd64'],
      GoVersion: ['go1.22.0'],
      SampleRate: 1,
      Programs: [{ Name: PROGRAM, Versions: [], Counters: [{ Name: 'go/builds:{ci,light,never}', Rate: 1 }] }],
    }),
    'upload.json',
  );
  const spec = buildReduceSpec(upload, parseChartConfig(CHARTS, 'charts.txt'));
  const compiled = compileSpec(spec);
  const monday = toDay('2026-11-02');
  // Installations upload on their own weekday: seven day partials, merged as the pipeline does.
  const parts = Array.from({ length: 7 }, (_, d) => {
    const day = addDays(monday, d);
    const acc = new DayAccumulator(compiled, day);
    perInstallation.forEach((c, i) => {
      if (i % 7 !== d) return;
      const names = (['ci', 'light'] as const).filter((b) => c[b] > 0);
      const r: Report = {
        week: day,
        lastWeek: '',
        x: (i + 0.5) / perInstallation.length,
        config: 'v0.0.1',
        programs: [
          {
            program: PROGRAM,
            version: 'go1.22.0',
            goVersion: 'go1.22.0',
            goos: 'linux',
            goarch: 'amd64',
            counterNames: names.map((b) => `go/builds:${b}`),
            counterValues: names.map((b) => c[b]),
            stackNames: [],
            stackValues: [],
          },
        ],
      };
      acc.add(r, 1);
    });
    return acc.toPartial(specHash(spec), `sha-${day}`);
  });
  const chart = estimateWeek(totals(aggregateOf(parts)), spec).programs[0]!.charts.find((c) => c.chart === 'go/builds')!;
  return Object.fromEntries(chart.buckets.map((b) => [b.bucket, b]));
}

/** The exact type-1 quantile of the positive counts. */
function exactQuantile(values: number[], q: number): number {
  const s = values.filter((v) => v > 0).sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(q * s.length)) - 1]!;
}

/** A population of installations: a few CI machines with huge counts in `ci`, everyone with a light-tailed `light`. */
function installations(rng: Rng, n: number) {
  return Array.from({ length: n }, () => {
    const machine = rng.next() < 0.012;
    return {
      ci: machine ? 20000 + rng.int(80000) : rng.next() < 0.6 ? 1 + Math.floor(-8 * Math.log(rng.nextDouble())) : 0,
      light: rng.next() < 0.7 ? 1 + rng.int(30) : 0,
    };
  });
}

describe('heavy-tailed events per installation, through the partials', () => {
  it('gives the median and 90th percentile within 9.05% of the exact ones, and marks a mean CI machines dominate', () => {
    const rng = createRng('heavy-tails');
    let worst = 0;
    let concentrated = 0;
    for (let rep = 0; rep < 20; rep++) {
      const pop = installations(rng, 1000 + rng.int(2000));
      const w = weekOf(pop);
      for (const bucket of ['ci', 'light'] as const) {
        const values = pop.map((p) => p[bucket]);
        const b = w[bucket]!;
        for (const [q, est] of [
          [0.5, b.eventsMedian!],
          [0.9, b.eventsP90!],
        ] as const) {
          const exact = exactQuantile(values, q);
          worst = Math.max(worst, Math.abs(est - exact) / exact);
        }
        // The mean is exact (a sum); the marker follows the exact top-1% share wherever that is clear of 0.5 by the histogram's error.
        expect(b.meanEvents!.estimate).toBeCloseTo(values.reduce((a, v) => a + v, 0) / pop.length, 9);
        const top = top1PercentShare(values);
        if (Math.abs(top - 0.5) > QUANTILE_RELATIVE_ERROR * top) expect(b.meanApproximate!.includes('concentrated'), `${bucket} top ${top}`).toBe(top > 0.5);
        if (b.meanApproximate!.includes('concentrated')) concentrated++;
        expect(b.meanApproximate!.includes('smallSample')).toBe(false);
      }
    }
    expect(worst).toBeLessThanOrEqual(QUANTILE_RELATIVE_ERROR);
    // CI machines hold most of `ci` in every week (top 1% share around 0.98), never of `light`.
    expect(concentrated).toBe(20);
  });

  it('marks a mean over fewer than 500 installations, and gives a bucket without events an upper bound above 0', () => {
    const rng = createRng('heavy-tails-small');
    const pop = installations(rng, 300);
    const w = weekOf(pop);
    expect(w.light!.meanApproximate).toEqual(['smallSample']);
    const never = w.never!;
    expect(never.x).toBe(0);
    expect(never.eventsMedian).toBeNull();
    expect(never.eventsP90).toBeNull();
    expect(never.meanEvents!.interval[0]).toBe(0);
    expect(never.meanEvents!.interval[1]).toBeGreaterThan(0);
    expect(never.eventShare!.interval[1]).toBeGreaterThan(0);
    // The chart's events are dominated by CI machines, so its effective n is small and the share's bound wide.
    expect(never.eventShare!.interval[1]).toBeGreaterThan(Z2 / (300 + Z2));
  });
});
