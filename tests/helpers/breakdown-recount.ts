/**
 * Test helper: an independent recount of the breakdown cells (n and x per
 * program, counter chart, dimension, group and bucket) straight from archive
 * lines, with JSON.parse and the estimand of docs/methodology.md §2, without
 * any of the pipeline's parse, reduce or version code:
 *
 * - a line counts when it is a JSON object whose Week is the file's day, X a
 *   number in [0, 1] and no counter negative; a repeated X counts once, the
 *   last different line read replacing the earlier one;
 * - reports with X above the SampleRate, program reports of programs or
 *   versions outside the upload config, or with an empty Program, are left out;
 * - per dimension, a report's program reports of a program are grouped by
 *   their value (Version to major.minor, GoVersion to go1.N, "unknown" when
 *   absent or unparseable; no Version for `cmd/...` programs); per group and
 *   counter chart, the report is eligible when X <= min(SampleRate, Rate) and
 *   one program report of the group runs a version at or after the chart's
 *   `version:`; x counts the eligible reports whose program reports in the
 *   group have a positive sum of the bucket's counter.
 */

export interface RecountChart {
  chart: string;
  /** Bucket names and the counter name of each (`chart:bucket`, or `chart` for a counter without buckets). */
  buckets: { bucket: string; counter: string }[];
  threshold: number;
  minVersion: string;
}

export interface RecountConfig {
  sampleRate: number;
  programs: Map<string, { versions: Set<string> | null; toolchain: boolean; charts: RecountChart[] }>;
}

interface UploadJson {
  SampleRate?: number;
  Programs: { Name: string; Versions?: string[] | null; Counters?: { Name: string; Rate?: number }[] | null }[];
}

