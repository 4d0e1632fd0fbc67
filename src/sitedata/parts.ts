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
 */
import { createHash } from 'node:crypto';
import type { WeekName } from '../lib/dates.ts';
import { stableJson } from './json.ts';
import type { ChartFile, SiteData } from './schema.ts';

/** A chart's week as written: its JSON in the chart's file and its lines of estimates.csv, stacks.csv and breakdowns.csv. */
export interface ChartWeekParts {
  json: string;
  estimates: string;
  stacks: string;
  breakdowns: string;
}

/** Parts kept from an earlier build, and the parts made now. */
export interface PartsCache {
  /** The parts kept for this chart's week, or undefined when there are none the week can use. */
  get(week: WeekName, chart: string): ChartWeekParts | undefined;
  /** Parts made in this build. */
  made(week: WeekName, chart: string, parts: ChartWeekParts): void;
}

/** Identifies a chart's head and the small-cell policy, on which its weeks' parts depend besides the weeks. */
export function chartPartsId(head: Omit<ChartFile, 'weeks'>, smallCells: SiteData['smallCells']): string {
  return createHash('sha256').update(stableJson({ head, smallCells })).digest('hex').slice(0, 32);
}

const FORMAT = 1;

/**
 * A week's parts as one file: a JSON line (the format, the week's key and,
 * per chart, its id and the lengths of its four texts) and then the texts,
 * one after the other.
 */
export function formatWeekParts(key: string, parts: ReadonlyMap<string, ChartWeekParts>): string {
  const list: [string, number, number, number, number][] = [];
  let body = '';
  for (const [id, p] of parts) {
    list.push([id, p.json.length, p.estimates.length, p.stacks.length, p.breakdowns.length]);
    body += p.json + p.estimates + p.stacks + p.breakdowns;
  }
  return `${JSON.stringify({ format: FORMAT, key, parts: list })}\n${body}`;
}

/** The parts formatWeekParts wrote with this key, by chart id; null when the text is not such a file whole, or has another key. */
export function parseWeekParts(text: string, key: string): Map<string, ChartWeekParts> | null {
  const nl = text.indexOf('\n');
  if (nl < 0) return null;
  let head: unknown;
  try {
    head = JSON.parse(text.slice(0, nl));
  } catch {
    return null;
  }
  if (typeof head !== 'object' || head === null) return null;
  const h = head as { format?: unknown; key?: unknown; parts?: unknown };
  if (h.format !== FORMAT || h.key !== key || !Array.isArray(h.parts)) return null;
  const out = new Map<string, ChartWeekParts>();
  let at = nl + 1;
  for (const entry of h.parts as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 5 || typeof entry[0] !== 'string') return null;
    const lengths = entry.slice(1) as unknown[];
    if (!lengths.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
    const [a, b, c, d] = lengths as number[];
    if (at + a! + b! + c! + d! > text.length) return null;
    const take = (n: number) => text.slice(at, (at += n));
    out.set(entry[0], { json: take(a!), estimates: take(b!), stacks: take(c!), breakdowns: take(d!) });
  }
  return at === text.length ? out : null;
}
