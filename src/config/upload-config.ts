/**
 * Reads an upload config in the format of Go's `config/config.json`:
 *
 *     { "GOOS": [...], "GOARCH": [...], "GoVersion": [...], "SampleRate": 1,
 *       "Programs": [ { "Name": "cmd/go", "Versions": ["go1.23.0", ...],
 *                       "Counters": [ { "Name": "go/vcs:{git,hg}", "Rate": 1 } ],
 *                       "Stacks":   [ { "Name": "compile/bug", "Rate": 1, "Depth": 16 } ] } ] }
 *
 * A report is uploaded only when its X <= SampleRate; a counter is kept in it
 * only when X <= the counter's Rate. A missing SampleRate means 1, as in Go.
 */
import { z } from 'zod';
import { expandCounter } from './counter.ts';
import { ConfigError } from './errors.ts';

const rate = z.number().gt(0, 'a rate must be > 0').lte(1, 'a rate must be <= 1');
const counterSchema = z.object({ Name: z.string().min(1), Rate: rate.optional(), Depth: z.number().int().nonnegative().optional() });
const programSchema = z.object({
  Name: z.string().min(1),
  Versions: z.array(z.string()).nullish(),
  Counters: z.array(counterSchema).nullish(),
  Stacks: z.array(counterSchema).nullish(),
});
const schema = z.object({
  GOOS: z.array(z.string()).nullish(),
  GOARCH: z.array(z.string()).nullish(),
  GoVersion: z.array(z.string()).nullish(),
  SampleRate: rate.optional(),
  Programs: z.array(programSchema),
});

interface CounterConfig {
  /** The counter expression as written, e.g. `gopls/client:{vscode,vim}`. */
  name: string;
  chart: string;
  buckets: string[];
  rate: number;
  depth: number | null;
}

export interface ProgramConfig {
  name: string;
  versions: string[];
  counters: CounterConfig[];
  stacks: CounterConfig[];
}

export interface UploadConfig {
  goos: string[];
  goarch: string[];
  goVersion: string[];
  sampleRate: number;
  programs: ProgramConfig[];
}

export function parseUploadConfig(text: string, file: string): UploadConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, lineOfJsonError(text, e), `not valid JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(file, null, `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const cfg = r.data;
  const seenPrograms = new Set<string>();
  const programs = cfg.Programs.map((p, pi): ProgramConfig => {
    if (seenPrograms.has(p.Name)) throw new ConfigError(file, null, `Programs.${pi}: program ${JSON.stringify(p.Name)} listed twice`);
    seenPrograms.add(p.Name);
    const seenCharts = new Set<string>();
    const conv = (list: z.infer<typeof counterSchema>[] | null | undefined, where: string) =>
      (list ?? []).map((c, ci): CounterConfig => {
        const ex = expandCounter(c.Name);
        if (typeof ex === 'string') throw new ConfigError(file, null, `Programs.${pi}.${where}.${ci}: ${ex}`);
        if (seenCharts.has(`${where}\0${ex.chart}`))
          throw new ConfigError(file, null, `Programs.${pi}.${where}.${ci}: chart ${JSON.stringify(ex.chart)} configured twice for ${p.Name}`);
        seenCharts.add(`${where}\0${ex.chart}`);
        return { name: c.Name, chart: ex.chart, buckets: ex.buckets, rate: c.Rate ?? 1, depth: c.Depth ?? null };
      });
    return { name: p.Name, versions: p.Versions ?? [], counters: conv(p.Counters, 'Counters'), stacks: conv(p.Stacks, 'Stacks') };
  });
  return {
    goos: cfg.GOOS ?? [],
    goarch: cfg.GOARCH ?? [],
    goVersion: cfg.GoVersion ?? [],
    sampleRate: cfg.SampleRate ?? 1,
    programs,
  };
}

function lineOfJsonError(text: string, e: unknown): number | null {
  const msg = String((e as Error).message);
  if (/end of JSON input/.test(msg)) return text.split('\n').length;
  const m = /position (\d+)/.exec(msg);
  if (!m) return null;
  return text.slice(0, Number(m[1])).split('\n').length;
}
