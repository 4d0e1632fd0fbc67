/**
 * Opt-in skew (docs/methodology.md §6): how the sample's composition on a
 * reference dimension compares with the reference population, as total
 * variation distance, per-category representation ratios, a level and the
 * categories that stand out (the site words them, src/site/words.ts).
 *
 * Notes are triggered by effect size, not by significance (at thousands of
 * reports almost every difference is significant), and only categories with
 * at least 5% of the reference can trigger them.
 */
import { OTHER } from './reference.ts';

export type SkewLevel = 'none' | 'moderate' | 'strong';

export interface CategorySkew {
  category: string;
  /** Share of the sample (fractional for installations with several values). */
  sample: number;
  reference: number;
  /** sample / reference; null when the reference share is 0. */
  ratio: number | null;
}

export interface DimensionSkew {
  dimension: string;
  /** Reports the sample composition rests on. */
  n: number;
  categories: CategorySkew[];
  tvd: number;
  level: SkewLevel;
  /**
   * The categories a note names: the most over-represented (ratio above
   * 1.25) and the most under-represented (below 0.8) of those with at least
   * 5% of the reference, or, when none is out of those bounds, the most
   * distorted one. Empty when the level is none.
   */
  notable: NotableCategory[];
}

/** A category with a reference share, so its ratio is a number. */
export type NotableCategory = CategorySkew & { ratio: number };

const MIN_REFERENCE_SHARE = 0.05;

/**
 * Compares a sample composition with the reference. Sample categories the
 * reference does not list count as "other" when the reference has "other",
 * and are left out of the comparison otherwise. Category names are data: only
 * the objects' own keys count.
 */
export function dimensionSkew(
  dimension: string,
  sample: Readonly<Record<string, number>>,
  n: number,
  reference: Readonly<Record<string, number>>,
): DimensionSkew {
  const merged = new Map<string, number>();
  const hasOther = Object.hasOwn(reference, OTHER);
  for (const [k, v] of Object.entries(sample)) {
    const key = Object.hasOwn(reference, k) ? k : hasOther ? OTHER : null;
    if (key !== null) merged.set(key, (merged.get(key) ?? 0) + v);
  }
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  const categories: CategorySkew[] = Object.keys(reference)
    .sort()
    .map((k) => {
      const s = total > 0 ? (merged.get(k) ?? 0) / total : 0;
      const q = reference[k]!;
      return { category: k, sample: s, reference: q, ratio: q > 0 ? s / q : null };
    });
  const tvd = categories.reduce((a, c) => a + Math.abs(c.sample - c.reference), 0) / 2;
  const judged = categories.filter((c) => c.reference >= MIN_REFERENCE_SHARE && c.category !== OTHER && c.ratio !== null) as NotableCategory[];
  const outside = (lo: number, hi: number) => judged.some((c) => c.ratio < lo || c.ratio > hi);
  const level: SkewLevel = tvd >= 0.15 || outside(0.5, 2) ? 'strong' : tvd >= 0.05 || outside(0.8, 1.25) ? 'moderate' : 'none';
  const notable: NotableCategory[] = [];
  if (level !== 'none' && judged.length > 0) {
    // The most over- and the most under-represented categories that are out
    // of bounds; when only the distance is large, the most distorted one.
    const over = judged.filter((c) => c.ratio > 1.25).sort((a, b) => b.ratio - a.ratio)[0];
    const under = judged.filter((c) => c.ratio < 0.8).sort((a, b) => a.ratio - b.ratio)[0];
    notable.push(...[over, under].filter((c): c is NotableCategory => c !== undefined));
    if (notable.length === 0) notable.push(judged.reduce((a, c) => (Math.abs(Math.log(c.ratio || 1e-9)) > Math.abs(Math.log(a.ratio || 1e-9)) ? c : a)));
  }
  return { dimension, n, categories, tvd, level, notable };
}
