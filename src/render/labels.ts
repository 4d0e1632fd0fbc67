/**
 * One-dimensional label placement: move labels as little as possible (least
 * squares) so that neighbours keep a minimum gap and all stay within bounds.
 */

/**
 * Positions for labels that want to sit at `targets`, keeping at least `gap`
 * between any two and staying within [lo, hi] when they fit (when they do
 * not, they keep the gap and run past `hi`). Returned in the input order.
 *
 * Sorting by target and substituting z_i = y_i - i*gap turns the gap
 * constraints into z being non-decreasing, so the least-squares solution is
 * the isotonic regression of (target_i - i*gap), found exactly by
 * pool-adjacent-violators, then clamped to the bounds.
 */
export function dodge(targets: readonly number[], gap: number, lo: number, hi: number): number[] {
  const n = targets.length;
  if (n === 0) return [];
  // Stable order: by target, then input index.
  const order = targets.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const shifted = order.map(([t], k) => t - k * gap);
  // Pool adjacent violators: blocks of (mean, size).
  const means: number[] = [];
  const sizes: number[] = [];
  for (const v of shifted) {
    let m = v;
    let s = 1;
    while (means.length > 0 && means[means.length - 1]! > m) {
      const pm = means.pop()!;
      const ps = sizes.pop()!;
      m = (pm * ps + m * s) / (ps + s);
      s += ps;
    }
    means.push(m);
    sizes.push(s);
  }
  const zLo = lo;
  const zHi = Math.max(lo, hi - (n - 1) * gap);
  const out = new Array<number>(n);
  let k = 0;
  for (let b = 0; b < means.length; b++) {
    const z = Math.min(Math.max(means[b]!, zLo), zHi);
    for (let j = 0; j < sizes[b]!; j++, k++) out[order[k]![1]] = z + k * gap;
  }
  return out;
}
