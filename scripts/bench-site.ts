/**
 * Site build benchmark: `npm run bench:site`.
 *
 * Times whole `npm run build` processes (scripts/build.ts through tsx, the
 * site written into a folder of the benchmark through TELEMETRY_DIST, so
 * dist/ is left alone) and prints wall time, peak RSS (from /usr/bin/time -v),
 * the load average, page counts and page weights:
 *
 *   demo   the embedded demo archive, cold (budget: under a minute)
 *   large  52 weeks of an archive generated with `generateLarge` following
 *          Go's real chart and upload configs (fixtures/go-telemetry/ of the
 *          shared fixtures folder, ../shared or TELEMETRY_SHARED_DIR, read
 *          from there; without them it stops with one line before building
 *          anything), its last day held back:
 *          - a cold build (empty cache): budget <= 60 s, <= 1 GB peak RSS;
 *          - the same build again, nothing changed (<= 15% of the cold build),
 *            and once more without the site folder, as CI starts;
 *          - the held-back day added (<= 25% of the cold build);
 *          - a cold build of those inputs in a fresh cache, to which the
 *            one-new-day output must be byte-identical (as the nothing-changed
 *            outputs must be to the first cold build).
 *
 * Options: --only demo|large, --size BYTES (default 400e6), --weeks N (52),
 * --dir DIR (default .cache/bench-site; the generated archive is kept there
 * and reused while size and weeks match).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLarge } from '../src/demo/index.ts';
import { GO_CHART_CONFIG, GO_UPLOAD_CONFIG, missingShared, sharedDisplayPath, sharedPath } from '../tests/helpers/shared.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, size: { type: 'string' }, weeks: { type: 'string' }, dir: { type: 'string' } } });
const dir = resolve(values.dir ?? '.cache/bench-site');
const size = Number(values.size ?? 400e6);
const weeks = Number(values.weeks ?? 52);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const CHART_PAGE_BUDGET = 100 * 1024;

interface Step {
  seconds: number;
  peakMB: number | null;
  /** The 1-minute load average when the step ended (other processes share the cores). */
  load: string;
  /** What the build's log says it spent on the data and on the images (s), when it says so. */
  dataSeconds: number | null;
  imageSeconds: number | null;
}

/** `data 12.3 s, images 4.5 s, astro and the rest 6.7 s` from a build's own log lines, or '' without them. */
function split(s: Step): string {
  if (s.dataSeconds === null) return '';
  const images = s.imageSeconds ?? 0;
  // The images are drawn while Astro builds the pages, so they are part of the rest, not added to it.
  return ` [data ${s.dataSeconds.toFixed(1)} s; the rest ${(s.seconds - s.dataSeconds).toFixed(1)} s: images ${images.toFixed(1)} s beside Astro, then the file writer, the saved copy]`;
}

/** Runs a command, returns its wall time and the peak RSS of its largest process. */
function measure(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Step> {
  process.stderr.write(`\n== ${label}: ${cmd} ${args.join(' ')}\n`);
  const t = performance.now();
  const argv = TIME ? ['-v', cmd, ...args] : args;
  const child = spawn(TIME ?? cmd, argv, { env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    const s = d.toString();
    err += s;
    // Pass the tool's own messages through, not the per-file lines of astro.
    for (const line of s.split('\n'))
      if (
        line &&
        !/^\s*(├─|└─)|^\s+\S+ \(kbytes\)|^\s+(Command|User|System|Percent|Elapsed|Average|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(
          line,
        )
      )
        process.stderr.write(line + '\n');
  });
  return new Promise((done, fail) => {
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`${label} failed (exit ${code})`));
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const data = /^data: .*; total ([\d.]+) s$/m.exec(err);
      const images = /^site: \d+ week PNGs: .* in ([\d.]+) s;/m.exec(err);
      done({
        seconds: (performance.now() - t) / 1000,
        peakMB: kb ? Number(kb[1]) / 1024 : null,
        load: load(),
        dataSeconds: data ? Number(data[1]) : null,
        imageSeconds: images ? Number(images[1]) : null,
      });
    });
  });
}

