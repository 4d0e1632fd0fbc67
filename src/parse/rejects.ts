/**
 * Why a line of a day file is not used at all, and the tally of such lines.
 * The reason texts are published (quality.json, the data-quality page):
 * change one only on purpose.
 */
export const REJECT = {
  notJson: 'not valid JSON',
  notObject: 'not a JSON object',
  weekMismatch: "Week is not the file's date",
  weekNotDate: 'Week is not a YYYY-MM-DD date',
  lastWeek: 'LastWeek is neither empty nor a date before Week',
  xRange: 'X is not a number in [0, 1]',
  emptyLine: 'empty line',
  tooLong: 'line longer than the limit',
  // JSON numbers are doubles: a count above 2^53 - 1 (Go's counters are
  // uint64) cannot be held exactly, so its line is rejected rather than rounded.
  counterRange: 'counter value out of range (above 2^53-1)',
} as const;

interface Example {
  line: number;
  text: string;
}

/** Rejected lines of one day file. Schema reasons (strict.ts) are not all in REJECT: they name the field. */
export interface RejectedLines {
  /** Lines not used at all, by reason. */
  rejected: Record<string, number>;
  /** The first few rejected lines per reason (truncated), for the data-quality page. */
  examples: Record<string, Example[]>;
}

const MAX_EXAMPLES = 3;
const EXAMPLE_CHARS = 240;

/** Counts one rejected line under `reason`, keeping it as an example while there are fewer than three. */
export function recordReject(into: RejectedLines, reason: string, lineNo: number, text: string): void {
  into.rejected[reason] = (into.rejected[reason] ?? 0) + 1;
  const ex = (into.examples[reason] ??= []);
  if (ex.length < MAX_EXAMPLES) ex.push({ line: lineNo, text: text.length > EXAMPLE_CHARS ? text.slice(0, EXAMPLE_CHARS) + '…' : text });
}
