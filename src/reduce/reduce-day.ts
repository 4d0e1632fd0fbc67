/**
 * Reduces one archive day file to its DayPartial, streaming: the file is read
 * in fixed-size chunks and never held whole, and per report only its X and
 * byte position are kept (to find re-uploads).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Day } from '../lib/dates.ts';
import { parseFast } from '../parse/fast.ts';
import type { Report } from '../parse/report.ts';
import { parseStrict } from '../parse/strict.ts';
import { checkReport, DayAccumulator, REASON } from './accumulate.ts';
import type { DayPartial } from './partial.ts';
import type { CompiledSpec } from './spec.ts';

export const MAX_LINE_BYTES = 8 * 1024 * 1024;
const CHUNK = 1 << 20;

export interface ReduceStats {
  fastLines: number;
  strictLines: number;
}

/** Parses a line with the fast path, falling back to the strict path. */
export function parseLine(line: string, stats?: ReduceStats): { ok: true; report: Report } | { ok: false; reason: string } {
  const fast = parseFast(line);
  if (fast) {
    if (stats) stats.fastLines++;
    return { ok: true, report: fast };
  }
  if (stats) stats.strictLines++;
  return parseStrict(line);
}

export interface ReduceDayOptions {
  path: string;
  day: Day;
  sha256: string;
  compiled: CompiledSpec;
  specId: string;
  maxLineBytes?: number;
  stats?: ReduceStats;
}

export function reduceDayFile(opts: ReduceDayOptions): DayPartial {
  const acc = new DayAccumulator(opts.compiled, opts.day);
  const seen = new Map<number, number>(); // X -> index into starts/lengths
  const starts: number[] = [];
  const lengths: number[] = [];
  const fd = openSync(opts.path, 'r');
  try {
    forEachLine(fd, opts.maxLineBytes ?? MAX_LINE_BYTES, acc, (bytes, start, end, lineNo, absStart) => {
      let line = bytes.toString('utf8', start, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        acc.reject(REASON.emptyLine, lineNo, '');
        return;
      }
      const parsed = parseLine(line, opts.stats);
      if (!parsed.ok) {
        acc.reject(parsed.reason, lineNo, line);
        return;
      }
      const report = parsed.report;
      const bad = checkReport(report, opts.day);
      if (bad) {
        acc.reject(bad, lineNo, line);
        return;
      }
      const prev = seen.get(report.x);
      if (prev === undefined) {
        seen.set(report.x, starts.length);
        starts.push(absStart);
        lengths.push(end - start);
        acc.add(report, 1);
        return;
      }
      // Same X: a re-upload. Identical bytes count once; different content
      // means the last one read wins, as in the Go dashboard.
      const old = Buffer.allocUnsafe(lengths[prev]!);
      readSync(fd, old, 0, old.length, starts[prev]!);
      if (old.length === end - start && old.equals(bytes.subarray(start, end))) {
        acc.ledger.duplicates++;
        return;
      }
      let oldLine = old.toString('utf8');
      if (oldLine.endsWith('\r')) oldLine = oldLine.slice(0, -1);
      const oldParsed = parseLine(oldLine);
      if (oldParsed.ok) acc.add(oldParsed.report, -1);
      acc.ledger.duplicatesDiffering++;
      starts[prev] = absStart;
      lengths[prev] = end - start;
      acc.add(report, 1);
    });
  } finally {
    closeSync(fd);
  }
  return acc.toPartial(opts.specId, opts.sha256);
}

/**
 * Calls `onLine(buffer, start, end, lineNo, fileOffset)` for each line
 * (without its newline). Lines longer than maxLineBytes are skipped and rejected without
 * being buffered whole.
 */
function forEachLine(fd: number, maxLineBytes: number, acc: DayAccumulator, onLine: (buf: Buffer, start: number, end: number, lineNo: number, fileOffset: number) => void) {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0; // bytes of buf holding data
  let bufBase = 0; // file offset of buf[0]
  let filePos = 0;
  let lineNo = 0;
  let skipping = false; // inside an over-long line
  let skipStart = 0;
  let skipHead = '';
  for (;;) {
    const n = readSync(fd, buf, filled, buf.length - filled, filePos);
    filePos += n;
    acc.ledger.bytes += n;
    filled += n;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= filled) break;
      lineNo++;
      acc.ledger.lines++;
      if (skipping) {
        skipping = false;
        acc.reject(REASON.tooLong, lineNo, `${skipHead} (${bufBase + nl - skipStart} bytes)`);
      } else {
        onLine(buf, pos, nl, lineNo, bufBase + pos);
      }
      pos = nl + 1;
    }
    if (n === 0) {
      // End of file: a last line without a newline still counts.
      if (skipping) {
        lineNo++;
        acc.ledger.lines++;
        acc.reject(REASON.tooLong, lineNo, `${skipHead} (${bufBase + filled - skipStart} bytes)`);
      } else if (pos < filled) {
        lineNo++;
        acc.ledger.lines++;
        onLine(buf, pos, filled, lineNo, bufBase + pos);
      }
      return;
    }
    // Keep the unfinished line at the front of the buffer.
    const rest = filled - pos;
    if (skipping) {
      bufBase += filled;
      filled = 0;
      continue;
    }
    if (rest > maxLineBytes) {
      skipping = true;
      skipStart = bufBase + pos;
      skipHead = buf.toString('utf8', pos, pos + 120);
      bufBase += filled;
      filled = 0;
      continue;
    }
    if (pos > 0) buf.copy(buf, 0, pos, filled);
    bufBase += pos;
    filled = rest;
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes + CHUNK));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  }
}
