/**
 * Reads a chart config in the format of Go's `internal/chartconfig/config.txt`.
 *
 * The file is a sequence of records separated by lines that are exactly
 * `---`. A record is a set of `key: value` lines. `#` starts a comment that
 * runs to the end of the line; blank and comment-only lines are ignored, and
 * records with no fields are skipped.
 *
 * Keys: `title`, `counter`, `description`, `type` (`partition`, `stack` or
 * `histogram`), `issue` (repeatable), `program`, `module`, `version`,
 * `depth` (integer), `error` (number). Only `issue` may repeat.
 *
 * A counter expression may span lines inside its braces; newlines and
 * surrounding spaces there are dropped:
 *
 *     counter: go/build/flag/buildmode:{
 *         archive,
 *         c-archive
 *     }
 *     title: cmd/go buildmode values
 *     type: partition
 *     issue: https://go.dev/issue/67244
 *     program: cmd/go
 *     ---
 *     counter: gopls/bug   # a stack counter
 *     title: Number of bug report calls
 *     type: stack
 *     program: golang.org/x/tools/gopls
 *     depth: 16
 *
 * Anything else (an unknown key, a repeated key, a brace outside a counter
 * field, an unterminated expression, a record without counter, title,
 * program or type, a bad number, a second record for the chart of one
 * program) is a ConfigError naming the file and line.
 */
import { type ChartKey, chartKey } from '../lib/keys.ts';
import { expandCounter } from './counter.ts';
import { ConfigError } from './errors.ts';

export type ChartType = 'partition' | 'stack' | 'histogram';

export interface ChartRecord {
  title: string;
  description: string;
  issues: string[];
  type: ChartType;
  program: string;
  module: string;
  /** The counter expression, joined onto one line. */
  counter: string;
  /** Chart name and buckets of the counter expression. */
  chart: string;
  buckets: string[];
  /** First program version the chart applies to, or "" for every version. */
  version: string;
  depth: number | null;
  error: number | null;
  /** 1-based line of the record's first field. */
  line: number;
}

const KEYS = ['title', 'counter', 'description', 'type', 'issue', 'program', 'module', 'version', 'depth', 'error'] as const;
type Key = (typeof KEYS)[number];
const TYPES: readonly string[] = ['partition', 'stack', 'histogram'];

type Draft = { line: number; fields: Map<Key, { value: string; line: number }[]> };

export function parseChartConfig(text: string, file: string): ChartRecord[] {
  const records: ChartRecord[] = [];
  let draft: Draft | null = null;
  let pending: { text: string; line: number } | null = null; // a counter expression still open

  const flush = (atLine: number) => {
    if (pending) throw new ConfigError(file, atLine, `counter expression opened on line ${pending.line} is not closed before the end of the record`);
    if (draft && draft.fields.size > 0) records.push(finish(draft, file));
    draft = null;
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '---') {
      flush(lineNo);
      continue;
    }
    const hash = raw.indexOf('#');
    let content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();

    if (pending) {
      if (content.includes('{')) throw new ConfigError(file, lineNo, "'{' may appear only once in a counter expression");
      pending.text += content;
      if (!content.includes('}')) continue;
      content = pending.text;
      const startLine = pending.line;
      pending = null;
      addField(draft!, 'counter', content.slice('counter:'.length).trim(), startLine, file);
      continue;
    }
    if (content === '') continue;

    const colon = content.indexOf(':');
    const key = (colon > 0 ? content.slice(0, colon) : '') as Key;
    if (!KEYS.includes(key)) {
      throw new ConfigError(
        file,
        lineNo,
        `expected '---' or a line starting with one of ${KEYS.map((k) => `'${k}:'`).join(', ')}, got ${JSON.stringify(raw.trim())}`,
      );
    }
    if (key !== 'counter' && (content.includes('{') || content.includes('}'))) {
      throw new ConfigError(file, lineNo, `braces are allowed only in a counter field`);
    }
    draft ??= { line: lineNo, fields: new Map() };
    if (key === 'counter' && content.includes('{') && !content.includes('}')) {
      pending = { text: content, line: lineNo };
      continue;
    }
    addField(draft, key, content.slice(colon + 1).trim(), lineNo, file);
  }
  flush(lines.length);
  const first = new Map<ChartKey, ChartRecord>();
  for (const r of records) {
    const key = chartKey(r.program, r.chart);
    const prev = first.get(key);
    if (prev)
      throw new ConfigError(
        file,
        r.line,
        `chart ${JSON.stringify(r.chart)} of program ${JSON.stringify(r.program)} is already configured by the record on line ${prev.line}`,
      );
    first.set(key, r);
  }
  return records;
}

function addField(draft: Draft, key: Key, value: string, line: number, file: string) {
  const prev = draft.fields.get(key);
  if (prev && key !== 'issue') throw new ConfigError(file, line, `field '${key}' may not be repeated (first set on line ${prev[0]!.line})`);
  if (value === '') throw new ConfigError(file, line, `field '${key}' is empty`);
  draft.fields.set(key, [...(prev ?? []), { value, line }]);
}

function finish(draft: Draft, file: string): ChartRecord {
  const one = (k: Key) => draft.fields.get(k)?.[0];
  for (const k of ['counter', 'title', 'type', 'program'] as const) {
    if (!one(k)) throw new ConfigError(file, draft.line, `record starting here has no '${k}' field`);
  }
  const type = one('type')!;
  if (!TYPES.includes(type.value)) throw new ConfigError(file, type.line, `unknown chart type ${JSON.stringify(type.value)} (expected ${TYPES.join(', ')})`);
  const counter = one('counter')!;
  const expanded = expandCounter(counter.value);
  if (typeof expanded === 'string') throw new ConfigError(file, counter.line, expanded);
  const numberField = (k: 'depth' | 'error', integer: boolean): number | null => {
    const f = one(k);
    if (!f) return null;
    const v = Number(f.value);
    if (!/^[-+0-9.eE]+$/.test(f.value) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new ConfigError(file, f.line, `field '${k}' must be ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(f.value)}`);
    }
    return v;
  };
  return {
    title: one('title')!.value,
    description: one('description')?.value ?? '',
    issues: (draft.fields.get('issue') ?? []).map((f) => f.value),
    type: type.value as ChartType,
    program: one('program')!.value,
    module: one('module')?.value ?? '',
    counter: counter.value,
    chart: expanded.chart,
    buckets: expanded.buckets,
    version: one('version')?.value ?? '',
    depth: numberField('depth', true),
    error: numberField('error', false),
    line: draft.line,
  };
}
