/**
 * One week bin's work, done on a worker thread: reduce the week's day files
 * that have no cached partial (writing the partials), merge all seven, and
 * estimate the week. Only the small result goes back to the main thread,
 * which therefore stays nearly idle while the workers parse.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { estimateWeek, type WeekEstimates } from '../estimate/weekly.ts';
import { writeFileAtomicSync } from '../lib/atomic-write.ts';
import type { Day, WeekName } from '../lib/dates.ts';
import { aggregateOf, totals, type DayPartial, type Ledger } from '../reduce/partial.ts';
import type { ParseStats } from '../parse/validate.ts';
import { type DayFileEffects, nodeDayFiles, reduceDayFile } from '../reduce/reduce-day.ts';
import { METADATA_CHARTS, PIPELINE_VERSION, type CompiledSpec } from '../reduce/spec.ts';
import type { Reference } from '../skew/reference.ts';

export interface WeekTask {
  week: WeekName;
  /** Identifies the week's inputs (see run.ts); stored in the cache entry. */
  key: string;
  /** The week's days that have a file. */
  days: { day: Day; path: string; sha256: string }[];
  partialDir: string;
  /** Where the week's cache entry goes; null when it must not be cached. */
  cachePath: string;
}

/** The format of a week's cache file (formatWeekCache); part of its key. */
export const WEEK_CACHE_FORMAT = 2;

/**
 * What the build needs of every week, whether or not its figures are
 * published again: the day ledgers (the data-quality page, suspect days), the
 * report count, the metadata values seen (the charts' buckets) and the
 * adjustment fallbacks (logged).
 */
export interface WeekHead {
  key: string;
  reports: number;
  ledgers: Record<Day, Ledger>;
  /** Per program and metadata chart, the buckets with reports this week, in the estimates' order. */
  seen: [program: string, chart: string, buckets: string[]][];
  /** Per program, why its adjusted estimates fell back, when they did. */
  fallbacks: [program: string, why: string][];
}

export interface WeekCacheEntry {
  head: WeekHead;
  estimates: WeekEstimates;
}

/** The head of a week's entry, from its estimates. */
function weekHead(key: string, reports: number, estimates: WeekEstimates, ledgers: Record<Day, Ledger>): WeekHead {
  const seen: WeekHead['seen'] = [];
  const fallbacks: WeekHead['fallbacks'] = [];
  for (const p of estimates.programs) {
    for (const m of METADATA_CHARTS) {
      const c = p.charts.find((x) => x.chart === m);
      if (c) seen.push([p.program, m, c.buckets.filter((b) => b.x > 0).map((b) => b.bucket)]);
    }
    if (p.adjustment?.fallback) fallbacks.push([p.program, p.adjustment.fallback]);
  }
  return { key, reports, ledgers, seen, fallbacks };
}

/**
 * A week's cache file: its head as one JSON line, then its estimates as
 * another, so a build that needs only the head reads a few kilobytes of a
 * file of about a megabyte.
 */
export function formatWeekCache(entry: WeekCacheEntry): string {
  return `${JSON.stringify(entry.head)}\n${JSON.stringify(entry.estimates)}\n`;
}

function parseHead(line: string, key: string): WeekHead | null {
  try {
    const h = JSON.parse(line) as WeekHead;
    const whole =
      typeof h === 'object' &&
      h !== null &&
      h.key === key &&
      typeof h.reports === 'number' &&
      typeof h.ledgers === 'object' &&
      h.ledgers !== null &&
      Array.isArray(h.seen) &&
      Array.isArray(h.fallbacks);
    return whole ? h : null;
  } catch {
    return null;
  }
}

/** The entry formatWeekCache wrote with this key, or null (no file, another key, not whole). */
export async function readWeekCache(path: string, key: string): Promise<WeekCacheEntry | null> {
  try {
    const text = await readFile(path, 'utf8');
    const nl = text.indexOf('\n');
    const head = nl >= 0 && text.endsWith('\n') ? parseHead(text.slice(0, nl), key) : null;
    return head && { head, estimates: JSON.parse(text.slice(nl + 1)) as WeekEstimates };
  } catch {
    return null;
  }
}

