/**
 * The report format published by transparent-telemetry archives
 * (golang.org/x/telemetry's `Report`), one JSON object per line.
 *
 * Counters and stacks are kept as parallel name/value arrays rather than
 * objects: both parse paths produce them in file order, and the reducer only
 * iterates them.
 */
import type { Day } from '../lib/dates.ts';

export interface ProgramReport {
  program: string;
  version: string;
  goVersion: string;
  goos: string;
  goarch: string;
  counterNames: string[];
  counterValues: number[];
  /**
   * The counters' ids (parse/intern.ts), NO_ID for a name without one; both
   * parse paths give them. Absent, the reducer looks counters up by name.
   */
  counterIds?: number[];
  stackNames: string[];
  stackValues: number[];
}

export interface Report {
  /** End day of the installation's 7-day window; the archive file it sits in. */
  week: Day;
  /** Week of the previous report uploaded, or "". */
  lastWeek: string;
  /** Uniform random number drawn for this report; its only identity. */
  x: number;
  programs: ProgramReport[];
  /** Version of the upload config the report was made under. */
  config: string;
}
