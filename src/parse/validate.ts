/**
 * Decides whether one line of a day file is a usable report, and if not,
 * why: the fast path (fast.ts) for lines as Go writes them, the strict path
 * (strict.ts) for every other line, then the checks against the file's day.
 */
import { isDay, type Day } from '../lib/dates.ts';
import { parseFast } from './fast.ts';
import { REJECT } from './rejects.ts';
import type { Report } from './report.ts';
import { parseStrict } from './strict.ts';

type LineResult = { ok: true; report: Report } | { ok: false; reason: string };

/** How many lines each parse path decided. */
export interface ParseStats {
  fastLines: number;
  strictLines: number;
}

// A day file's lines carry few distinct LastWeek values: remember which are days.
const lastWeekIsDay = new Map<string, boolean>();

function isDayCached(s: string): boolean {
  let ok = lastWeekIsDay.get(s);
  if (ok === undefined) {
    ok = isDay(s);
    if (lastWeekIsDay.size < 1024) lastWeekIsDay.set(s, ok);
  }
  return ok;
}

/** The reason a parsed report of the file for `day` cannot be used, or null. */
export function checkReport(r: Report, day: Day): string | null {
  if (r.week !== day) return isDay(r.week) ? REJECT.weekMismatch : REJECT.weekNotDate;
  if (r.lastWeek !== '' && !(isDayCached(r.lastWeek) && r.lastWeek < r.week)) return REJECT.lastWeek;
  if (!(r.x >= 0 && r.x <= 1)) return REJECT.xRange;
  return null;
}

/** Parses and checks one line (without its line ending) of the file for `day`. */
export function parseLine(line: string, day: Day, stats?: ParseStats): LineResult {
  if (line === '') return { ok: false, reason: REJECT.emptyLine };
  let parsed: LineResult;
  const fast = parseFast(line);
  if (fast) {
    if (stats) stats.fastLines++;
    parsed = { ok: true, report: fast };
  } else {
    if (stats) stats.strictLines++;
    parsed = parseStrict(line);
    if (!parsed.ok) return parsed;
  }
  const bad = checkReport(parsed.report, day);
  return bad ? { ok: false, reason: bad } : parsed;
}
