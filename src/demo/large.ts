/**
 * generateLarge: a big archive for benchmarks that follows any chart and
 * upload config (Go's real ones included). Behaviour is simpler than the
 * demo's (no population model, no truth), but the lines are realistic: the
 * configured programs, versions, GOOS/GOARCH and GoVersion values, counters
 * gated by the chart config's `version:` and dropped by X > Rate, stack
 * counters with 16-frame stacks, sorted keys, Go's escaping, about 1-4 KB a
 * line, ~2% duplicate uploads. Lines are built from pre-escaped fragments and
 * written in large chunks.
 *
 * Profiles: `mixed` (the default, above) and `dense`: about 3.4 program
 * reports per report and 15 counters per program report, few stacks, about
 * 2.5 KB a line. With `otherEncoding` the same reports are also written to
 * `archive-other/` as another JSON encoder would write them: fields and map
 * keys in a shuffled order, a space after every `:` and `,`, no HTML-safe
 * escapes.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseChartConfig } from '../config/chart-config.ts';
import { parseUploadConfig, type ProgramConfig } from '../config/upload-config.ts';
import { createRng, searchCumulative, type Rng } from '../lib/random.ts';
import { addDays, dayRange, type Day, weekOf } from '../lib/dates.ts';
import { chartKey } from '../lib/keys.ts';
import { goFloat, type GoReport, goString } from './gojson.ts';
import type { ArchiveManifest } from './archive.ts';
import { CONFIG_VERSION, DEFAULT_END } from './model.ts';
import { makeStackCatalog } from './stacks.ts';
import { atLeast, compareVersions } from './versions.ts';

export interface LargeOptions {
  seed: number;
  outDir: string;
  /** Write at least this many bytes of archive files. */
  targetBytes: number;
  /** Number of week bins the archive spans. */
  weeks: number;
  /** Chart config text (Go's config.txt format). */
  chartConfigText: string;
  /** Upload config text (Go's config.json format). */
  uploadConfigText: string;
  /** Last day, a Sunday (default 2026-11-15). */
  end?: Day;
  /** Fraction of reports uploaded twice (default 0.02). */
  duplicateRate?: number;
  /** The reports' Config field (default the demo's). */
  configVersion?: string;
  /** `mixed` (default) or `dense` (see above). */
  profile?: LargeProfile;
  /** Also write the same reports, encoded differently, to `archive-other/`. */
  otherEncoding?: boolean;
}

export type LargeProfile = 'mixed' | 'dense';

export interface LargeManifest extends ArchiveManifest {
  kind: 'large';
  targetBytes: number;
  profile: LargeProfile;
  /** Program reports and counters (map entries of Counters) over all distinct reports. */
  programReports: number;
  counters: number;
  /** Bytes of archive-other/ when `otherEncoding` was asked for. */
  otherBytes?: number;
}

interface Bucket {
  /** Position in the program's sorted key order. */
  rank: number;
  /** `"escaped name":` */
  prefix: string;
}
interface Chart {
  /** Charts about one host OS (e.g. go/platform/host/darwin/...) appear only on that GOOS ("" for all). */
  onlyGoos: string;
  rate: number;
  minVersion: string;
  buckets: Bucket[];
  single: boolean;
  stack: boolean;
}
interface Program {
  name: string;
  head: string;
  versions: string[];
  versionWeights: number[];
  /** Per version index: the charts it may carry. */
  chartsByVersion: Chart[][];
  toolchain: boolean;
  /** Programs with the same version list (cmd/go, cmd/compile) share one toolchain version per report. */
  versionGroup: number;
  run: number;
  /** Dense profile: expected counters per program report. */
  denseCounters: number;
  /** Dense profile, per version index: counter buckets (not stacks) the version may carry. */
  bucketCountByVersion: number[];
}

const OS_WEIGHT: Record<string, number> = { linux: 0.5, darwin: 0.3, windows: 0.18 };
const ARCH_WEIGHT: Record<string, number> = { amd64: 0.7, arm64: 0.28 };
const RUN: Record<string, number> = { 'cmd/go': 0.9, 'cmd/compile': 0.85, 'golang.org/x/tools/gopls': 0.6 };
/** Dense profile: how often each program other than cmd/go and cmd/compile reports, and how many counters a program report holds on average. */
const DENSE_RUN: Record<string, number> = {
  'golang.org/x/tools/gopls': 0.8,
  'github.com/golang/vscode-go/vscgo': 0.5,
  'golang.org/x/vuln/cmd/govulncheck': 0.25,
  'github.com/go-delve/delve/cmd/dlv': 0.1,
};
const DENSE_COUNTERS: Record<string, number> = {
  'cmd/go': 31,
  'golang.org/x/tools/gopls': 25,
  'github.com/golang/vscode-go/vscgo': 7,
  'golang.org/x/vuln/cmd/govulncheck': 9,
};

