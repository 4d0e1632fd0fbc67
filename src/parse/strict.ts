/**
 * The strict parse path: JSON.parse and a schema. It decides every line the
 * fast path declines, and it is the reference the fast path is tested against.
 */
import { z } from 'zod';
import { nameMap } from '../lib/dict.ts';
import { intern } from './intern.ts';
import { REJECT } from './rejects.ts';
import type { Day } from '../lib/dates.ts';
import type { ProgramReport, Report } from './report.ts';

/**
 * Counter values are Go's uint64 counts: non-negative integers, and only up
 * to 2^53 - 1 can a JSON number (a double) hold them exactly. The range is
 * checked first, so a count of 2^63 is out of range rather than "not an
 * integer" (zod's int() also rejects integers beyond 2^53 - 1).
 */
const count = z.number().max(Number.MAX_SAFE_INTEGER, REJECT.counterRange).nonnegative('must not be negative').int('must be an integer');

/** A `map[string]int64` (Counters, Stacks), read as a Map: counter and stack names are data. */
const countMap = nameMap(z.string(), count).nullable();

const programSchema = z.object({
  Program: z.string(),
  Version: z.string(),
  GoVersion: z.string(),
  GOOS: z.string(),
  GOARCH: z.string(),
  Counters: countMap.optional(),
  Stacks: countMap.optional(),
});

const reportSchema = z.object({
  Week: z.string(),
  LastWeek: z.string().optional(),
  X: z.number(),
  Programs: z.array(programSchema).nullable(),
  Config: z.string().optional(),
});

/** Parses one archive line (without its newline). */
export function parseStrict(line: string): { ok: true; report: Report } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: REJECT.notJson };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: REJECT.notObject };
  const r = reportSchema.safeParse(raw);
  if (!r.success) return { ok: false, reason: schemaReason(r.error) };
  const d = r.data;
  return {
    ok: true,
    report: {
      week: d.Week as Day,
      lastWeek: d.LastWeek ?? '',
      x: d.X,
      config: d.Config ?? '',
      programs: (d.Programs ?? []).map((p): ProgramReport => {
        // Sorted by name: the fast path accepts only maps whose keys are strictly
        // increasing (as Go writes them), so both paths yield the same order.
        const counters = orderedEntries(p.Counters);
        const stacks = orderedEntries(p.Stacks);
        return {
          program: p.Program,
          version: p.Version,
          goVersion: p.GoVersion,
          goos: p.GOOS,
          goarch: p.GOARCH,
          counterNames: counters.map((e) => e[0]),
          counterValues: counters.map((e) => e[1]),
          counterIds: counters.map((e) => intern(e[0])),
          stackNames: stacks.map((e) => e[0]),
          stackValues: stacks.map((e) => e[1]),
        };
      }),
    },
  };
}

/** Map entries in a canonical order (sorted by name), so both parse paths agree exactly. */
function orderedEntries(m: ReadonlyMap<string, number> | null | undefined): [string, number][] {
  if (!m) return [];
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * A stable, low-cardinality reason: the field path with array indices and map
 * keys generalised, and the schema's message.
 */
function schemaReason(err: z.ZodError): string {
  const issue = err.issues[0]!;
  if (issue.message === REJECT.counterRange) return REJECT.counterRange;
  const parts: string[] = [];
  for (let i = 0; i < issue.path.length; i++) {
    const p = issue.path[i]!;
    const prev = issue.path[i - 1];
    if (typeof p === 'number') parts.push('[]');
    else if (prev === 'Counters' || prev === 'Stacks') parts.push('{}');
    else parts.push((parts.length ? '.' : '') + String(p));
  }
  const where = parts.join('').replace(/\.?\{\}/g, '{}') || 'report';
  return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
}
