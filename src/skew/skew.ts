/**
 * Opt-in skew (docs/methodology.md §6): how the sample's composition on a
 * reference dimension compares with the reference population, as total
 * variation distance, per-category representation ratios, a level and a
 * plain-language note.
 *
 * Notes are triggered by effect size, not by significance (at thousands of
 * reports almost every difference is significant), and only categories with
 * at least 5% of the reference can trigger them.
 */
import { own } from '../lib/dict.ts';
import { OTHER } from './reference.ts';
import { round } from '../lib/round.ts';

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
  /** The plain-language note, or null when the level is none. */
  note: string | null;
}

const MIN_REFERENCE_SHARE = 0.05;

const NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  GOOS: { darwin: 'macOS', linux: 'Linux', windows: 'Windows', freebsd: 'FreeBSD', openbsd: 'OpenBSD', netbsd: 'NetBSD', android: 'Android', ios: 'iOS', illumos: 'illumos', plan9: 'Plan 9' },
  'gopls/client': { vscode: 'VS Code', 'vscode-insiders': 'VS Code Insiders', vscodium: 'VSCodium', neovim: 'Neovim', vim: 'Vim', emacs: 'Emacs', goland: 'GoLand', sublimetext: 'Sublime Text', helix: 'Helix', zed: 'Zed', cursor: 'Cursor', eglot: 'Eglot' },
};
const NOUNS: Record<string, string> = { GOOS: 'OS', GOARCH: 'architecture', Version: 'program version', GoVersion: 'Go version', 'gopls/client': 'editor' };
const PREPOSITION: Record<string, string> = { GOOS: 'on', GOARCH: 'on', Version: 'running', GoVersion: 'built with', 'gopls/client': 'using' };

/** A category's display name (e.g. darwin -> macOS). */
export function categoryName(dimension: string, category: string): string {
  return own(own(NAMES, dimension), category) ?? category;
}

/** What a dimension is, in words (e.g. GOOS -> OS). */
export function dimensionNoun(dimension: string): string {
  return own(NOUNS, dimension) ?? dimension;
}

const pct = (v: number) => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;

/**
 * Compares a sample composition with the reference. Sample categories the
 * reference does not list count as "other" when the reference has "other",
 * and are left out of the comparison otherwise. Category names are data: only
 * the objects' own keys count.
 */
export function dimensionSkew(dimension: string, sample: Readonly<Record<string, number>>, n: number, reference: Readonly<Record<string, number>>, referenceName: string): DimensionSkew {
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
  const judged = categories.filter((c) => c.reference >= MIN_REFERENCE_SHARE && c.category !== OTHER && c.ratio !== null);
  const outside = (lo: number, hi: number) => judged.some((c) => c.ratio! < lo || c.ratio! > hi);
  const level: SkewLevel = tvd >= 0.15 || outside(0.5, 2) ? 'strong' : tvd >= 0.05 || outside(0.8, 1.25) ? 'moderate' : 'none';
  let note: string | null = null;
  if (level !== 'none' && judged.length > 0) {
    // Name the most over- and the most under-represented categories that are
    // out of bounds; when only the distance is large, the most distorted one.
    const over = judged.filter((c) => c.ratio! > 1.25).sort((a, b) => b.ratio! - a.ratio!)[0];
    const under = judged.filter((c) => c.ratio! < 0.8).sort((a, b) => a.ratio! - b.ratio!)[0];
    const prep = own(PREPOSITION, dimension) ?? 'with';
    const phrase = (c: CategorySkew, first: boolean) =>
      `${first ? 'Installations' : 'installations'} ${prep} ${categoryName(dimension, c.category)} are ${c.ratio! < 1 ? 'under' : 'over'}-represented: ` +
      `${pct(c.sample)} of reports vs ${pct(c.reference)} in ${referenceName} (${c.ratio!.toFixed(1)}×)`;
    const named = [over, under].filter((c): c is CategorySkew => c !== undefined);
    if (named.length === 0) named.push(judged.reduce((a, c) => (Math.abs(Math.log(c.ratio! || 1e-9)) > Math.abs(Math.log(a.ratio! || 1e-9)) ? c : a)));
    note =
      named.map((c, i) => phrase(c, i === 0)).join('; ') +
      `. Results that differ by ${dimensionNoun(dimension)} may be skewed.` +
      (level === 'strong' ? ' See the adjusted estimates.' : '');
  }
  return {
    dimension,
    n,
    categories: categories.map((c) => ({ category: c.category, sample: round(c.sample), reference: round(c.reference), ratio: c.ratio === null ? null : round(c.ratio) })),
    tvd: round(tvd),
    level,
    note,
  };
}
