/**
 * Calendar days as `YYYY-MM-DD` strings in UTC. Every date in the pipeline is a
 * `Day`; week bins are named by their Sunday. Nothing here reads the clock.
 */
import { utcDay, utcMonday, utcSunday } from 'd3-time';
import { utcFormat, utcParse } from 'd3-time-format';

declare const day: unique symbol;
/**
 * A calendar day, `YYYY-MM-DD`. Only `isDay` and `toDay` (and the functions
 * here, which compute days from days) make one, so a `Day` is always valid.
 */
export type Day = string & { readonly [day]: true };
/** A week bin: Monday..Sunday, named by its Sunday (`YYYY-MM-DD`). */
export type WeekName = Day;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const format = utcFormat('%Y-%m-%d');
const parse = utcParse('%Y-%m-%d');

/** True when `s` is a real calendar day written as `YYYY-MM-DD` (2024-02-30 is not). */
export function isDay(s: unknown): s is Day {
  if (typeof s !== 'string' || !DAY_RE.test(s)) return false;
  const d = parse(s);
  return d !== null && format(d) === s;
}

/** `s` as a Day; throws RangeError unless it is a real calendar day written as `YYYY-MM-DD`. */
export function toDay(s: string): Day {
  if (!isDay(s)) throw new RangeError(`not a calendar day: ${JSON.stringify(s)}`);
  return s;
}

export function toDate(day: Day): Date {
  const d = parse(day);
  if (d === null || format(d) !== day) throw new RangeError(`not a calendar day: ${JSON.stringify(day)}`);
  return d;
}

export function fromDate(d: Date): Day {
  return format(d) as Day;
}

export function addDays(day: Day, n: number): Day {
  return fromDate(utcDay.offset(toDate(day), n));
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toDate(b).getTime() - toDate(a).getTime()) / 86_400_000);
}

/** Every day from `from` to `to`, both included. */
export function dayRange(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The week bin (named by its Sunday) that holds `day`. */
export function weekOf(day: Day): WeekName {
  return fromDate(utcSunday.ceil(toDate(day)));
}

/** The Monday that starts the week bin holding `day`. */
export function mondayOf(day: Day): Day {
  return fromDate(utcMonday.floor(toDate(day)));
}

/** The seven days of a week bin, Monday first. */
export function daysOfWeek(week: WeekName): Day[] {
  return dayRange(addDays(week, -6), week);
}
