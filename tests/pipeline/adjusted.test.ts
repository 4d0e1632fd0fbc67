/**
 * Skew adjustment against the demo simulator's ground truth, through the real
 * parse, reduce and estimate code. The simulated opt-in over-represents macOS
 * and VS Code installations, whose behaviour differs.
 *
 * - Where opt-in depends only on what the reference describes (GOOS, GOARCH,
 *   editor), weighting must cut the error against the whole-population truth
 *   by at least half, and its intervals must cover that truth 93-97% of the time.
 * - In the demo as shipped, opt-in also depends on things no reference
 *   describes (package-manager installs, activity): the adjusted intervals
 *   must still cover what the adjustment estimates (the opted-in population
 *   reweighted to the reference), and the remaining error is reported.
 * - The skew notes name the over-represented groups.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { buildModel, demoChartConfig, demoUploadConfig, ensureDemo, generateWeekSample, type Selection, type WeekSample } from '../../src/demo/index.ts';
import { Simulator } from '../../src/demo/simulate.ts';
import { programWeekTruth } from '../../src/demo/truth.ts';
import { rake } from '../../src/estimate/weighting.ts';
import { skewNote } from '../../src/site/words.ts';
import type { ProgramWeek } from '../../src/estimate/weekly.ts';
import { buildReduceSpec } from '../../src/reduce/spec.ts';
import { parseReference, type Reference } from '../../src/skew/reference.ts';
import { estimateSample } from '../helpers/sample.ts';

const PROGRAM = 'golang.org/x/tools/gopls';
const R = 120;
const N = 3000;
const dir = mkdtempSync(join(tmpdir(), 'adjusted-'));
const upload = parseUploadConfig(demoUploadConfig(buildModel(1, 30)), 'config.json');

let reference: Reference;
let spec: ReturnType<typeof buildReduceSpec>;

function estimate(sample: WeekSample, r: number): ProgramWeek {
  return estimateSample(sample, spec, dir, `r${r}`, reference);
}

/**
 * What the adjusted estimator converges to: the sampled population's cells
 * raked to the reference margins (no cap), then the model's exact
 * expectations under those cell weights.
 */
function adjustedTruth(selection: Selection, population: 'opted-in' | 'whole', weekIndex: number) {
  const model = buildModel(1, 30, selection);
  const sim = new Simulator(model);
  const cells = model.cells;
  const drawn = (c: (typeof cells)[number]) => c.q * (population === 'opted-in' ? c.optIn : 1);
  const base = cells.map((c) => drawn(c) * (c.run[PROGRAM] ?? 0));
  const used = cells.map((_, i) => base[i]! > 0);
  const keep = <T>(a: ArrayLike<T>) => Array.from(a).filter((_, i) => used[i]);
  const dims = (['GOOS', 'GOARCH', 'gopls/client'] as const).map((dim) => {
    const value = (c: (typeof cells)[number]) => (dim === 'GOOS' ? c.goos : dim === 'GOARCH' ? c.goarch : c.editor);
    const names = Object.keys(reference.dimensions[dim]!);
    const index = new Map(names.map((n, i) => [n, i]));
    const categories = keep(cells.map((c) => index.get(value(c)) ?? index.get('other') ?? 0));
    // A reference category no cell has (e.g. the rounding remainder "other") cannot be weighted up.
    const present = new Set(categories);
    return { categories, targets: names.map((n, i) => (present.has(i) ? reference.dimensions[dim]![n]! : 0)) };
  });
  // Each model cell is a raking cell whose count is its expected mass.
  const mass = keep(base);
  const raked = rake(
    mass.map((count, i) => ({ categories: dims.map((d) => d.categories[i]!), count })),
    dims.map((d) => d.targets),
    { capRatio: 1e9, tolerance: 1e-10, maxPasses: 1000 },
  );
  expect(raked.converged).toBe(true);
  const factor = new Float64Array(cells.length);
  let k = 0;
  cells.forEach((_, i) => {
    if (used[i]) factor[i] = raked.weights[k++]!;
  });
  return programWeekTruth(
    sim,
    sim.programIndex.get(PROGRAM)!,
    weekIndex,
    cells.map((c, i) => drawn(c) * factor[i]!),
  );
}

interface Outcome {
  /** Σ|raw − whole-population truth| and Σ|adjusted − truth| over skewed estimates. */
  rawErr: number;
  adjErr: number;
  skewed: number;
  /** Adjusted intervals covering the whole-population truth, and the estimand. */
  coverPop: number;
  coverTarget: number;
  count: number;
  lastSkew: ProgramWeek['skew'];
}

