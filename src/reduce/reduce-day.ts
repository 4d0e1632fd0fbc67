/**
 * Reduces one archive day file to its DayPartial: parse decides each line
 * (parse/validate.ts), the accumulator counts the reports it accepted. Per
 * report only its X and byte position are kept, to find re-uploads.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Day } from '../lib/dates.ts';
import { forEachLine, MAX_LINE_BYTES, type LineSource } from '../parse/line-reader.ts';
import { recordReject, REJECT } from '../parse/rejects.ts';
import { parseLine, type ParseStats } from '../parse/validate.ts';
import { DayAccumulator } from './accumulate.ts';
import type { DayPartial } from './partial.ts';
import type { CompiledSpec } from './spec.ts';

/** An open day file; the reducer reads it in order and re-reads earlier lines to compare re-uploads. */
interface DayFile extends LineSource {
  close(): void;
}

/** How the day reducer reaches its input; tests swap it for files in memory. */
export interface DayFileEffects {
  openDay(path: string): DayFile;
}

export const nodeDayFiles: DayFileEffects = {
  openDay(path) {
    const fd = openSync(path, 'r');
    return { read: (into, offset, length, position) => readSync(fd, into, offset, length, position), close: () => closeSync(fd) };
  },
};

interface ReduceDayOptions {
  path: string;
  day: Day;
  sha256: string;
  compiled: CompiledSpec;
  specId: string;
  maxLineBytes?: number;
  stats?: ParseStats;
}

export function reduceDayFile(opts: ReduceDayOptions, fx: DayFileEffects = nodeDayFiles): DayPartial {
  const acc = new DayAccumulator(opts.compiled, opts.day);
  const ledger = acc.ledger;
  const seen = new Map<number, number>(); // X -> index into starts/lengths
  const starts: number[] = [];
  const lengths: number[] = [];
  const file = fx.openDay(opts.path);
  try {
    const counts = forEachLine(
      file,
      opts.maxLineBytes ?? MAX_LINE_BYTES,
      (bytes, start, end, lineNo, absStart) => {
        let line = bytes.toString('utf8', start, end);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        const parsed = parseLine(line, opts.day, opts.stats);
        if (!parsed.ok) {
          recordReject(ledger, parsed.reason, lineNo, line);
          return;
        }
        const report = parsed.report;
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
        file.read(old, 0, old.length, starts[prev]!);
        if (old.length === end - start && old.equals(bytes.subarray(start, end))) {
          ledger.duplicates++;
          return;
        }
        let oldLine = old.toString('utf8');
        if (oldLine.endsWith('\r')) oldLine = oldLine.slice(0, -1);
        const oldParsed = parseLine(oldLine, opts.day);
        if (oldParsed.ok) acc.add(oldParsed.report, -1);
        ledger.duplicatesDiffering++;
        starts[prev] = absStart;
        lengths[prev] = end - start;
        acc.add(report, 1);
      },
      (lineNo, description) => recordReject(ledger, REJECT.tooLong, lineNo, description),
    );
    ledger.bytes = counts.bytes;
    ledger.lines = counts.lines;
  } finally {
    file.close();
  }
  return acc.toPartial(opts.specId, opts.sha256);
}
