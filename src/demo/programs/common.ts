/**
 * Helpers shared by the program models: per-activity values, clamping and
 * normalising probabilities, counter names, and stack charts drawn from the
 * model's stack stream.
 */
import type { Rng } from '../../lib/random.ts';
import { type Activity, type Cell, type ChartModel, GOOSES } from '../model-types.ts';
import { makeStackCatalog, type StackCatalogSpec } from '../stacks.ts';

/** What a program model is built from. */
export interface ProgramContext {
  /** The `${seed}|stacks` stream; stack catalogs draw from it in program order (gopls, cmd/compile, Delve). */
  rng: Rng;
}

/** The value for the cell's activity level. */
export const pick = <T>(c: Cell, m: Record<Activity, T>): T => m[c.activity];
/** `x` limited to [0, hi]. */
export const clamp = (x: number, hi = 0.97) => Math.min(hi, Math.max(0, x));
/** `f` scaled to sum to 1. */
export const normalize = (f: number[]) => {
  const s = f.reduce((a, b) => a + b, 0);
  return f.map((x) => x / s);
};
/** The VS Code family of editors. */
export const VS_FAMILY = new Set(['vscode', 'vscode-insiders', 'cursor']);

/** The counter name of each bucket: `chart:bucket`. */
export function counterNames(chart: string, buckets: string[]): string[] {
  return buckets.map((b) => `${chart}:${b}`);
}

/** A stack chart: a catalog of 16-frame stacks drawn from `rng`, weighted per GOOS; `present` and `mean` per report. */
export function stackChart(
  rng: Rng,
  spec: Omit<StackCatalogSpec, 'depth'> & { title: string; description: string; issues: string[]; minVersion: string; rate: number },
  present: (c: Cell) => number,
  mean: number,
  versionFactor?: (v: string) => number,
): ChartModel {
  const stacks = makeStackCatalog(rng, { ...spec, depth: 16 });
  const byGoos = new Map<string, number[]>();
  for (const goos of GOOSES) byGoos.set(goos, normalize(stacks.map((s) => (s.goos === '' || s.goos === goos ? s.weight : 0))));
  const chart: ChartModel = {
    chart: spec.counter,
    type: 'stack',
    buckets: stacks.map((s) => s.key),
    names: stacks.map((s) => s.key),
    rate: spec.rate,
    minVersion: spec.minVersion,
    title: spec.title,
    description: spec.description,
    issues: spec.issues,
    depth: 16,
    model: 'multinomial',
    params: (c) => ({ present: present(c), mean, f: byGoos.get(c.goos)! }),
  };
  if (versionFactor) chart.versionFactor = versionFactor;
  return chart;
}
