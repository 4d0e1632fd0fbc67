/**
 * The site's words for what the statistics return as facts: display names of
 * categories (darwin -> macOS), what a dimension is (GOOS -> OS), the skew
 * notes and the words of adjusted values ("if opt-in depended only on ...").
 * Names are data: looked up in Maps, never as keys of plain objects; a name
 * without a display form is shown as it is.
 */
import type { ReleaseMilestone } from '../estimate/release.ts';
import type { AdjustmentInfo } from '../estimate/weekly.ts';
import type { DimensionSkew, NotableCategory } from '../skew/skew.ts';

const NAMES: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  [
    'GOOS',
    new Map([
      ['darwin', 'macOS'],
      ['linux', 'Linux'],
      ['windows', 'Windows'],
      ['freebsd', 'FreeBSD'],
      ['openbsd', 'OpenBSD'],
      ['netbsd', 'NetBSD'],
      ['android', 'Android'],
      ['ios', 'iOS'],
      ['illumos', 'illumos'],
      ['plan9', 'Plan 9'],
    ]),
  ],
  [
    'gopls/client',
    new Map([
      ['vscode', 'VS Code'],
      ['vscode-insiders', 'VS Code Insiders'],
      ['vscodium', 'VSCodium'],
      ['neovim', 'Neovim'],
      ['vim', 'Vim'],
      ['emacs', 'Emacs'],
      ['goland', 'GoLand'],
      ['sublimetext', 'Sublime Text'],
      ['helix', 'Helix'],
      ['zed', 'Zed'],
      ['cursor', 'Cursor'],
      ['eglot', 'Eglot'],
    ]),
  ],
]);
const NOUNS: ReadonlyMap<string, string> = new Map([
  ['GOOS', 'OS'],
  ['GOARCH', 'architecture'],
  ['Version', 'program version'],
  ['GoVersion', 'Go version'],
  ['gopls/client', 'editor'],
]);
const PREPOSITIONS: ReadonlyMap<string, string> = new Map([
  ['GOOS', 'on'],
  ['GOARCH', 'on'],
  ['Version', 'running'],
  ['GoVersion', 'built with'],
  ['gopls/client', 'using'],
]);

/** A category's display name (e.g. darwin -> macOS). */
export function categoryName(dimension: string, category: string): string {
  return NAMES.get(dimension)?.get(category) ?? category;
}

/** What a dimension is, in words (e.g. GOOS -> OS). */
export function dimensionNoun(dimension: string): string {
  return NOUNS.get(dimension) ?? dimension;
}

/** Dimensions in words: "OS, architecture and editor". */
export function listNouns(dimensions: readonly string[]): string {
  const nouns = dimensions.map(dimensionNoun);
  return nouns.length <= 1 ? nouns.join('') : `${nouns.slice(0, -1).join(', ')} and ${nouns.at(-1)}`;
}

/**
 * What an adjusted value assumes, as a condition: "if opt-in depended only on
 * OS and editor". Adjusted values are a sensitivity check beside the raw
 * headline (docs/methodology.md §6), so they are named by their assumption,
 * never as a corrected figure.
 */
export function adjustedCondition(a: Pick<AdjustmentInfo, 'dims'>): string {
  return `if opt-in depended only on ${listNouns(a.dims)}`;
}

/** The adjusted values' label with the reference: "if opt-in depended only on OS and editor (Go Developer Survey 2024)"; undefined without an adjustment. */
export function adjustedLabel(a: Pick<AdjustmentInfo, 'dims' | 'reference'>): string;
export function adjustedLabel(a: Pick<AdjustmentInfo, 'dims' | 'reference'> | null | undefined): string | undefined;
export function adjustedLabel(a: Pick<AdjustmentInfo, 'dims' | 'reference'> | null | undefined): string | undefined {
  return a ? `${adjustedCondition(a)} (${a.reference})` : undefined;
}

/** An adjusted figure in words: "if opt-in depended only on OS and architecture: 31% (28–34%)". */
export function adjustedFigure(a: Pick<AdjustmentInfo, 'dims'>, figure: string): string {
  return `${adjustedCondition(a)}: ${figure}`;
}

/**
 * The note of a chart whose adjusted values differ from the raw ones by more
 * than the raw interval's half-width. It says the figure depends on who opted
 * in; it does not say which value is right, because the data cannot tell.
 */
export function sensitivityNote(a: Pick<AdjustmentInfo, 'dims' | 'reference'> | null | undefined): string | undefined {
  if (!a) return undefined;
  return (
    `Sensitive to who opted in: ${adjustedLabel(a)}, some shares would differ from the raw ones by more than their 95% margin. ` +
    'The raw shares are what the reports say; which of the two is nearer the whole population depends on selection the reports cannot show.'
  );
}

/** A share in a note: one decimal below 10%, none above (`14%`, `4.2%`). */
function notePct(v: number): string {
  return `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;
}

/** One named category: "Installations on Windows are under-represented: 14% of reports vs 27% in <reference> (0.5×)". */
function notablePhrase(dimension: string, c: NotableCategory, first: boolean, referenceName: string): string {
  const prep = PREPOSITIONS.get(dimension) ?? 'with';
  return (
    `${first ? 'Installations' : 'installations'} ${prep} ${categoryName(dimension, c.category)} are ${c.ratio < 1 ? 'under' : 'over'}-represented: ` +
    `${notePct(c.sample)} of reports vs ${notePct(c.reference)} in ${referenceName} (${c.ratio.toFixed(1)}×)`
  );
}

/**
 * The plain-language skew note of a dimension, naming its notable categories
 * against the reference population `referenceName`; null when the level is
 * none or no category stands out.
 */
export function skewNote(d: Pick<DimensionSkew, 'dimension' | 'level' | 'notable'>, referenceName: string): string | null {
  if (d.level === 'none' || d.notable.length === 0) return null;
  return (
    d.notable.map((c, i) => notablePhrase(d.dimension, c, i === 0, referenceName)).join('; ') +
    `. Results that differ by ${dimensionNoun(d.dimension)} may be skewed.` +
    (d.level === 'strong'
      ? ' Charts show, beside the raw figures, what they would be if opt-in depended only on the reference dimensions: a sensitivity check, not a correction.'
      : '')
  );
}

/** How often an installation uploads at SampleRate `rate`: "every week", "1 week in 6.0 (16.6% of weeks)". */
export function uploadFrequency(rate: number): string {
  if (rate >= 1) return 'every week';
  const pctText = `${(100 * rate).toFixed(rate < 0.1 ? 2 : 1)}% of weeks`;
  return `1 week in ${(1 / rate).toFixed(1)} (${pctText})`;
}

/** A release milestone as a table cell: "3 weeks (2026-02-01)", "first week", "not yet", "never". */
export function milestoneText(m: ReleaseMilestone): string {
  if (m.status !== 'reached') return m.status;
  return m.weeks === 0 ? `first week (${m.week})` : `${m.weeks} week${m.weeks === 1 ? '' : 's'} (${m.week})`;
}