function isRelease(v: string): boolean {
  return !/(-pre|rc\d|beta\d|-rc|devel)/.test(v);
}

function weighted(values: string[], weightOf: (v: string) => number | undefined): { values: string[]; cum: Float64Array } {
  const known = values.filter((v) => weightOf(v) !== undefined);
  const rest = values.filter((v) => weightOf(v) === undefined);
  const restMass = known.length ? 0.02 : 1;
  const ws = values.map((v) => weightOf(v) ?? restMass / Math.max(1, rest.length));
  const cum = new Float64Array(values.length);
  let s = 0;
  ws.forEach((w, i) => (cum[i] = s += w));
  for (let i = 0; i < cum.length; i++) cum[i]! /= s;
  return { values, cum };
}

function drawCum(rng: Rng, cum: ArrayLike<number>): number {
  return searchCumulative(cum, rng.next());
}

/** Newest releases first get most installations (geometric decay), ordered by version. */
function recentVersions(all: string[], keep: number): { versions: string[]; weights: number[] } {
  const releases = all.filter(isRelease);
  const pool = (releases.length ? releases : all).slice().sort(compareVersions);
  const versions = pool.slice(-keep);
  const weights = versions.map((_, i) => 0.7 ** (versions.length - 1 - i));
  return { versions, weights };
}

function stackFamily(program: string): string {
  if (program.endsWith('/gopls')) return 'gopls';
  if (program === 'cmd/compile') return 'compile';
  if (program.endsWith('/dlv')) return 'dlv';
  return 'go';
}

function buildProgram(rng: Rng, p: ProgramConfig, minVersionOf: (program: string, chart: string) => string, goVersions: string[], goosList: string[]): Program {
  const toolchain = p.name.startsWith('cmd/');
  const { versions, weights } = p.versions.length
    ? recentVersions(p.versions, 12)
    : toolchain
      ? recentVersions(goVersions, 12)
      : { versions: ['v0.0.0'], weights: [1] };
  const defs: { name: string; chart: string; rate: number; minVersion: string; stack: boolean; single: boolean; keys: string[] }[] = [];
  for (const c of p.counters) {
    const single = c.buckets.length === 1 && !c.name.includes(':');
    defs.push({
      name: c.name,
      chart: c.chart,
      rate: c.rate,
      minVersion: minVersionOf(p.name, c.chart),
      stack: false,
      single,
      keys: single ? [c.chart] : c.buckets.map((b) => `${c.chart}:${b}`),
    });
  }
  for (const s of p.stacks) {
    const family = stackFamily(p.name);
    const stacks = makeStackCatalog(rng, {
      counter: s.chart,
      family,
      prefix: family === 'compile' ? 'cmd/compile' : family === 'go' && p.name.startsWith('cmd/') ? 'cmd/go' : p.name.replace(/\/cmd\/[^/]+$/, ''),
      count: 200,
      depth: s.depth ?? 16,
      head: [],
      crash: s.chart.startsWith('crash/'),
      platformSpecific: [],
      zipf: 1.1,
    });
    defs.push({
      name: s.name,
      chart: s.chart,
      rate: s.rate,
      minVersion: minVersionOf(p.name, s.chart),
      stack: true,
      single: false,
      keys: stacks.map((x) => x.key),
    });
  }
  // Rank every key of the program in byte order once, so a report's keys sort by rank.
  const all = [...new Set(defs.flatMap((d) => d.keys))].sort();
  const rank = new Map(all.map((k, i) => [k, i]));
  const charts: Chart[] = defs.map((d) => ({
    onlyGoos: goosList.find((os) => d.chart.includes(`/${os}/`)) ?? '',
    rate: d.rate,
    minVersion: d.minVersion,
    single: d.single,
    stack: d.stack,
    buckets: d.keys.map((k) => ({ rank: rank.get(k)!, prefix: goString(k) + ':' })),
  }));
  return {
    name: p.name,
    head: '{"Program":' + goString(p.name) + ',"Version":',
    versions,
    versionWeights: weights,
    chartsByVersion: versions.map((v) => charts.filter((c) => atLeast(v, c.minVersion))),
    toolchain,
    versionGroup: 0,
    run: RUN[p.name] ?? 0.15,
    denseCounters: DENSE_COUNTERS[p.name] ?? 15,
    bucketCountByVersion: versions.map((v) => charts.reduce((n, c) => n + (!c.stack && atLeast(v, c.minVersion) ? c.buckets.length : 0), 0)),
  };
}