/** The head of the entry formatWeekCache wrote with this key, read without the estimates; null as readWeekCache. */
export async function readWeekHead(path: string, key: string): Promise<WeekHead | null> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    for (let at = 0; ; ) {
      const { bytesRead, buffer } = await file.read(Buffer.alloc(1 << 16), 0, 1 << 16, at);
      if (bytesRead === 0) return null;
      const chunk = buffer.subarray(0, bytesRead);
      const nl = chunk.indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(chunk.subarray(0, nl));
        return parseHead(Buffer.concat(chunks).toString('utf8'), key);
      }
      chunks.push(chunk);
      at += bytesRead;
    }
  } catch {
    return null;
  } finally {
    await file.close();
  }
}

export interface WeekOutcome {
  week: WeekName;
  entry: WeekCacheEntry;
  reduced: { day: Day; bytes: number; stats: ParseStats }[];
  unreadable: { day: Day; error: string }[];
}

export function partialPath(partialDir: string, day: Day, sha256: string): string {
  return join(partialDir, `${day}.${sha256.slice(0, 32)}.json`);
}

export function hasPartial(partialDir: string, day: Day, sha256: string): boolean {
  try {
    return statSync(partialPath(partialDir, day, sha256)).size > 0;
  } catch {
    return false;
  }
}

/** What a week task does to the outside world: day files are read, cached partials and the week's entry read and written. Tests swap it. */
export interface WeekEffects extends DayFileEffects {
  /** A day file's size and modification time, to tell whether it changed while it was read. */
  statDay(path: string): { size: number; mtimeMs: number };
  /** The text of a cache file, or null when there is none (or it cannot be read). */
  readCache(path: string): string | null;
  /** Writes a cache file whole or not at all. */
  writeCache(path: string, text: string): void;
}

const nodeWeekEffects: WeekEffects = {
  ...nodeDayFiles,
  statDay(path) {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  },
  readCache(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  writeCache: writeFileAtomicSync,
};

function readPartial(text: string | null, specId: string, sha256: string): DayPartial | null {
  if (text === null) return null;
  try {
    const p = JSON.parse(text) as DayPartial;
    return p.pipelineVersion === PIPELINE_VERSION && p.spec === specId && p.sha256 === sha256 ? p : null;
  } catch {
    return null;
  }
}

/**
 * One day file to reduce into its cached partial, done on a worker thread
 * before the week tasks, so work is balanced per day file. A file whose hash
 * is not known yet (sha256 null: a folder file the hash memo does not know)
 * is hashed from the bytes the reducer reads, in the same pass.
 */
export interface DayTask {
  day: Day;
  path: string;
  sha256: string | null;
  partialDir: string;
}

export interface DayOutcome {
  day: Day;
  reduced: WeekOutcome['reduced'][number] | null;
  unreadable: WeekOutcome['unreadable'][number] | null;
  /** For a task without a hash that was reduced: the hash of the bytes read, and the file's stat, the same before and after they were read. */
  hashed: { sha256: string; size: number; mtimeMs: number } | null;
}

/**
 * Effects under which the reducer's reads of the day file at `path`, made in
 * order from its first byte, are hashed as they go by (its re-reads of
 * earlier lines are not hashed again). `hashed()` is null when the reads
 * left a gap, which the reducer never does.
 */
function hashingReads(path: string, fx: WeekEffects): { fx: WeekEffects; hashed(): { sha256: string; bytes: number } | null } {
  const hash = createHash('sha256');
  let hashedTo = 0;
  let gap = false;
  return {
    fx: {
      ...fx,
      openDay(p) {
        const file = fx.openDay(p);
        if (p !== path) return file;
        return {
          read(into, offset, length, position) {
            const n = file.read(into, offset, length, position);
            if (position === hashedTo) {
              hash.update(into.subarray(offset, offset + n));
              hashedTo += n;
            } else if (position > hashedTo) gap = true;
            return n;
          },
          close: () => file.close(),
        };
      },
    },
    hashed: () => (gap ? null : { sha256: hash.digest('hex'), bytes: hashedTo }),
  };
}

/** Reduces a day file whose hash is not known, hashing it in the same read, and caches its partial under that hash. */
function reduceHashing(task: DayTask, compiled: CompiledSpec, specId: string, fx: WeekEffects): DayOutcome {
  const { day, path } = task;
  const unreadable = (e: unknown): DayOutcome => ({ day, reduced: null, unreadable: { day, error: (e as Error).message }, hashed: null });
  // A file rewritten while it was read gives a hash and counts of neither version; read again.
  for (let tries = 0; tries < 3; tries++) {
    const stats: ParseStats = { fastLines: 0, strictLines: 0 };
    let before: { size: number; mtimeMs: number };
    let after: { size: number; mtimeMs: number };
    let p: DayPartial;
    let h: { sha256: string; bytes: number } | null;
    try {
      before = fx.statDay(path);
      const reads = hashingReads(path, fx);
      // The partial names its file's hash, known once the file is read; the field keeps its place.
      p = reduceDayFile({ path, day, sha256: '', compiled, specId, stats }, reads.fx);
      h = reads.hashed();
      after = fx.statDay(path);
    } catch (e) {
      return unreadable(e);
    }
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || h?.bytes !== after.size) continue;
    p.sha256 = h.sha256;
    fx.writeCache(partialPath(task.partialDir, day, h.sha256), JSON.stringify(p));
    return { day, reduced: { day, bytes: p.ledger.bytes, stats }, unreadable: null, hashed: { sha256: h.sha256, ...after } };
  }
  return unreadable(new Error(`${path} kept changing while it was read`));
}

