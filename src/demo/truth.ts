/**
 * Exact expectations of the demo model. For a set of cell weights (how many
 * installations of each cell are in the population of interest), the
 * prevalence of a bucket among installations that ran program P in week w is
 *
 *     sum_c W_c * run_c(P) * P(bucket | c, w)  /  sum_c W_c * run_c(P)
 *
 * where P(bucket | c, w) mixes over the cell's release adoption (version
 * gates, buggy releases, mid-week upgrades). X is independent of behaviour,
 * so the same value holds within every rate-eligible subset.
 */
import { type Cell, type DemoModel, GOOSES, type IndependentParams, type MultinomialParams, type PrimaryParams } from './model.ts';
import type { Simulator } from './simulate.ts';
import { majorMinor } from './versions.ts';

/** Expected values for one chart of one program in one week bin. */
export interface ChartWeekTruth {
  /** Prevalence of each bucket: P(count > 0), buckets in the chart's order. */
  p: number[];
  /** Mean count of each bucket per installation (0 counted); null for metadata charts. */
  mean: number[] | null;
  /** Probability of having any bucket of the chart. */
  any: number;
  /** Probability that the installation's program version may carry the chart (1 when ungated). */
  gated: number;
}

/** Static description of a chart in the truth. */
export interface TruthChart {
  chart: string;
  kind: 'partition' | 'histogram' | 'stack' | 'metadata';
  buckets: string[];
  rate: number;
  minVersion: string;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Every chart the truth covers for program `pi`: config charts, then the four metadata charts. */
export function chartInfos(model: DemoModel, pi: number): TruthChart[] {
  const p = model.programs[pi]!;
  const out: TruthChart[] = p.charts.map((ch) => ({
    chart: ch.chart,
    kind: ch.type,
    buckets: ch.buckets,
    rate: ch.rate,
    minVersion: ch.minVersion,
  }));
  const goosBuckets = [...GOOSES];
  const archBuckets = unique(model.cells.map((c) => c.goarch)).sort();
  out.push({ chart: 'Version', kind: 'metadata', buckets: unique(p.releases.map((r) => majorMinor(r.version))), rate: 1, minVersion: '' });
  out.push({ chart: 'GOOS', kind: 'metadata', buckets: goosBuckets, rate: 1, minVersion: '' });
  out.push({ chart: 'GOARCH', kind: 'metadata', buckets: archBuckets, rate: 1, minVersion: '' });
  out.push({ chart: 'GoVersion', kind: 'metadata', buckets: unique(model.goReleases.map((r) => majorMinor(r.version))), rate: 1, minVersion: '' });
  return out;
}

/** P(N events touch a bucket of probability f) for N = 1 + Geometric with mean `mean`. */
function touched(f: number, mean: number): number {
  if (f <= 0) return 0;
  const th = 1 / Math.max(1, mean);
  const s = 1 - f;
  return 1 - (th * s) / (1 - (1 - th) * s);
}

export interface ProgramWeekTruth {
  /** Sum of the weights of installations that ran the program (the denominator). */
  weight: number;
  charts: Record<string, ChartWeekTruth>;
}

/**
 * Expected values for every chart of program `pi` in week bin `w`, with cell
 * weights `weights` (indexed by cell; each is multiplied by the cell's
 * probability of running the program that week).
 */
export function programWeekTruth(sim: Simulator, pi: number, w: number, weights: ArrayLike<number>): ProgramWeekTruth {
  const model = sim.model;
  const p = model.programs[pi]!;
  const infos = chartInfos(model, pi);
  const acc = infos.map((info) => ({ p: new Float64Array(info.buckets.length), mean: new Float64Array(info.buckets.length), any: 0, gated: 0 }));
  const bucketIndex = infos.map((info) => new Map(info.buckets.map((b, i) => [b, i])));
  const nCharts = p.charts.length;
  const [iVersion, iGoos, iArch, iGoVersion] = [nCharts, nCharts + 1, nCharts + 2, nCharts + 3];
  const versionGroup = p.releases.map((r) => bucketIndex[iVersion]!.get(majorMinor(r.version))!);
  const goGroup = model.goReleases.map((r) => bucketIndex[iGoVersion]!.get(majorMinor(r.version))!);
  const split = p.toolchain ? model.goUpgradeSplit : p.upgradeSplit;
  const chartIndex = new Map(p.charts.map((ch, i) => [ch.chart, i]));
  let total = 0;

  for (const cell of model.cells) {
    const W = (weights[cell.index] ?? 0) * cell.run[p.name]!;
    if (!(W > 0)) continue;
    total += W;
    const A = sim.programMix(pi, cell, w);
    addMetadata(acc[iVersion]!, A, versionGroup, split, W);
    if (p.toolchain) addMetadata(acc[iGoVersion]!, A, goGroup, split, W);
    else addMetadata(acc[iGoVersion]!, sim.goMix(cell, w), goGroup, 0, W);
    const goos = acc[iGoos]!;
    goos.p[bucketIndex[iGoos]!.get(cell.goos)!]! += W;
    if (p.wslSplit > 0 && cell.goos === 'windows') goos.p[bucketIndex[iGoos]!.get('linux')!]! += W * p.wslSplit;
    goos.any += W;
    acc[iArch]!.p[bucketIndex[iArch]!.get(cell.goarch)!]! += W;
    acc[iArch]!.any += W;

    const ps = sim.params(pi, cell, w);
    const gates = sim.gateIndex[pi]!;
    for (let ci = 0; ci < nCharts; ci++) {
      const ch = p.charts[ci]!;
      const a = acc[ci]!;
      let gamma = 0;
      for (let i = gates[ci]!; i < A.length; i++) gamma += A[i]!;
      a.gated += W * gamma;
      if (gamma <= 0) continue;
      if (ch.model === 'independent') {
        const q = ps[ci] as IndependentParams;
        let none = 1;
        for (let b = 0; b < q.p.length; b++) {
          a.p[b]! += W * gamma * q.p[b]!;
          a.mean[b]! += W * gamma * q.p[b]! * Math.max(1, q.mu[b]!);
          none *= 1 - q.p[b]!;
        }
        a.any += W * gamma * (1 - none);
      } else if (ch.model === 'primary') {
        const q = ps[ci] as PrimaryParams;
        const g = gamma * q.present;
        for (let b = 0; b < q.primary.length; b++) {
          const prim = q.primary[b]!;
          a.p[b]! += W * g * (prim + (1 - prim) * q.extra[b]!);
          a.mean[b]! += W * g * (prim * Math.max(1, q.mu) + (1 - prim) * q.extra[b]! * Math.max(1, q.muExtra));
        }
        a.any += W * g;
      } else {
        // multinomial or total: presence and N come from this chart or the one it follows.
        const refIdx = ch.model === 'total' ? chartIndex.get(ch.of)! : ch.nFrom ? chartIndex.get(ch.nFrom)! : ci;
        const ref = ps[refIdx] as MultinomialParams;
        const refChart = p.charts[refIdx]!;
        let eff: number;
        if (refChart.versionFactor) {
          eff = 0;
          for (let i = gates[ci]!; i < A.length; i++) eff += A[i]! * Math.min(1, ref.present * refChart.versionFactor(p.releases[i]!.version));
        } else eff = gamma * ref.present;
        if (ch.model === 'total') {
          a.p[0]! += W * eff;
          a.mean[0]! += W * eff * Math.max(1, ref.mean);
        } else {
          const f = (ps[ci] as MultinomialParams).f;
          for (let b = 0; b < f.length; b++) {
            a.p[b]! += W * eff * touched(f[b]!, ref.mean);
            a.mean[b]! += W * eff * Math.max(1, ref.mean) * f[b]!;
          }
        }
        a.any += W * eff;
      }
    }
  }

  const charts: Record<string, ChartWeekTruth> = {};
  infos.forEach((info, i) => {
    const a = acc[i]!;
    const metadata = info.kind === 'metadata';
    const div = (x: number) => (total > 0 ? x / total : 0);
    charts[info.chart] = {
      p: Array.from(a.p, div),
      mean: metadata ? null : Array.from(a.mean, div),
      any: metadata ? (total > 0 ? 1 : 0) : div(a.any),
      gated: metadata ? 1 : div(a.gated),
    };
  });
  return { weight: total, charts };
}

/** Version-group prevalence: the final version's group, plus the previous release's group after a mid-week upgrade. */
function addMetadata(a: { p: Float64Array; any: number }, A: Float64Array, group: number[], split: number, W: number) {
  for (let i = 0; i < A.length; i++) {
    const s = A[i]!;
    if (s <= 0) continue;
    a.p[group[i]!]! += W * s;
    if (split > 0 && i > 0 && group[i - 1] !== group[i]) a.p[group[i - 1]!]! += W * s * split;
  }
  a.any += W;
}

export interface Composition {
  GOOS: Record<string, number>;
  GOARCH: Record<string, number>;
  /** The gopls client of the installation ("none" when it runs no gopls). */
  editor: Record<string, number>;
}

/**
 * Shares of installations by their (single) GOOS, GOARCH and editor, with
 * cell weights `weights` times `rate(cell)` (e.g. the probability of running
 * a program in a week).
 */
export function composition(cells: Cell[], weights: ArrayLike<number>, rate: (c: Cell) => number): Composition {
  const out: Composition = { GOOS: {}, GOARCH: {}, editor: {} };
  let total = 0;
  for (const c of cells) {
    const W = (weights[c.index] ?? 0) * rate(c);
    if (!(W > 0)) continue;
    total += W;
    out.GOOS[c.goos] = (out.GOOS[c.goos] ?? 0) + W;
    out.GOARCH[c.goarch] = (out.GOARCH[c.goarch] ?? 0) + W;
    out.editor[c.editor] = (out.editor[c.editor] ?? 0) + W;
  }
  for (const dim of [out.GOOS, out.GOARCH, out.editor]) {
    for (const k of Object.keys(dim)) dim[k] = total > 0 ? dim[k]! / total : 0;
  }
  return { GOOS: sortKeys(out.GOOS), GOARCH: sortKeys(out.GOARCH), editor: sortKeys(out.editor) };
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}