function run(selection: Selection, population: 'opted-in' | 'whole'): Outcome {
  const o: Outcome = { rawErr: 0, adjErr: 0, skewed: 0, coverPop: 0, coverTarget: 0, count: 0, lastSkew: [] };
  let target: ReturnType<typeof adjustedTruth> | null = null;
  for (let r = 0; r < R; r++) {
    const sample = generateWeekSample({ seed: 5000 + r, program: PROGRAM, n: N, population, selection });
    target ??= adjustedTruth(selection, population, sample.weekIndex);
    const est = estimate(sample, r);
    o.lastSkew = est.skew;
    for (const c of est.charts) {
      if (c.kind !== 'counter' || c.n < 200) continue;
      const pop = sample.truth.population.charts[c.chart]!;
      const opt = sample.truth.sample.charts[c.chart]!;
      const adj = target.charts[c.chart]!;
      const info = sample.charts.find((x) => x.chart === c.chart)!;
      for (const b of c.buckets) {
        const bi = info.buckets.indexOf(b.bucket);
        if (bi < 0 || !b.adjusted) continue;
        const truth = pop.p[bi]! / pop.gated;
        const aim = adj.p[bi]! / adj.gated;
        if (aim < 0.02 || aim > 0.98) continue;
        o.count++;
        if (b.adjusted.ci[0] <= truth && truth <= b.adjusted.ci[1]) o.coverPop++;
        if (b.adjusted.ci[0] <= aim && aim <= b.adjusted.ci[1]) o.coverTarget++;
        // The error comparison is about the estimates the opt-in skews: where
        // the sampled and the whole population differ by a point or more.
        if (Math.abs(opt.p[bi]! / opt.gated - truth) < 0.01) continue;
        o.rawErr += Math.abs(b.share - truth);
        o.adjErr += Math.abs(b.adjusted.share - truth);
        o.skewed++;
      }
    }
  }
  return o;
}

describe('skew-adjusted estimates', () => {
  let observed: Outcome;
  let shipped: Outcome;
  let whole: Outcome;
  beforeAll(async () => {
    const demo = await ensureDemo(join(dir, 'demo'), 1);
    reference = parseReference(readFileSync(demo.reference, 'utf8'), 'reference.json', new Set(upload.programs.flatMap((p) => p.counters.map((c) => c.chart))));
    spec = buildReduceSpec(upload, parseChartConfig(demoChartConfig(buildModel(1, 30)), 'config.txt'), Object.keys(reference.dimensions));
    observed = run('observed', 'opted-in');
    shipped = run('full', 'opted-in');
    whole = run('full', 'whole');
    for (const [name, o] of [
      ['opt-in on reference dimensions only', observed],
      ['demo opt-in', shipped],
      ['whole population', whole],
    ] as const) {
      const mae = o.skewed
        ? `MAE against the whole population raw ${(o.rawErr / o.skewed).toFixed(4)}, adjusted ${(o.adjErr / o.skewed).toFixed(4)} (${o.skewed} skewed estimates); `
        : '';
      console.log(
        `${name}: ${mae}adjusted 95% intervals cover the whole population ${(o.coverPop / o.count).toFixed(3)}, the adjustment's estimand ${(o.coverTarget / o.count).toFixed(3)} (${o.count})`,
      );
    }
  }, 300_000);

  it('cut the mean absolute error against the whole-population truth by at least half', () => {
    expect(observed.skewed).toBeGreaterThan(500);
    expect(observed.adjErr).toBeLessThanOrEqual(0.5 * observed.rawErr);
  });

  it('have 95% intervals that cover 93-97% of the time', () => {
    const bands: [string, number][] = [
      ['opt-in on reference dimensions, whole-population truth', observed.coverPop / observed.count],
      ['demo opt-in, the adjustment estimand', shipped.coverTarget / shipped.count],
      ['whole-population sample, whole-population truth', whole.coverPop / whole.count],
    ];
    for (const [name, coverage] of bands) {
      expect(coverage, name).toBeGreaterThanOrEqual(0.93);
      expect(coverage, name).toBeLessThanOrEqual(0.97);
    }
  });

  it('name the over-represented groups in the skew notes', () => {
    const goos = shipped.lastSkew.find((s) => s.dimension === 'GOOS')!;
    expect(goos.level).toBe('strong');
    expect(goos.notable[0]).toMatchObject({ category: 'darwin' });
    expect(goos.notable[0]!.ratio).toBeGreaterThan(1.25);
    expect(skewNote(goos, reference.source)).toMatch(/^Installations on macOS are over-represented/);
    const editor = shipped.lastSkew.find((s) => s.dimension === 'gopls/client')!;
    expect(editor.level).not.toBe('none');
    expect(skewNote(editor, reference.source)).toContain('Installations using VS Code are over-represented');
    // A representative sample raises no strong note.
    for (const s of whole.lastSkew) expect(s.level, s.dimension).not.toBe('strong');
  });
});
