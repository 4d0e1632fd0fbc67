/**
 * The data-quality defects planted in the demo archive: malformed lines of
 * known kinds, exact duplicate uploads, and counters the upload config does
 * not name. Each is recorded (day, 1-based line, kind) in truth.json so tests
 * can check a data-quality ledger exactly.
 */
import type { Rng } from '../lib/random.ts';
import { addDays, type Day } from '../lib/dates.ts';
import { goFloat, goReportLine, type GoReport } from './gojson.ts';
import { GOPLS } from './model.ts';

/**
 * - truncated: a report cut short (invalid JSON)
 * - x-string: X written as a string
 * - x-out-of-range: X = 1.5
 * - week-not-date: Week is `YYYY-02-30`, date-shaped but not a calendar day
 * - week-mismatch: Week is a real day 7 days before the file's day
 * - negative-counter: one counter value is negative
 * - garbage: an HTML error page instead of JSON
 * - empty-line: an empty line
 * - bom: a valid report preceded by a UTF-8 byte order mark (JSON.parse rejects it)
 * - cr: a valid report followed by a carriage return (JSON whitespace, so JSON.parse accepts it)
 * - huge: a valid report of about 1.5 MB (a runaway stack), larger than 1 MiB
 */
export const MALFORMED_KINDS = [
  'truncated',
  'x-string',
  'x-out-of-range',
  'week-not-date',
  'week-mismatch',
  'negative-counter',
  'garbage',
  'empty-line',
  'bom',
  'cr',
  'huge',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** A planted malformed line. */
export interface PlantedLine {
  day: Day;
  /** 1-based line number in the day's file. */
  line: number;
  kind: MalformedKind;
  /** UTF-8 length of the line without its newline. */
  bytes: number;
  /** JSON.parse accepts the line as written. */
  jsonParses: boolean;
  /** After removing a leading BOM and a trailing CR, the line is a schema-valid report for this day (X in (0, SampleRate], counts >= 0). */
  payloadValid: boolean;
}

/** A planted exact duplicate: `line` repeats line `of` of the same file. */
export interface PlantedDuplicate {
  day: Day;
  line: number;
  of: number;
}

/** A report that carries a counter the upload config does not configure. */
export interface PlantedUnconfigured {
  day: Day;
  line: number;
  program: string;
  counter: string;
}

/** The unconfigured counter planted in a few gopls ProgramReports (a newer client's counter). */
export const UNCONFIGURED_COUNTER = 'gopls/semantictokens:enabled';

const GARBAGE = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

function freshX(rng: Rng, sampleRate: number): number {
  for (;;) {
    const x = rng.nextDouble();
    if (x <= sampleRate) return x;
  }
}

/** The text of a malformed line of `kind`, derived from report `base` of `day` where it needs one. */
export function malformedLine(kind: MalformedKind, base: GoReport, day: Day, rng: Rng, sampleRate: number): string {
  const r: GoReport = structuredClone(base);
  r.X = freshX(rng, sampleRate);
  switch (kind) {
    case 'truncated': {
      const line = goReportLine(r);
      return line.slice(0, Math.floor(line.length * (0.3 + 0.5 * rng.next())));
    }
    case 'x-string':
      return goReportLine(r).replace(`,"X":${goFloat(r.X)},`, `,"X":"${goFloat(r.X)}",`);
    case 'x-out-of-range':
      return goReportLine({ ...r, X: 1.5 });
    case 'week-not-date':
      return goReportLine({ ...r, Week: `${day.slice(0, 4)}-02-30` });
    case 'week-mismatch':
      return goReportLine({ ...r, Week: addDays(day, -7), LastWeek: '' });
    case 'negative-counter': {
      const pr = r.Programs.find((p) => p.Counters && Object.keys(p.Counters).length > 0);
      if (pr) {
        const k = Object.keys(pr.Counters!).sort()[0]!;
        pr.Counters![k] = -(1 + rng.int(5));
      } else if (r.Programs[0]) r.Programs[0].Counters = { 'go/invocations': -1 };
      return goReportLine(r);
    }
    case 'garbage':
      return GARBAGE;
    case 'empty-line':
      return '';
    case 'bom':
      return '\uFEFF' + goReportLine(r);
    case 'cr':
      return goReportLine(r) + '\r';
    case 'huge': {
      // A crash deep in a runaway recursion, written by a client that did not cap the depth.
      const pr = r.Programs.find((p) => p.Program === GOPLS) ?? r.Programs[0]!;
      const frames = ['runtime.morestack:+0'];
      while (frames.length < 22_000) frames.push(`golang.org/x/tools/gopls/internal/golang.(*completer).deepSearch:+${40 + (frames.length % 17)}`);
      pr.Stacks = { ...(pr.Stacks ?? {}), ['crash/crash\n' + frames.join('\n')]: 1 };
      return goReportLine(r);
    }
  }
}

/** Whether `line` (as written, without its newline) is a valid report for `day`. */
export function checkPayload(line: string, day: Day, sampleRate: number): { jsonParses: boolean; payloadValid: boolean } {
  let jsonParses = true;
  try {
    JSON.parse(line);
  } catch {
    jsonParses = false;
  }
  let payloadValid = false;
  try {
    const r = JSON.parse(line.replace(/^\uFEFF/, '').replace(/\r$/, '')) as GoReport;
    const countsOk = (m: Record<string, number> | null) => m === null || Object.values(m).every((v) => Number.isInteger(v) && v >= 0);
    payloadValid =
      r.Week === day &&
      typeof r.X === 'number' &&
      r.X > 0 &&
      r.X <= sampleRate &&
      Array.isArray(r.Programs) &&
      r.Programs.every((p) => typeof p.Program === 'string' && countsOk(p.Counters) && countsOk(p.Stacks));
  } catch {
    payloadValid = false;
  }
  return { jsonParses, payloadValid };
}
