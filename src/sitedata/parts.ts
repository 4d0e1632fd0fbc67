/**
 * The parts of the site data made per chart and week, kept between builds.
 *
 * A chart's file is its head and its weeks, and the site-wide tables are its
 * weeks' lines; a week's part depends only on that week's published
 * estimates, the week before's and the chart's head (its buckets and k). A
 * rebuild after a new day changes the last week only, so every other week's
 * parts can be taken as text from the build before instead of being made
 * and written again. The caller decides when a week's parts can be reused:
 * it keys each week by what they are made from (src/pipeline/parts-cache.ts).
 * With its digest (what the week gives the program files and changes.json)
 * kept too, a week is taken whole, and its estimates are not needed at all.
 */
import { createHash } from 'node:crypto';
import type { WeekName } from '../lib/dates.ts';
import { stableJson } from './json.ts';
import type { FlaggedChange, FlaggedComparison } from '../estimate/publish.ts';
import type { ChartFile, ProgramFileWeek, SiteData } from './schema.ts';

/**
 * A chart's week as written: its JSON in the chart's file and its lines of
 * estimates.csv, stacks.csv and breakdowns.csv; for a chart whose weeks are
 * read again (the Version chart, for the program's release view), `raw` is
 * the week as JSON.stringify writes it (every figure unrounded), else empty.
 */
export interface ChartWeekParts {
  json: string;
  estimates: string;
  stacks: string;
  breakdowns: string;
  raw: string;
}

/**
 * What a week gives the site data's files besides its charts: per program
 * its entry in the program's file, and the week's flagged changes and
 * version comparisons, all as published.
 */
export interface WeekDigest {
  programs: [program: string, week: ProgramFileWeek][];
  changes: FlaggedChange[];
  comparisons: FlaggedComparison[];
}

/** Parts kept from an earlier build, and the parts made now. */
export interface PartsCache {
  /** The parts kept for this chart's week, or undefined when there are none the week can use. */
  get(week: WeekName, chart: string): ChartWeekParts | undefined;
  /** Whether parts are kept for this chart's week (get would return them); not counted as a use. */
  has(week: WeekName, chart: string): boolean;
  /** Parts made in this build. */
  made(week: WeekName, chart: string, parts: ChartWeekParts): void;
  /** The week's digest kept from an earlier build, or undefined. */
  digest(week: WeekName): WeekDigest | undefined;
  /** A digest made in this build. */
  madeDigest(week: WeekName, digest: WeekDigest): void;
}

/** Identifies a chart's head and the small-cell policy, on which its weeks' parts depend besides the weeks. */
export function chartPartsId(head: Omit<ChartFile, 'weeks'>, smallCells: SiteData['smallCells']): string {
  return createHash('sha256').update(stableJson({ head, smallCells })).digest('hex').slice(0, 32);
}

const FORMAT = 2;

/** A week's kept parts, by chart id, and its digest. */
export interface WeekParts {
  parts: Map<string, ChartWeekParts>;
  digest: WeekDigest | null;
}

/**
 * A week's parts as one file: a JSON line (the format, the week's key, its
 * digest and, per chart, its id and the lengths of its five texts) and then
 * the texts, one after the other.
 */
export function formatWeekParts(key: string, parts: ReadonlyMap<string, ChartWeekParts>, digest: WeekDigest | null): string {
  const list: [string, number, number, number, number, number][] = [];
  let body = '';
  for (const [id, p] of parts) {
    list.push([id, p.json.length, p.estimates.length, p.stacks.length, p.breakdowns.length, p.raw.length]);
    body += p.json + p.estimates + p.stacks + p.breakdowns + p.raw;
  }
  return `${JSON.stringify({ format: FORMAT, key, digest, parts: list })}\n${body}`;
}

function isDigest(d: unknown): d is WeekDigest {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Partial<Record<keyof WeekDigest, unknown>>;
  return (
    Array.isArray(x.programs) &&
    x.programs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'object' && p[1] !== null) &&
    Array.isArray(x.changes) &&
    Array.isArray(x.comparisons)
  );
}

/** The parts formatWeekParts wrote with this key, by chart id, and the digest; null when the text is not such a file whole, or has another key. */
export function parseWeekParts(text: string, key: string): WeekParts | null {
  const nl = text.indexOf('\n');
  if (nl < 0) return null;
  let head: unknown;
  try {
    head = JSON.parse(text.slice(0, nl));
  } catch {
    return null;
  }
  if (typeof head !== 'object' || head === null) return null;
  const h = head as { format?: unknown; key?: unknown; parts?: unknown; digest?: unknown };
  if (h.format !== FORMAT || h.key !== key || !Array.isArray(h.parts)) return null;
  if (h.digest !== null && !isDigest(h.digest)) return null;
  const out = new Map<string, ChartWeekParts>();
  let at = nl + 1;
  for (const entry of h.parts as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 6 || typeof entry[0] !== 'string') return null;
    const lengths = entry.slice(1) as unknown[];
    if (!lengths.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
    const [a, b, c, d, e] = lengths as number[];
    if (at + a! + b! + c! + d! + e! > text.length) return null;
    const take = (n: number) => text.slice(at, (at += n));
    out.set(entry[0], { json: take(a!), estimates: take(b!), stacks: take(c!), breakdowns: take(d!), raw: take(e!) });
  }
  return at === text.length ? { parts: out, digest: h.digest } : null;
}
