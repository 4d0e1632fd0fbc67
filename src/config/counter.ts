/**
 * Counter names and counter expressions.
 *
 * A counter name is `chart:bucket`; a name without a colon is its own chart
 * and bucket. A counter expression names a group of counters of one chart:
 * `chart:{a,b,c}` stands for `chart:a`, `chart:b`, `chart:c`.
 */

export interface ExpandedCounter {
  /** The chart name (the part before the colon). */
  chart: string;
  /** Bucket names in the order the expression lists them. */
  buckets: string[];
}

/** Splits a counter name into chart and bucket, as the Go dashboard does. */
export function splitCounterName(name: string): { chart: string; bucket: string } {
  const i = name.indexOf(':');
  if (i < 0) return { chart: name, bucket: name };
  return { chart: name.slice(0, i), bucket: name.slice(i + 1) };
}

/**
 * Expands a counter expression. Returns an error string when the expression
 * is malformed (unbalanced braces, empty buckets, braces without a chart).
 */
export function expandCounter(expr: string): ExpandedCounter | string {
  const e = expr.trim();
  if (e === '') return 'empty counter expression';
  const open = e.indexOf('{');
  if (open < 0) {
    if (e.includes('}')) return `unexpected '}' in ${JSON.stringify(e)}`;
    return { chart: splitCounterName(e).chart, buckets: [splitCounterName(e).bucket] };
  }
  const close = e.indexOf('}');
  if (close < open) return `unexpected '}' in ${JSON.stringify(e)}`;
  if (close !== e.length - 1) return `text after '}' in ${JSON.stringify(e)}`;
  if (e.indexOf('{', open + 1) >= 0) return `more than one '{' in ${JSON.stringify(e)}`;
  if (open === 0 || e[open - 1] !== ':') return `'{' must follow 'chart:' in ${JSON.stringify(e)}`;
  const chart = e.slice(0, open - 1);
  if (chart.includes(':')) return `chart name ${JSON.stringify(chart)} contains ':'`;
  const buckets = e
    .slice(open + 1, close)
    .split(',')
    .map((b) => b.trim());
  if (buckets.some((b) => b === '')) return `empty bucket in ${JSON.stringify(e)}`;
  const seen = new Set<string>();
  for (const b of buckets) {
    if (seen.has(b)) return `bucket ${JSON.stringify(b)} listed twice in ${JSON.stringify(e)}`;
    seen.add(b);
  }
  return { chart, buckets };
}
