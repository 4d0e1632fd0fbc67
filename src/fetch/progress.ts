/**
 * Progress of a sync: a cli-progress bar when the stream is a terminal, plain
 * log lines otherwise (one about every 10% of days, for CI logs), plus the
 * helpers that word the summary.
 */
import cliProgress from 'cli-progress';
import type { Day } from '../lib/dates.ts';
import { addDays } from '../lib/dates.ts';

export interface Progress {
  /** A plain line; printed above the bar when a bar is showing. */
  log(line: string): void;
  /** One more day done; `bytes` is the running total downloaded. */
  tick(bytes: number): void;
  /** Removes the bar (if any) and logs the closing line. */
  finish(summaryLine: string): void;
}

export interface ProgressOptions {
  total: number;
  /** What is progressing, e.g. `fetch` (default) or `reduce`. */
  label?: string;
  /** What `total` counts (default `days`). */
  unit?: string;
  mode: 'auto' | 'never';
  /** Where plain lines go; when absent they go to `stream`. */
  log?: (line: string) => void;
  /** The terminal the bar draws on; process.stderr by default. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A bar when `mode` is 'auto' and `stream` is a TTY; plain lines otherwise. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const useBar = opts.mode === 'auto' && stream.isTTY === true && opts.total > 0;
  const label = opts.label ?? 'fetch';
  const unit = opts.unit ?? 'days';
  if (!useBar) return plainProgress(opts.total, label, unit, opts.log ?? ((line) => void stream.write(`${line}\n`)));

  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: `${label.padEnd(6)} {bar} {value}/{total} ${unit} | {bytes}`,
      // No SIGINT handler (it would keep Ctrl-C from ending the run), so the
      // cursor is left visible.
      hideCursor: false,
      clearOnComplete: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multibar.create(opts.total, 0, { bytes: formatBytes(0) });
  const log = opts.log ?? ((line: string) => multibar.log(`${line}\n`));
  return {
    log,
    tick(bytes) {
      bar.increment(1, { bytes: formatBytes(bytes) });
    },
    finish(summaryLine) {
      multibar.update(); // flushes lines logged since the last redraw
      multibar.stop();
      if (opts.log) opts.log(summaryLine);
      else stream.write(`${summaryLine}\n`);
    },
  };
}

function plainProgress(total: number, label: string, unit: string, log: (line: string) => void): Progress {
  let done = 0;
  let lastDecile = 0;
  return {
    log,
    tick(bytes) {
      done++;
      const decile = Math.floor((done * 10) / total);
      if (decile > lastDecile && done < total) {
        lastDecile = decile;
        log(`${label}: ${Math.floor((done * 100) / total)}% (${done}/${total} ${unit}, ${formatBytes(bytes)})`);
      }
    },
    finish(summaryLine) {
      log(summaryLine);
    },
  };
}

/** `1536` -> `1.5 kB` (powers of 1000, one decimal above bytes). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Sorted days written compactly, consecutive runs as ranges:
 * `2024-01-01..2024-01-09, 2024-01-12`.
 */
export function formatDayRanges(days: readonly Day[]): string {
  const sorted = [...new Set(days)].sort();
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === addDays(end, 1)) end = sorted[++i]!;
    parts.push(start === end ? start : `${start}..${end}`);
    i++;
  }
  return parts.join(', ');
}