function walk(root: string, out: string[] = []): string[] {
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

interface PageReport {
  files: number;
  totalMB: number;
  pages: Record<string, number>;
  endpoints: Record<string, number>;
  chartPages: { count: number; largest: [string, number]; median: number; overBudget: number };
  weekPermalinks: { largest: [string, number]; median: number };
  largestPage: [string, number];
}

function pageReport(dist: string): PageReport {
  const files = walk(dist).map((f) => ({ rel: relative(dist, f), size: statSync(f).size }));
  const html = files.filter((f) => f.rel.endsWith('index.html'));
  const kind = (rel: string) => {
    const parts = rel.split('/');
    if (parts[0] === 'charts' && parts.length === 4) return 'chart';
    if (parts[0] === 'charts' && parts.length === 5) return 'chart week permalink';
    if (parts[0] === 'weeks' && parts.length === 3) return 'week';
    if (parts[0] === 'programs') return 'program';
    return 'other';
  };
  const pages: Record<string, number> = {};
  for (const f of html) pages[kind(f.rel)] = (pages[kind(f.rel)] ?? 0) + 1;
  const endpoints: Record<string, number> = {};
  for (const f of files)
    if (f.rel.startsWith('charts/') && !f.rel.endsWith('.html')) endpoints[f.rel.split('.').pop()!] = (endpoints[f.rel.split('.').pop()!] ?? 0) + 1;
  const sorted = (k: string) => html.filter((f) => kind(f.rel) === k).sort((a, b) => b.size - a.size);
  const chart = sorted('chart');
  const perma = sorted('chart week permalink');
  const median = (xs: { size: number }[]) => xs[Math.floor(xs.length / 2)]?.size ?? 0;
  const all = [...html].sort((a, b) => b.size - a.size);
  return {
    files: files.length,
    totalMB: files.reduce((a, f) => a + f.size, 0) / 1e6,
    pages,
    endpoints,
    chartPages: {
      count: chart.length,
      largest: [chart[0]?.rel ?? '', chart[0]?.size ?? 0],
      median: median(chart),
      overBudget: chart.filter((f) => f.size > CHART_PAGE_BUDGET).length,
    },
    weekPermalinks: { largest: [perma[0]?.rel ?? '', perma[0]?.size ?? 0], median: median(perma) },
    largestPage: [all[0]?.rel ?? '', all[0]?.size ?? 0],
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number | null) => (n === null ? 'n/a (no /usr/bin/time)' : `${n.toFixed(0)} MB`);

/** One `npm run build` process (scripts/build.ts through tsx, as npm runs it), its site written to `dist`. */
function npmBuild(label: string, args: string[], dist: string): Promise<Step> {
  return measure(label, process.execPath, ['--import', 'tsx', 'scripts/build.ts', ...args], { TELEMETRY_DIST: dist });
}

/** SHA-256 of every file under `root`, by relative path. */
function treeHashes(root: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of walk(root).sort()) m.set(relative(root, f), createHash('sha256').update(readFileSync(f)).digest('hex'));
  return m;
}

/** `same` when both trees hold the same files byte for byte, else how they differ. */
function compareTrees(a: string, b: string): string {
  const x = treeHashes(a);
  const y = treeHashes(b);
  const differ = [...new Set([...x.keys(), ...y.keys()])].filter((f) => x.get(f) !== y.get(f)).sort();
  return differ.length === 0 ? `byte-identical (${x.size} files)` : `DIFFERENT: ${differ.length} files, e.g. ${differ.slice(0, 3).join(', ')}`;
}

const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

function siteLines(name: string, cold: Step, dist: string, limits: { seconds: number; peakMB: number | null }): string[] {
  const r = pageReport(dist);
  const ok = (b: boolean) => (b ? 'ok' : 'OVER BUDGET');
  return [
    `${name} site`,
    `  cold build        ${cold.seconds.toFixed(1)} s, whole npm run build${split(cold)}   [${ok(cold.seconds <= limits.seconds)}: <= ${limits.seconds} s] (${cold.load})`,
    `  peak RSS          ${mb(cold.peakMB)}${limits.peakMB ? `   [${ok(cold.peakMB === null || cold.peakMB <= limits.peakMB)}: <= ${limits.peakMB} MB]` : ''}`,
    `  pages             ${Object.entries(r.pages)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} (${Object.values(r.pages).reduce((a, b) => a + b, 0)} in all)`,
    `  chart files       ${Object.entries(r.endpoints)
      .map(([k, v]) => `${v} .${k}`)
      .join(', ')}`,
    `  chart pages       largest ${kb(r.chartPages.largest[1])} (${r.chartPages.largest[0]}), median ${kb(r.chartPages.median)}; ${r.chartPages.overBudget} over 100 KB   [${ok(r.chartPages.overBudget === 0)}]`,
    `  week permalinks   largest ${kb(r.weekPermalinks.largest[1])} (${r.weekPermalinks.largest[0]}), median ${kb(r.weekPermalinks.median)}`,
    `  largest page      ${kb(r.largestPage[1])} (${r.largestPage[0]})`,
    `  output            ${r.files} files, ${r.totalMB.toFixed(0)} MB`,
  ];
}

const wantLarge = !values.only || values.only === 'large';
const missing = wantLarge ? missingShared([GO_CHART_CONFIG, GO_UPLOAD_CONFIG]) : [];
if (missing.length > 0) {
  process.stderr.write(
    `npm run bench:site needs Go's chart and upload configs for the large site: ${missing.map(sharedDisplayPath).join(' and ')} not found (set TELEMETRY_SHARED_DIR to the shared fixtures folder, or pass --only demo)\n`,
  );
  process.exit(1);
}

const reports: string[] = [];
// The data step's bundle is built (when a source changed) before anything is timed.
if (spawnSync(process.execPath, ['scripts/data.mjs', '--help'], { stdio: 'ignore' }).status !== 0) throw new Error('could not build the data bundle');
mkdirSync(dir, { recursive: true });

if (!values.only || values.only === 'demo') {
  const out = join(dir, 'demo');
  rmSync(out, { recursive: true, force: true });
  const args = ['--offline', '--cache', join(out, 'cache'), '--out', join(out, 'site-data')];
  const cold = await npmBuild('demo: cold build', args, join(out, 'dist'));
  reports.push(siteLines('demo', cold, join(out, 'dist'), { seconds: 60, peakMB: null }).join('\n'));
}

if (wantLarge) {
  const chartConfig = sharedPath(GO_CHART_CONFIG);
  const uploadConfig = sharedPath(GO_UPLOAD_CONFIG);
  const archiveDir = join(dir, 'large-archive');
  const manifestPath = join(archiveDir, 'manifest.json');
  let manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        targetBytes: number;
        weeks: number;
        asOf: string;
        lastDay: string;
        totalBytes: number;
        reports: number;
      })
    : null;
  if (!manifest || manifest.targetBytes !== size || manifest.weeks !== weeks) {
    rmSync(archiveDir, { recursive: true, force: true });
    process.stderr.write(`generating a ${(size / 1e6).toFixed(0)} MB archive of ${weeks} weeks in ${archiveDir} ...\n`);
    manifest = await generateLarge({
      seed: 7,
      outDir: archiveDir,
      targetBytes: size,
      weeks,
      chartConfigText: readFileSync(chartConfig, 'utf8'),
      uploadConfigText: readFileSync(uploadConfig, 'utf8'),
    });
  }
  const m = manifest!;
  const out = join(dir, 'large');
  const archive = join(archiveDir, 'archive');
  // The last day is held back for the one-new-day rebuild; --to and --as-of stay the same throughout.
  const lastFile = join(archive, m.lastDay);
  const heldFile = join(archiveDir, `held-${m.lastDay}`);
  if (existsSync(lastFile)) renameSync(lastFile, heldFile);
  const args = (cache: string, data: string) => [
    '--source',
    archive,
    '--chart-config',
    chartConfig,
    '--upload-config',
    uploadConfig,
    '--as-of',
    m.asOf,
    '--to',
    m.lastDay,
    '--cache',
    cache,
    '--out',
    data,
    '--offline',
  ];
  rmSync(out, { recursive: true, force: true });
  const cache = join(out, 'cache');
  const dist = join(out, 'dist');
  const build = args(cache, join(out, 'site-data'));
  // A cold cache: every day is hashed, parsed and reduced and every image rendered, as on a first build.
  const cold = await npmBuild('large: cold build', build, dist);
  const coldTree = treeHashes(dist);
  const same = (d: string) => {
    const now = treeHashes(d);
    const differ = [...new Set([...now.keys(), ...coldTree.keys()])].filter((f) => now.get(f) !== coldTree.get(f));
    return differ.length === 0
      ? `byte-identical to the cold build (${now.size} files)`
      : `DIFFERENT from the cold build: ${differ.length} files, e.g. ${differ.slice(0, 3).join(', ')}`;
  };
  const none = await npmBuild('large: nothing changed', build, dist);
  const noneSame = same(dist);
  // As in CI: the cache restored, no site folder.
  rmSync(dist, { recursive: true, force: true });
  const noneCi = await npmBuild('large: nothing changed, no dist/ (as in CI)', build, dist);
  const noneCiSame = same(dist);
  renameSync(heldFile, lastFile);
  const day = await npmBuild('large: one new day', build, dist);
  // The reference for the rebuild: a cold build of the same inputs (the new day included).
  const coldDay = await npmBuild('large: cold build with the new day', args(join(out, 'cache-cold'), join(out, 'site-data-cold')), join(out, 'dist-cold'));
  const daySame = compareTrees(dist, join(out, 'dist-cold'));
  const ratio = (s: Step, limit: number) =>
    `${((100 * s.seconds) / cold.seconds).toFixed(1)}% of the cold build   [${s.seconds <= (limit * cold.seconds) / 100 ? 'ok' : 'OVER BUDGET'}: <= ${limit}%]`;
  const lines = siteLines('large', cold, dist, { seconds: 60, peakMB: 1024 });
  lines.push(
    `  nothing changed   ${none.seconds.toFixed(1)} s${split(none)} -> ${ratio(none, 15)} (${none.load}); ${noneSame}`,
    `    without dist/   ${noneCi.seconds.toFixed(1)} s${split(noneCi)} -> ${ratio(noneCi, 15)} (${noneCi.load}); ${noneCiSame}`,
    `  one new day       ${day.seconds.toFixed(1)} s${split(day)} -> ${ratio(day, 25)} (${day.load}); vs a cold build of the same inputs (${coldDay.seconds.toFixed(1)} s, ${coldDay.load}): ${daySame}`,
    `  peak RSS, each   ${[
      ['cold', cold],
      ['nothing changed', none],
      ['without dist/', noneCi],
      ['one new day', day],
      ['cold with the day', coldDay],
    ]
      .map(([name, s]) => `${name} ${mb((s as Step).peakMB)}`)
      .join(', ')}   [${[cold, none, noneCi, day, coldDay].every((s) => s.peakMB === null || s.peakMB <= 1024) ? 'ok' : 'OVER BUDGET'}: <= 1024 MB]`,
    `  archive           ${(m.totalBytes / 1e6).toFixed(0)} MB, ${m.reports.toLocaleString('en-US')} reports, ${weeks} weeks, Go's chart and upload configs`,
  );
  reports.push(lines.join('\n'));
}

process.stdout.write(`\n${reports.join('\n\n')}\n`);
