/**
 * The reference population a site owner supplies with `--reference FILE`, to
 * compare the opted-in sample against. The format is a contract:
 *
 *     { "source": "Go Developer Survey 2024", "date": "2024-07-01", "size": 4156,
 *       "dimensions": { "GOOS": { "linux": 0.45, "darwin": 0.33, "windows": 0.2 },
 *                       "gopls/client": { "vscode": 0.45, "neovim": 0.2 } } }
 *
 * A dimension is a report metadata field (GOOS, GOARCH, GoVersion, Version)
 * or a chart name whose buckets are the categories. Shares lie in [0, 1] and
 * add up to at most 1; whatever they leave is the category "other".
 */
import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';
import { isDay } from '../lib/dates.ts';
import { dict, dictOf, nameMap } from '../lib/dict.ts';
import { METADATA_CHARTS } from '../reduce/spec.ts';

export const OTHER = 'other';
/** How far above 1 a dimension's shares may add up (rounding in published tables). */
const SUM_TOLERANCE = 0.005;

const schema = z.object({
  source: z.string().trim().min(1, 'must name the source'),
  date: z.string().refine((d) => isDay(d), 'must be a date written YYYY-MM-DD'),
  size: z.number().int('must be a whole number').positive('must be positive'),
  // Dimensions and categories are names: read as Maps, so none is lost (see nameMap).
  dimensions: nameMap(
    z.string().min(1, 'a name must not be empty'),
    nameMap(z.string().min(1, 'a name must not be empty'), z.number().min(0, 'a share must be >= 0').max(1, 'a share must be <= 1')),
  ),
});

export interface Reference {
  source: string;
  date: string;
  size: number;
  /** Dimension -> category -> share, the remainder added to "other"; every dimension sums to 1. Objects without a prototype (lib/dict.ts). */
  dimensions: Record<string, Record<string, number>>;
  /** Dimension -> the shares as given (before the remainder is added). */
  given: Record<string, Record<string, number>>;
}

/**
 * Parses and checks a reference file. `charts` is every chart name the
 * configs collect; a dimension must be one of them or a metadata field.
 */
export function parseReference(text: string, file: string, charts: ReadonlySet<string>): Reference {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, null, `not valid JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(file, null, `${issue.path.join('.') || '(top level)'}: ${issue.message.replace(/^Invalid input: /, '')}`);
  }
  const dims = [...r.data.dimensions.keys()];
  if (dims.length === 0) throw new ConfigError(file, null, 'dimensions: no dimension given');
  const dimensions = dict<Record<string, number>>();
  for (const dim of dims.sort()) {
    if (!(METADATA_CHARTS as readonly string[]).includes(dim) && !charts.has(dim)) {
      throw new ConfigError(file, null, `dimensions.${dim}: unknown dimension (use ${METADATA_CHARTS.join(', ')} or a chart name of the configs)`);
    }
    const shares = r.data.dimensions.get(dim)!;
    const sum = [...shares.values()].reduce((a, b) => a + b, 0);
    if (sum > 1 + SUM_TOLERANCE) throw new ConfigError(file, null, `dimensions.${dim}: shares add up to ${sum.toFixed(4)}, more than 1`);
    if (shares.size === 0) throw new ConfigError(file, null, `dimensions.${dim}: no category given`);
    const out = dict<number>();
    for (const [k, v] of shares) out[k] = v / Math.max(1, sum);
    const rest = 1 - Math.min(1, sum);
    if (rest > 1e-9) out[OTHER] = (out[OTHER] ?? 0) + rest;
    dimensions[dim] = out;
  }
  const given = dictOf([...r.data.dimensions].map(([dim, shares]) => [dim, dictOf(shares)] as const));
  return { source: r.data.source, date: r.data.date, size: r.data.size, dimensions, given };
}
