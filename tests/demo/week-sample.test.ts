/**
 * The statistical mode: seeded replications of one week converge to the
 * truth it returns, and Wilson intervals built on rate-eligible reports cover
 * it at the nominal rate.
 */
import { describe, expect, it } from 'vitest';
import { splitCounterName } from '../../src/config/counter.ts';
import { CMD_GO, GOPLS } from '../../src/demo/model.ts';
import { generateWeekSample, type WeekSample } from '../../src/demo/week-sample.ts';

const Z = 1.959964;
function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const d = 1 + (Z * Z) / n;
  const c = p + (Z * Z) / (2 * n);
  const h = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [(c - h) / d, (c + h) / d];
}

/** Prevalence of each bucket of `chart` among the rate-eligible, deduplicated reports. */
function estimate(s: WeekSample, chart: string, buckets: string[]): { n: number; x: number[] } {
  const rate = s.rates[chart] ?? 1;
  const seen = new Set<string>();
  const x = buckets.map(() => 0);
  let n = 0;
  for (const r of s.reports) {
    const id = `${r.Week}|${r.X}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (r.X > rate) continue;
    n++;
    const has = new Set<string>();
    for (const pr of r.Programs) {
      if (pr.Program !== s.program) continue;
      for (const name in pr.Counters ?? {}) if (splitCounterName(name).chart === chart) has.add(splitCounterName(name).bucket);
      if (chart === 'GOOS') has.add(pr.GOOS);
    }
    buckets.forEach((b, i) => has.has(b) && x[i]!++);
  }
  return { n, x };
}

describe('generateWeekSample', () => {
  it('returns one program of one week with its truth', () => {
    const s = generateWeekSample({ seed: 1, program: GOPLS, n: 300, week: 20, duplicateRate: 0.02 });
    expect(s.reports).toHaveLength(300 + s.duplicates);
    expect(s.lines).toHaveLength(s.reports.length);
    expect(s.week).toBe('2026-09-13');
    for (const r of s.reports) {
      expect(r.Programs.every((p) => p.Program === GOPLS)).toBe(true);
      expect(r.X).toBeLessThanOrEqual(s.sampleRate);
      expect(r.Week >= '2026-09-07' && r.Week <= s.week).toBe(true);
    }
    const client = s.charts.find((c) => c.chart === 'gopls/client')!;
    expect(s.truth.sample.charts['gopls/client']!.p).toHaveLength(client.buckets.length);
    expect(s.charts.map((c) => c.chart)).toEqual(expect.arrayContaining(['Version', 'GOOS', 'GOARCH', 'GoVersion']));
    const whole = generateWeekSample({ seed: 1, program: GOPLS, n: 10, week: 20, population: 'whole' });
    expect(whole.truth.sample).toEqual(whole.truth.population);
    expect(s.truth.population).toEqual(whole.truth.population);
  });

  it('converges to its truth, and Wilson intervals on rate-eligible reports cover it', () => {
    const R = 200;
    const cases: { program: string; chart: string; buckets: string[] }[] = [
      { program: GOPLS, chart: 'gopls/client', buckets: ['vscode', 'neovim', 'cursor'] },
      { program: GOPLS, chart: 'gopls/codeaction', buckets: ['extract', 'rename', 'organizeimports'] }, // rate 0.25
      { program: GOPLS, chart: 'gopls/completion/latency', buckets: ['<10ms', '>=5s'] }, // rate 0.5, version-gated
      { program: GOPLS, chart: 'GOOS', buckets: ['darwin', 'linux', 'windows'] }, // WSL reports count in two
      { program: CMD_GO, chart: 'go/subcommand', buckets: ['test', 'work'] },
    ];
    let covered = 0;
    let total = 0;
    for (const { program, chart, buckets } of cases) {
      const sums = buckets.map(() => 0);
      let first: WeekSample | null = null;
      for (let rep = 0; rep < R; rep++) {
        const s = generateWeekSample({ seed: 1000 + rep, program, n: 400, week: 22, lines: false, duplicateRate: 0.02 });
        first ??= s;
        const info = s.charts.find((c) => c.chart === chart)!;
        const truth = s.truth.sample.charts[chart]!;
        const { n, x } = estimate(s, chart, buckets);
        buckets.forEach((b, i) => {
          const p = truth.p[info.buckets.indexOf(b)]!;
          const [lo, hi] = wilson(x[i]!, n);
          total++;
          if (lo <= p && p <= hi) covered++;
          sums[i]! += x[i]! / n;
        });
      }
      // The mean estimate is within 4 Monte Carlo SE of the truth.
      const info = first!.charts.find((c) => c.chart === chart)!;
      buckets.forEach((b, i) => {
        const p = first!.truth.sample.charts[chart]!.p[info.buckets.indexOf(b)]!;
        const nEff = 400 * Math.min(1, (first!.rates[chart] ?? 1) / first!.sampleRate);
        expect(Math.abs(sums[i]! / R - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / nEff / R) + 1e-9);
      });
    }
    expect(covered / total).toBeGreaterThan(0.925);
    expect(covered / total).toBeLessThan(0.975);
  });

  it('draws the opted-in sample with the skew, so the raw estimate misses the whole-population value', () => {
    const s = generateWeekSample({ seed: 9, program: GOPLS, n: 4000, week: 25, lines: false });
    const info = s.charts.find((c) => c.chart === 'gopls/client')!;
    const i = info.buckets.indexOf('vscode');
    const { n, x } = estimate(s, 'gopls/client', ['vscode']);
    const [lo, hi] = wilson(x[0]!, n);
    const sample = s.truth.sample.charts['gopls/client']!.p[i]!;
    const whole = s.truth.population.charts['gopls/client']!.p[i]!;
    expect(sample - whole).toBeGreaterThan(0.08);
    expect(lo < sample + 0.03 && hi > sample - 0.03).toBe(true);
    expect(lo).toBeGreaterThan(whole);
  });
});
