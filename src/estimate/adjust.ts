/**
 * Skew-adjusted estimates for one program and week (docs/methodology.md §6):
 * reports are weighted so that the sample's composition on the reference's
 * dimensions matches the reference population, by post-stratification on one
 * dimension or raking over several, with weights capped at 5x the mean.
 * Each adjusted share comes with Kish's effective sample size and the Wilson
 * interval computed with it.
 *
 * Per dimension, a report's category is its value (for a chart dimension:
 * its bucket with the most events). Categories with fewer than 20 reports,
 * or absent from the reference, are merged into "other" on both sides;
 * reference categories with no report in the sample lose their share (the
 * rest is renormalised). Reports with no category (e.g. no editor reported)
 * keep their own sample share as the target, so the adjustment reweights
 * only what the reference describes.
 */
import { CELL_SEPARATOR, type Strata } from '../reduce/partial.ts';
import type { ProgramSpec } from '../reduce/spec.ts';
import { METADATA_CHARTS } from '../reduce/spec.ts';
import { OTHER, type Reference } from '../skew/reference.ts';
import type { Interval } from './intervals.ts';
import { wilsonWeighted } from './intervals.ts';
import { nEff, postStratify, rake, weightedShare, type Cell, type WeightedCount } from './weighting.ts';
import { dict, own } from '../lib/dict.ts';

export const MIN_STRATUM = 20;
const UNKNOWN = '';

export interface AdjustedShare {
  share: number;
  ci: Interval;
  nEff: number;
}

export interface Adjustment {
  /** Dimensions used, in order. */
  dims: string[];
  /** The reference population's name (its `source`). */
  reference: string;
  method: 'post-stratification' | 'raking';
  converged: boolean;
  iterations: number;
  /** Set when raking did not converge and post-stratification on the first dimension was used. */
  fallback: string | null;
  /** Units whose weight hit the cap. */
  capped: number;
  /** Kish effective sample size of the program's reports. */
  nEff: number;
  reports: number;
  /** Chart -> bucket -> adjusted share (charts that are adjustment dimensions have none). */
  charts: Record<string, Record<string, AdjustedShare>>;
}

/** Adjusts one program's week; null when there are too few reports to weight. */
export function adjustProgram(strata: Strata, reference: Reference, spec: ProgramSpec): Adjustment | null {
  const cells = Object.entries(strata.cells).filter(([, c]) => c.n > 0);
  const reports = cells.reduce((a, [, c]) => a + c.n, 0);
  if (reports < MIN_STRATUM) return null;
  const keys = cells.map(([k]) => k.split(CELL_SEPARATOR));

  // Per dimension: each cell's category index and the targets.
  const used: string[] = [];
  const dims: { categories: Int32Array; targets: number[] }[] = [];
  strata.dims.forEach((dim, di) => {
    // Category names are data: only the reference's own keys are categories.
    const ref = own(reference.dimensions, dim);
    if (!ref) return;
    const counts = new Map<string, number>();
    cells.forEach(([, c], ci) => counts.set(keys[ci]![di]!, (counts.get(keys[ci]![di]!) ?? 0) + c.n));
    const unknown = counts.get(UNKNOWN) ?? 0;
    // Category names that keep their own stratum; the rest is "other".
    const kept = [...counts.keys()].filter((k) => k !== UNKNOWN && k !== OTHER && (own(ref, k) ?? 0) > 0 && counts.get(k)! >= MIN_STRATUM).sort();
    const names = [...kept, OTHER, UNKNOWN];
    const keptShare = kept.reduce((a, k) => a + ref[k]!, 0);
    const q = [...kept.map((k) => ref[k]!), Math.max(0, 1 - keptShare)];
    const index = new Map(names.map((n, i) => [n, i]));
    const otherUnits = reports - unknown - kept.reduce((a, k) => a + counts.get(k)!, 0);
    if (otherUnits === 0) q[q.length - 1] = 0; // no report carries "other": its share is spread over the rest
    const known = q.reduce((a, b) => a + b, 0);
    if (!(known > 0) || reports - unknown < MIN_STRATUM) return;
    const knownPart = (reports - unknown) / reports;
    const targets = [...q.map((v) => (v / known) * knownPart), unknown / reports];
    const categories = Int32Array.from(keys, (key) => {
      const k = key[di]!;
      return k === UNKNOWN ? index.get(UNKNOWN)! : (index.get(k) ?? index.get(OTHER)!);
    });
    used.push(dim);
    dims.push({ categories, targets });
  });
  if (dims.length === 0) return null;

  const groups: Cell[] = cells.map(([, c], ci) => ({ categories: dims.map((d) => d.categories[ci]!), count: c.n }));
  let weights: Float64Array;
  let converged = true;
  let iterations = 1;
  let fallback: string | null = null;
  let capped = 0;
  if (dims.length === 1) {
    weights = postStratify(groups, dims[0]!.targets, { minCount: 1 }).weights;
  } else {
    const r = rake(
      groups,
      dims.map((d) => d.targets),
      { tolerance: 1e-6, maxPasses: 100, capRatio: 5, minCount: 1 },
    );
    weights = r.weights;
    converged = r.converged;
    iterations = r.iterations;
    fallback = r.fallback ?? null;
    capped = r.cappedUnits;
  }

  const charts: Adjustment['charts'] = dict();
  const estimate = (parts: WeightedCount[]): AdjustedShare | null => {
    const a = weightedShare(parts);
    return a && { share: a.share, ci: wilsonWeighted(a.share, a.nEff), nEff: a.nEff };
  };
  // A chart that is itself an adjustment dimension matches the reference by
  // construction; it gets no adjusted values.
  for (const c of spec.counters) {
    if (used.includes(c.chart)) continue;
    const out = dict<AdjustedShare>();
    for (const b of c.buckets) {
      const a = estimate(
        cells.map(([, cell], ci) => {
          const ch = own(cell.charts, c.chart);
          return { n: ch?.n ?? 0, x: own(ch?.x, b) ?? 0, w: weights[ci]! };
        }),
      );
      if (a) out[b] = a;
    }
    charts[c.chart] = out;
  }
  for (const m of METADATA_CHARTS) {
    if ((m === 'Version' && spec.toolchain) || used.includes(m)) continue;
    const values = new Set<string>();
    for (const [, cell] of cells) for (const v of Object.keys(own(cell.meta, m) ?? {})) values.add(v);
    const out = dict<AdjustedShare>();
    for (const v of values) {
      const a = estimate(cells.map(([, cell], ci) => ({ n: cell.n, x: own(own(cell.meta, m), v) ?? 0, w: weights[ci]! })));
      if (a) out[v] = a;
    }
    charts[m] = out;
  }
  return {
    dims: used,
    reference: reference.source,
    method: dims.length === 1 ? 'post-stratification' : fallback ? 'post-stratification' : 'raking',
    converged,
    iterations,
    fallback,
    capped,
    nEff: nEff(
      weights,
      groups.map((g) => g.count),
    ),
    reports,
    charts,
  };
}