/** The recount's view of the configs: the upload config's JSON and the `version:` lines of the chart config's records. */
export function recountConfig(uploadJson: string, chartConfigText: string): RecountConfig {
  const up = JSON.parse(uploadJson) as UploadJson;
  const sampleRate = up.SampleRate ?? 1;
  const minVersion = new Map<string, string>();
  for (const record of chartConfigText.split(/^---\s*$/m)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*([^\\s#]+)`, 'm').exec(record)?.[1];
    const program = field('program');
    const counter = field('counter');
    const version = field('version');
    if (program && counter && version) minVersion.set(`${program}\t${counter.split(/[:{]/)[0]}`, version);
  }
  const programs: RecountConfig['programs'] = new Map();
  for (const p of up.Programs) {
    const charts = (p.Counters ?? []).map((c): RecountChart => {
      const m = /^([^:{]+):\{(.*)\}$/s.exec(c.Name);
      const chart = m ? m[1]! : c.Name;
      const buckets = m ? m[2]!.split(',').map((b) => ({ bucket: b.trim(), counter: `${chart}:${b.trim()}` })) : [{ bucket: chart, counter: chart }];
      return { chart, buckets, threshold: Math.min(sampleRate, c.Rate ?? 1), minVersion: minVersion.get(`${p.Name}\t${chart}`) ?? '' };
    });
    programs.set(p.Name, { versions: p.Versions?.length ? new Set(p.Versions) : null, toolchain: p.Name.startsWith('cmd/'), charts });
  }
  return { sampleRate, programs };
}

/** What the recount reads of a program report. */
interface PR {
  Program: string;
  Version: string;
  GoVersion: string;
  GOOS: string;
  Counters: Record<string, number> | null;
}

interface R {
  Week: string;
  X: number;
  Programs: PR[] | null;
}

/** The reports of one day file that count, once each. */
export function acceptedReports(text: string, day: string): R[] {
  const byX = new Map<number, { line: string; report: R }>();
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    let r: R;
    try {
      r = JSON.parse(line) as R;
    } catch {
      continue;
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    if (r.Week !== day || typeof r.X !== 'number' || !(r.X >= 0 && r.X <= 1)) continue;
    if ((r.Programs ?? []).some((p) => Object.values(p.Counters ?? {}).some((v) => typeof v !== 'number' || v < 0))) continue;
    const prev = byX.get(r.X);
    if (prev && prev.line === line) continue;
    byX.set(r.X, { line, report: r });
  }
  return [...byX.values()].map((e) => e.report);
}

/** [a, b, c, release (1) or prerelease (0)] for v-semver, [major, minor, patch or -1, rc number or Infinity] for Go versions; null otherwise. */
function versionKey(v: string): number[] | null {
  let m = /^v(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? 0 : 1];
  m = /^go(\d+)\.(\d+)(?:\.(\d+)|rc(\d+))?$/.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), m[3] !== undefined ? Number(m[3]) : -1, m[4] !== undefined ? Number(m[4]) : Infinity];
  return null;
}

export function atLeast(v: string, min: string): boolean {
  if (min === '') return true;
  const a = versionKey(v);
  const b = versionKey(min);
  if (!a || !b || v.startsWith('go') !== min.startsWith('go')) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

export const DIMENSIONS = {
  Version: (p: PR) => (p.Version === 'devel' ? 'devel' : (/^(v\d+\.\d+)\.\d+(-[0-9A-Za-z.-]+)?$/.exec(p.Version)?.[1] ?? 'unknown')),
  GOOS: (p: PR) => p.GOOS || 'unknown',
  GoVersion: (p: PR) => /^go\d+\.\d+/.exec(p.GoVersion)?.[0] ?? 'unknown',
} as const;
export type Dim = keyof typeof DIMENSIONS;

export interface RecountCell {
  n: number;
  /** Bucket -> reports with it, every bucket of the chart. */
  x: Map<string, number>;
}

/** The key of a cell: program, chart, dimension and group, tab-separated. */
export function cellKey(program: string, chart: string, by: string, group: string): string {
  return [program, chart, by, group].join('\t');
}

/** Adds the reports' breakdown counts into `into` (cells keyed by cellKey). */
export function recount(reports: Iterable<R>, cfg: RecountConfig, into = new Map<string, RecountCell>()): Map<string, RecountCell> {
  for (const r of reports) {
    if (r.X > cfg.sampleRate) continue;
    const byProgram = new Map<string, PR[]>();
    for (const p of r.Programs ?? []) {
      const prog = cfg.programs.get(p.Program);
      if (p.Program === '' || !prog || (prog.versions && !prog.versions.has(p.Version))) continue;
      byProgram.set(p.Program, [...(byProgram.get(p.Program) ?? []), p]);
    }
    for (const [program, prs] of byProgram) {
      const prog = cfg.programs.get(program)!;
      for (const by of Object.keys(DIMENSIONS) as Dim[]) {
        if (by === 'Version' && prog.toolchain) continue;
        const groups = new Map<string, PR[]>();
        for (const p of prs) groups.set(DIMENSIONS[by](p), [...(groups.get(DIMENSIONS[by](p)) ?? []), p]);
        for (const [group, members] of groups) {
          for (const c of prog.charts) {
            if (r.X > c.threshold || !members.some((p) => atLeast(p.Version, c.minVersion))) continue;
            const key = cellKey(program, c.chart, by, group);
            let cell = into.get(key);
            if (!cell) into.set(key, (cell = { n: 0, x: new Map(c.buckets.map((b) => [b.bucket, 0])) }));
            cell.n++;
            for (const b of c.buckets) {
              const sum = members.reduce((s, p) => s + (Object.hasOwn(p.Counters ?? {}, b.counter) ? p.Counters![b.counter]! : 0), 0);
              if (sum > 0) cell.x.set(b.bucket, cell.x.get(b.bucket)! + 1);
            }
          }
        }
      }
    }
  }
  return into;
}

/** The Wilson 95% score interval, as in any textbook. */
export function wilsonInterval(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The Sunday that names the week bin of a day. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + ((7 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}