/** Writes at least `targetBytes` of archive files following the given configs; returns the manifest. */
export async function generateLarge(opts: LargeOptions): Promise<LargeManifest> {
  const end = opts.end ?? DEFAULT_END;
  if (weekOf(end) !== end) throw new RangeError(`end must be a Sunday, got ${end}`);
  if (!Number.isInteger(opts.weeks) || opts.weeks < 1) throw new RangeError(`weeks must be a positive integer, got ${opts.weeks}`);
  const upload = parseUploadConfig(opts.uploadConfigText, 'config.json');
  const charts = parseChartConfig(opts.chartConfigText, 'config.txt');
  const minVersion = new Map(charts.map((c) => [chartKey(c.program, c.chart), c.version]));
  const minVersionOf = (program: string, chart: string) => minVersion.get(chartKey(program, chart)) ?? '';
  const rng = createRng(`${opts.seed}|large`);
  const goReleases = recentVersions(upload.goVersion.length ? upload.goVersion : ['go1.26.0'], 10);
  const goCum = cumulative(goReleases.weights);
  const programs = upload.programs.map((p) => buildProgram(rng, p, minVersionOf, upload.goVersion, upload.goos));
  const groups = new Map<string, number>();
  for (const p of programs) {
    const key = p.versions.join(',');
    if (!groups.has(key)) groups.set(key, groups.size);
    p.versionGroup = groups.get(key)!;
  }
  const groupVersion = new Int32Array(groups.size);
  const goos = weighted(upload.goos.length ? upload.goos : ['linux'], (v) => OS_WEIGHT[v]);
  const goarch = weighted(upload.goarch.length ? upload.goarch : ['amd64'], (v) => ARCH_WEIGHT[v]);
  const goosStr = goos.values.map((v) => ',"GOOS":' + goString(v) + ',"GOARCH":');
  const archStr = goarch.values.map((v) => goString(v) + ',"Counters":');
  const versionStr = programs.map((p) => p.versions.map((v) => goString(v)));
  const goVersionStr = goReleases.versions.map((v) => ',"GoVersion":' + goString(v));
  const versionCums = programs.map((p) => cumulative(p.versionWeights));
  const S = upload.sampleRate;
  const configTail = '],"Config":' + goString(opts.configVersion ?? CONFIG_VERSION) + '}';
  const dupRate = opts.duplicateRate ?? 0.02;
  const dense = (opts.profile ?? 'mixed') === 'dense';
  if (dense) for (const p of programs) p.run = DENSE_RUN[p.name] ?? 0.1;
  const otherRng = createRng(`${opts.seed}|large|other`);

  const firstDay = addDays(end, -7 * opts.weeks + 1);
  const days = dayRange(firstDay, end);
  const perDay = Math.ceil(opts.targetBytes / days.length);
  rmSync(join(opts.outDir, 'archive'), { recursive: true, force: true });
  mkdirSync(join(opts.outDir, 'archive'), { recursive: true });
  const otherDir = join(opts.outDir, 'archive-other');
  rmSync(otherDir, { recursive: true, force: true });
  if (opts.otherEncoding) mkdirSync(otherDir, { recursive: true });

  let totalBytes = 0;
  let otherBytes = 0;
  let programReports = 0;
  let counterEntries = 0;
  let reports = 0;
  let lines = 0;
  let duplicates = 0;
  const picked: number[] = [];
  const counts: number[] = [];
  for (const day of days) {
    const fd = openSync(join(opts.outDir, 'archive', day), 'w');
    const otherFd = opts.otherEncoding ? openSync(join(otherDir, day), 'w') : -1;
    const weekPrefix = '{"Week":' + goString(day) + ',"LastWeek":';
    const lastWeek = goString(addDays(day, -7));
    let chunk: string[] = [];
    let otherChunk: string[] = [];
    let chunkBytes = 0;
    let dayBytes = 0;
    const later: [string, string][] = [];
    const flush = () => {
      if (chunk.length) writeSync(fd, chunk.join(''));
      if (otherChunk.length) {
        const text = otherChunk.join('');
        writeSync(otherFd, text);
        otherBytes += Buffer.byteLength(text);
      }
      chunk = [];
      otherChunk = [];
      chunkBytes = 0;
    };
    const push = (line: string, other: string) => {
      chunk.push(line);
      if (otherFd >= 0) otherChunk.push(other);
      chunkBytes += line.length;
      dayBytes += line.length;
      lines++;
      if (chunkBytes >= 8 << 20) flush();
    };
    while (dayBytes < perDay) {
      let x = rng.nextDouble();
      while (x > S) x = rng.nextDouble();
      const os = drawCum(rng, goos.cum);
      const arch = drawCum(rng, goarch.cum);
      const g = drawCum(rng, goCum);
      let body = '';
      const goRan = rng.next() < 0.9;
      groupVersion.fill(-1);
      for (let pi = 0; pi < programs.length; pi++) {
        const p = programs[pi]!;
        const ran = p.name === 'cmd/compile' ? goRan && rng.next() < 0.95 : p.name === 'cmd/go' ? goRan : rng.next() < p.run;
        if (!ran) continue;
        programReports++;
        let vi = p.toolchain ? groupVersion[p.versionGroup]! : -1;
        if (vi < 0) vi = groupVersion[p.versionGroup] = drawCum(rng, versionCums[pi]!);
        // The go command and compiler report their own toolchain version as GoVersion.
        const gv = p.toolchain ? ',"GoVersion":' + versionStr[pi]![vi]! : goVersionStr[g]!;
        let pr = p.head + versionStr[pi]![vi]! + gv + goosStr[os]! + archStr[arch]!;
        let stacks = '';
        picked.length = 0;
        counts.length = 0;
        const list = p.chartsByVersion[vi]!;
        let stackPicked = 0;
        // Dense: each counter bucket with the same probability, for the program's average count.
        const q = dense ? Math.min(1, p.denseCounters / Math.max(1, p.bucketCountByVersion[vi]!)) : 0;
        for (let ci = 0; ci < list.length; ci++) {
          const c = list[ci]!;
          if (x > c.rate || (c.onlyGoos !== '' && c.onlyGoos !== goos.values[os])) continue;
          if (dense) {
            if (c.stack) {
              if (rng.next() < 0.05) {
                picked.push(-1 - c.buckets[Math.floor(c.buckets.length * rng.next() ** 2.5)]!.rank);
                counts.push(1 + (rng.nextU32() & 3));
                stackPicked++;
              }
            } else
              for (const b of c.buckets)
                if (rng.next() < q) {
                  picked.push(b.rank);
                  counts.push(1 + (rng.nextU32() % 300));
                }
            continue;
          }
          if (c.stack) {
            if (rng.next() < 0.3) {
              const k = 1 + (rng.next() < 0.3 ? 1 : 0);
              for (let j = 0; j < k; j++) {
                const b = c.buckets[Math.floor(c.buckets.length * rng.next() ** 2.5)]!;
                picked.push(-1 - b.rank); // negative: a stack
                counts.push(1 + (rng.nextU32() & 3));
                stackPicked++;
              }
            }
          } else if (c.single) {
            if (rng.next() < 0.95) {
              picked.push(c.buckets[0]!.rank);
              counts.push(1 + (rng.nextU32() % 500));
            }
          } else if (rng.next() < 0.6) {
            const k = Math.min(c.buckets.length, 1 + (rng.next() < 0.5 ? 0 : rng.int(4)));
            for (let j = 0; j < k; j++) {
              picked.push(c.buckets[Math.floor(c.buckets.length * rng.next() ** 2)]!.rank);
              counts.push(1 + (rng.nextU32() % 200));
            }
          }
        }
        for (const r of picked) if (r >= 0) counterEntries++;
        pr += renderMap(picked, counts, list, false) + ',"Stacks":';
        stacks = stackPicked ? renderMap(picked, counts, list, true) : rng.next() < 0.1 ? 'null' : '{}';
        body += (body ? ',' : '') + pr + stacks + '}';
      }
      const line = weekPrefix + (rng.next() < 0.05 ? '""' : lastWeek) + ',"X":' + goFloat(x) + ',"Programs":[' + body + configTail + '\n';
      const other = otherFd >= 0 ? otherEncoder(line, otherRng) : '';
      push(line, other);
      reports++;
      const u = rng.next();
      if (u < dupRate / 2) {
        push(line, other);
        duplicates++;
      } else if (u < dupRate) later.push([line, other]);
    }
    for (const [line, other] of later) push(line, other);
    duplicates += later.length;
    flush();
    closeSync(fd);
    if (otherFd >= 0) closeSync(otherFd);
    totalBytes += dayBytes;
  }
  const manifest: LargeManifest = {
    generator: 'telemetry-demo-large/1',
    kind: 'large',
    seed: opts.seed,
    weeks: opts.weeks,
    firstDay,
    lastDay: end,
    asOf: addDays(end, 1),
    configVersion: opts.configVersion ?? CONFIG_VERSION,
    sampleRate: S,
    files: days.length,
    totalBytes,
    targetBytes: opts.targetBytes,
    reports,
    lines,
    duplicates,
    profile: opts.profile ?? 'mixed',
    programReports,
    counters: counterEntries,
    ...(opts.otherEncoding ? { otherBytes } : {}),
  };
  writeFileSync(join(opts.outDir, 'config.txt'), opts.chartConfigText);
  writeFileSync(join(opts.outDir, 'config.json'), opts.uploadConfigText);
  writeFileSync(join(opts.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function cumulative(ws: number[]): Float64Array {
  const cum = new Float64Array(ws.length);
  let s = 0;
  ws.forEach((w, i) => (cum[i] = s += w));
  for (let i = 0; i < cum.length; i++) cum[i]! /= s;
  return cum;
}

const rankToPrefix = new Map<Chart[], Map<number, string>>();

/**
 * Renders the picked counters (rank >= 0) or stacks (rank < 0, stored as
 * -1-rank) as a sorted Go map; repeated picks of one key are summed.
 */
function renderMap(picked: number[], counts: number[], charts: Chart[], stacks: boolean): string {
  let prefixes = rankToPrefix.get(charts);
  if (!prefixes) {
    prefixes = new Map();
    for (const c of charts) for (const b of c.buckets) prefixes.set(c.stack ? -1 - b.rank : b.rank, b.prefix);
    rankToPrefix.set(charts, prefixes);
  }
  const idx: number[] = [];
  for (let i = 0; i < picked.length; i++) if (picked[i]! < 0 === stacks) idx.push(i);
  if (idx.length === 0) return '{}';
  idx.sort((a, b) => (stacks ? picked[b]! - picked[a]! : picked[a]! - picked[b]!));
  let out = '{';
  for (let j = 0; j < idx.length; ) {
    const r = picked[idx[j]!]!;
    let sum = 0;
    for (; j < idx.length && picked[idx[j]!] === r; j++) sum += counts[idx[j]!]!;
    out += (out.length > 1 ? ',' : '') + prefixes.get(r)! + sum;
  }
  out += '}';
  return out;
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** `{"k": v, ...}` with the entries in a shuffled order. */
function otherObject(entries: [string, string][], rng: Rng): string {
  return (
    '{' +
    shuffle(entries, rng)
      .map(([k, v]) => JSON.stringify(k) + ': ' + v)
      .join(', ') +
    '}'
  );
}

function otherCountMap(m: Record<string, number> | null, rng: Rng): string {
  return m === null
    ? 'null'
    : otherObject(
        Object.entries(m).map(([k, v]) => [k, String(v)]),
        rng,
      );
}

/** One line (with its newline) re-encoded as another JSON encoder might write it: the same values, any order, spaces. */
function otherEncoder(line: string, rng: Rng): string {
  const r = JSON.parse(line) as GoReport;
  const programs = r.Programs.map((p) =>
    otherObject(
      [
        ['Program', JSON.stringify(p.Program)],
        ['Version', JSON.stringify(p.Version)],
        ['GoVersion', JSON.stringify(p.GoVersion)],
        ['GOOS', JSON.stringify(p.GOOS)],
        ['GOARCH', JSON.stringify(p.GOARCH)],
        ['Counters', otherCountMap(p.Counters, rng)],
        ['Stacks', otherCountMap(p.Stacks, rng)],
      ],
      rng,
    ),
  );
  return (
    otherObject(
      [
        ['Week', JSON.stringify(r.Week)],
        ['LastWeek', JSON.stringify(r.LastWeek)],
        ['X', String(r.X)],
        ['Programs', '[' + programs.join(', ') + ']'],
        ['Config', JSON.stringify(r.Config)],
      ],
      rng,
    ) + '\n'
  );
}