/** Reduces a day file and caches its partial; the error message when the file cannot be read. */
function reduceAndCache(
  d: { day: Day; path: string; sha256: string },
  cachedPath: string,
  compiled: CompiledSpec,
  specId: string,
  fx: WeekEffects,
): { partial: DayPartial; stats: ParseStats } | { error: string } {
  const stats: ParseStats = { fastLines: 0, strictLines: 0 };
  let p: DayPartial;
  try {
    p = reduceDayFile({ path: d.path, day: d.day, sha256: d.sha256, compiled, specId, stats }, fx);
  } catch (e) {
    return { error: (e as Error).message };
  }
  fx.writeCache(cachedPath, JSON.stringify(p));
  return { partial: p, stats };
}

/** Reduces one day file into the partial cache (the week task then finds it there); hashes it as it reads it when its task has no hash. */
export function processDay(task: DayTask, compiled: CompiledSpec, specId: string, fx: WeekEffects = nodeWeekEffects): DayOutcome {
  if (task.sha256 === null) return reduceHashing(task, compiled, specId, fx);
  const r = reduceAndCache({ ...task, sha256: task.sha256 }, partialPath(task.partialDir, task.day, task.sha256), compiled, specId, fx);
  if ('error' in r) return { day: task.day, reduced: null, unreadable: { day: task.day, error: r.error }, hashed: null };
  return { day: task.day, reduced: { day: task.day, bytes: r.partial.ledger.bytes, stats: r.stats }, unreadable: null, hashed: null };
}

export function processWeek(
  task: WeekTask,
  compiled: CompiledSpec,
  specId: string,
  reference: Reference | null,
  fx: WeekEffects = nodeWeekEffects,
): WeekOutcome {
  const parts: DayPartial[] = [];
  const reduced: WeekOutcome['reduced'] = [];
  const unreadable: WeekOutcome['unreadable'] = [];
  for (const { day, path, sha256 } of task.days) {
    const cachedPath = partialPath(task.partialDir, day, sha256);
    let p = readPartial(fx.readCache(cachedPath), specId, sha256);
    if (!p) {
      const r = reduceAndCache({ day, path, sha256 }, cachedPath, compiled, specId, fx);
      if ('error' in r) {
        unreadable.push({ day, error: r.error });
        continue;
      }
      p = r.partial;
      reduced.push({ day, bytes: p.ledger.bytes, stats: r.stats });
    }
    parts.push(p);
  }
  const t = totals(aggregateOf(parts));
  const estimates = estimateWeek(t, compiled.spec, reference);
  const entry: WeekCacheEntry = {
    head: weekHead(task.key, t.reports, estimates, Object.fromEntries(parts.map((p) => [p.day, p.ledger]))),
    estimates,
  };
  // A week with an unreadable day is not cached, so the next build retries the day.
  if (unreadable.length === 0) fx.writeCache(task.cachePath, formatWeekCache(entry));
  return { week: task.week, entry, reduced, unreadable };
}
