/**
 * The demo's version helpers, on the project's own version rules so that the
 * simulated gates and groups are exactly what the pipeline applies.
 */
import { compareBuckets } from '../lib/order.ts';
import { versionAtLeast, versionMajorMinor } from '../lib/versions.ts';

/** Orders two versions of one program (Go's order for Go versions, semver otherwise). */
export function compareVersions(a: string, b: string): number {
  return compareBuckets(a, b);
}

/** True when version `v` can carry a chart whose first version is `min` (an empty `min` admits every version). */
export function atLeast(v: string, min: string): boolean {
  return min === '' || versionAtLeast(v, min);
}

/** The group a version is charted under: `v0.20.1` -> `v0.20`, `go1.27.1` -> `go1.27`; anything else unchanged. */
export function majorMinor(v: string): string {
  return versionMajorMinor(v) || v;
}
