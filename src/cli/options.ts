/**
 * The command-line contract of `npm run data` and `npm run build`. Option
 * names are stable: users and CI scripts call them.
 */
import { parseArgs } from 'node:util';
import { isDay, type Day } from '../lib/dates.ts';
import { parseSource, type Source } from '../fetch/source.ts';

type SourceOption = { kind: 'demo' } | Source;

export interface Options {
  source: SourceOption;
  /** The source as the user wrote it (or "demo"), for logs and the site. */
  sourceSpec: string;
  from: Day | null;
  to: Day | null;
  asOf: Day | null;
  chartConfig: string | null;
  uploadConfig: string | null;
  reference: string | null;
  cache: string;
  out: string;
  offline: boolean;
  /** Publish even when some requested days could not be fetched (they are shown as missing). */
  allowMissing: boolean;
  finalityDays: number;
  minCell: number;
  /** Complementary suppression of small cells, for archives that are not public. */
  suppressComplements: boolean;
  jobs: number;
  concurrency: number;
  seed: number;
  base: string;
  /** The site's public URL (origin and path), for absolute link-preview and snippet URLs; null when unknown. */
  siteUrl: string | null;
}

export const USAGE = `Usage: npm run build -- [options]     (or: npm run data -- [options] for the data pipeline alone)

  --source go|URL|DIR     archive to read: "go" (https://telemetry.go.dev/data/), an http(s)
                          base URL, or a folder of day files. Default: the embedded demo archive.
  --from YYYY-MM-DD       first Week date to include (rounded down to its Monday)
  --to YYYY-MM-DD         last Week date to include (rounded up to its Sunday, never past --as-of)
  --as-of YYYY-MM-DD      the build's date: decides which weeks are final. Default: the demo's
                          date, the newest file of a folder source, or today (UTC) for HTTP sources
  --chart-config FILE|URL chart config (Go's config.txt format)
  --upload-config FILE|URL upload config (Go's config.json format)
  --reference FILE|URL    reference population for skew notes and adjusted estimates (JSON)
  --cache DIR             cache for downloads, partial aggregates and the demo (default .cache)
  --out DIR               where the site data is written; each build replaces it whole, and
                          only a folder it made (default .cache/site-data)
  --offline               no network: build from the cache alone and list the days missing
  --allow-missing         publish even if some days could not be fetched: they are shown as
                          missing and their weeks stay provisional (default: stop with exit 1)
  --finality DAYS         days after which an archive day no longer changes (default 10)
  --min-cell K            group buckets seen by fewer than K installations (default 10; 1 = off)
  --suppress-complements  also hide whatever would let a small group be worked out (for archives
                          that are not public); stacks seen by fewer than K are not listed
  --jobs N                worker threads for parsing (default: 2, at most the CPU count)
  --concurrency N         downloads in flight (default 4)
  --seed N                seed of the demo archive (default 1)
  --base PATH             URL path the site is served under, e.g. /telemetry/ (default /)
  --site-url URL          the site's public address, e.g. https://owner.github.io/telemetry/:
                          link previews and release-note snippets then use absolute URLs
                          (default: the TELEMETRY_SITE_URL environment variable, else relative)
  --help                  this text`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function day(name: string, v: string | undefined): Day | null {
  if (v === undefined) return null;
  if (!isDay(v)) throw new UsageError(`--${name} must be a date written YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return v;
}

function int(name: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

/** Parses argv (without node and script). Throws UsageError with one clear message. Returns null for --help. */
export function parseOptions(argv: string[], cpus: number): Options | null {
  // biome-ignore lint/suspicious/noImplicitAnyLet: the type is the one parseArgs infers from the options, taken at the assignment below
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        source: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'as-of': { type: 'string' },
        'chart-config': { type: 'string' },
        'upload-config': { type: 'string' },
        reference: { type: 'string' },
        cache: { type: 'string' },
        out: { type: 'string' },
        offline: { type: 'boolean' },
        'allow-missing': { type: 'boolean' },
        finality: { type: 'string' },
        'min-cell': { type: 'string' },
        'suppress-complements': { type: 'boolean' },
        jobs: { type: 'string' },
        concurrency: { type: 'string' },
        seed: { type: 'string' },
        base: { type: 'string' },
        'site-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(
      (e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option '([^']+)'.*$/s, "unknown option '$1'"),
    );
  }
  if (values.help) return null;
  let source: SourceOption = { kind: 'demo' };
  const sourceSpec = values.source ?? 'demo';
  if (values.source !== undefined && values.source !== 'demo') {
    const s = parseSource(values.source);
    if (typeof s === 'string') throw new UsageError(`--source: ${s}`);
    source = s;
  }
  const from = day('from', values.from);
  const to = day('to', values.to);
  const asOf = day('as-of', values['as-of']);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if (to && asOf && to > asOf) throw new UsageError(`--to ${to} is after --as-of ${asOf}: those days cannot have reports yet`);
  for (const k of ['chart-config', 'upload-config', 'reference', 'cache', 'out'] as const) {
    if (values[k] !== undefined && values[k]!.trim() === '') throw new UsageError(`--${k} needs a value`);
  }
  const base = values.base ?? '/';
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(base))
    throw new UsageError(`--base must be a URL path that starts and ends with "/", like /telemetry/, got ${JSON.stringify(base)}`);
  const siteUrl = values['site-url'] ?? null;
  if (siteUrl !== null && !isHttpUrl(siteUrl))
    throw new UsageError(`--site-url must be an http(s) URL such as https://owner.github.io/telemetry/, got ${JSON.stringify(siteUrl)}`);
  return {
    source,
    sourceSpec,
    from,
    to,
    asOf,
    chartConfig: values['chart-config'] ?? null,
    uploadConfig: values['upload-config'] ?? null,
    reference: values.reference ?? null,
    cache: values.cache ?? '.cache',
    out: values.out ?? '.cache/site-data',
    offline: values.offline ?? false,
    allowMissing: values['allow-missing'] ?? false,
    finalityDays: int('finality', values.finality, 10, 0, 366),
    minCell: int('min-cell', values['min-cell'], 10, 1, 1_000_000),
    suppressComplements: values['suppress-complements'] ?? false,
    jobs: int('jobs', values.jobs, Math.max(1, Math.min(2, cpus)), 1, 64),
    concurrency: int('concurrency', values.concurrency, 4, 1, 64),
    seed: int('seed', values.seed, 1, 0, 2 ** 32 - 1),
    base,
    siteUrl,
  };
}

function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\/[^/]/i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}
