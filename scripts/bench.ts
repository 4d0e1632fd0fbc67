/**
 * npm run bench: ingest speed and memory of `npm run data` on a generated
 * archive, against DuckDB on the same files.
 *
 * Generates (once, seeded) an archive following Go's real chart and upload
 * configs (fixtures/go-telemetry/ of the shared fixtures folder, ../shared or
 * TELEMETRY_SHARED_DIR; without them it stops with one line saying so), in
 * one of two profiles:
 *   dense  (default) about 2.5 KB a report, 3.4 program reports a report and
 *          15 counters a program report, written twice: exactly as Go's
 *          encoding/json writes it, and as another encoder would (any key
 *          order, spaces after `:` and `,`); 100 MB each over 8 weeks
 *   mixed  1-4 KB lines with 16-frame stacks, as Go writes them; 1 GB over 26 weeks
 * then, for each archive (the first without its last day):
 *   ours     a cold `npm run data` (empty cache), timed as a whole process
 *   DuckDB   read_json + unnest + distinct reports per week, program, chart
 *            and bucket, 2 threads, timed from creating the database to the
 *            last row; @duckdb/node-api is installed on demand into
 *            .cache/bench-duckdb (never a project dependency)
 * and the throughput ratio ours/DuckDB. Then, on the first archive, the
 * held-back day is added and `npm run data` runs again on the same cache.
 *
 * Options: --profile dense|mixed, --size BYTES (per archive), --weeks N,
 * --runs N (ours and DuckDB in turn, medians; default 1), --jobs N,
 * --dir DIR (default .cache/bench-<profile>), --no-duckdb, --reference (also
 * classify every report for skew adjustment by GOOS, GOARCH and, when the
 * config has it, gopls/client, with a made-up reference).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLarge } from '../src/demo/index.ts';
import type { LargeManifest } from '../src/demo/large.ts';
import { parseFast } from '../src/parse/fast.ts';
import { GO_CHART_CONFIG, GO_UPLOAD_CONFIG, missingShared, sharedDisplayPath, sharedPath } from '../tests/helpers/shared.ts';

const DUCKDB_PACKAGE = '@duckdb/node-api@1.5.6-r.1';
const DUCKDB_THREADS = 2;

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    size: { type: 'string' },
    weeks: { type: 'string' },
    runs: { type: 'string' },
    jobs: { type: 'string' },
    dir: { type: 'string' },
    reference: { type: 'boolean' },
    'no-duckdb': { type: 'boolean' },
  },
});
const profile = values.profile ?? 'dense';
if (profile !== 'dense' && profile !== 'mixed') {
  process.stderr.write(`error: --profile is dense or mixed, got ${profile}\n`);
  process.exit(2);
}
const dense = profile === 'dense';
const size = Number(values.size ?? (dense ? 100_000_000 : 1_000_000_000));
const weeks = Number(values.weeks ?? (dense ? 8 : 26));
const runs = Math.max(1, Number(values.runs ?? 1));
const dir = resolve(values.dir ?? `.cache/bench-${profile}`);
const missing = missingShared([GO_CHART_CONFIG, GO_UPLOAD_CONFIG]);
if (missing.length > 0) {
  process.stderr.write(
    `npm run bench needs Go's chart and upload configs: ${missing.map(sharedDisplayPath).join(' and ')} not found (set TELEMETRY_SHARED_DIR to the shared fixtures folder)\n`,
  );
  process.exit(1);
}
const chartPath = sharedPath(GO_CHART_CONFIG);
const uploadPath = sharedPath(GO_UPLOAD_CONFIG);

const manifestPath = join(dir, 'manifest.json');
let manifest: LargeManifest | null = null;
if (existsSync(manifestPath)) manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as LargeManifest;
if (!manifest || manifest.targetBytes !== size || manifest.weeks !== weeks || manifest.profile !== profile) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating a ${(size / 1e6).toFixed(0)} MB ${profile} archive of ${weeks} weeks in ${dir} ...\n`);
  const t = performance.now();
  manifest = await generateLarge({
    seed: 7,
    outDir: dir,
    targetBytes: size,
    weeks,
    chartConfigText: readFileSync(chartPath, 'utf8'),
    uploadConfigText: readFileSync(uploadPath, 'utf8'),
    profile,
    otherEncoding: dense,
  });
  process.stderr.write(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
const m = manifest;

const archives = [
  { label: 'Go-exact', folder: join(dir, 'archive') },
  ...(dense ? [{ label: 'other encoder (any key order, spaces)', folder: join(dir, 'archive-other') }] : []),
];
// Hold back the last day of the first archive for the rebuild.
const heldDir = join(dir, 'held');
mkdirSync(heldDir, { recursive: true });
const lastFile = join(archives[0]!.folder, m.lastDay);
const heldFile = join(heldDir, m.lastDay);
if (existsSync(lastFile)) renameSync(lastFile, heldFile);
const heldBytes = statSync(heldFile).size;

let reference: string | null = null;
if (values.reference) {
  reference = join(dir, 'reference.json');
  const dimensions: Record<string, Record<string, number>> = {
    GOOS: { linux: 0.45, darwin: 0.33, windows: 0.2 },
    GOARCH: { amd64: 0.6, arm64: 0.38 },
  };
  if (readFileSync(uploadPath, 'utf8').includes('gopls/client:')) dimensions['gopls/client'] = { vscode: 0.45, neovim: 0.2, goland: 0.1 };
  writeFileSync(reference, JSON.stringify({ source: 'Benchmark reference', date: '2026-01-01', size: 1000, dimensions }));
}

function dataArgs(source: string, cache: string, out: string): string[] {
  const args = [
    '--source',
    source,
    '--chart-config',
    chartPath,
    '--upload-config',
    uploadPath,
    '--as-of',
    m.asOf,
    '--to',
    m.lastDay,
    '--cache',
    cache,
    '--out',
    out,
    '--offline',
  ];
  if (values.jobs) args.push('--jobs', values.jobs);
  if (reference) args.push('--reference', reference);
  return args;
}

/** Reads every file of a folder once, so the operating system holds it in its page cache. */
function warmPageCache(folder: string, files: string[]) {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const f of files) {
    const fd = openSync(join(folder, f), 'r');
    try {
      while (readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

/** Runs a command as a whole process; wall seconds and, with /usr/bin/time, its peak RSS in MB. */
function timed(label: string, cmd: string, args: string[]): { wall: number; rssMB: number | null; stdout: string } {
  const rssFile = join(dir, 'time.out');
  const [file, argv] = haveTime ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const r = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${label} failed (exit ${r.status})`);
  }
  const rssMB = haveTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : null;
  return { wall, rssMB, stdout: r.stdout };
}

/** `npm run data` with an empty cache. */
function ours(source: string, cache: string, out: string) {
  rmSync(cache, { recursive: true, force: true });
  return timed('npm run data', 'npm', ['run', '--silent', 'data', '--', ...dataArgs(source, cache, out)]);
}

/** Installs DuckDB's Node package into the scratch folder when it is not there; the folder, or why not. */
function duckdbModule(): { dir: string } | { why: string } {
  const scratch = resolve('.cache/bench-duckdb');
  const [, version] = DUCKDB_PACKAGE.split(/@(?=[^@]*$)/);
  const installed = join(scratch, 'node_modules/@duckdb/node-api/package.json');
  try {
    if (JSON.parse(readFileSync(installed, 'utf8')).version === version) return { dir: scratch };
  } catch {
    // not installed yet
  }
  mkdirSync(scratch, { recursive: true });
  if (!existsSync(join(scratch, 'package.json'))) writeFileSync(join(scratch, 'package.json'), '{"private":true}\n');
  process.stderr.write(`installing ${DUCKDB_PACKAGE} into ${scratch} ...\n`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', scratch, DUCKDB_PACKAGE], { cwd: scratch, encoding: 'utf8' });
  if (r.status !== 0) return { why: `npm install ${DUCKDB_PACKAGE} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}` };
  return existsSync(installed) ? { dir: scratch } : { why: `npm install ${DUCKDB_PACKAGE} left no ${installed}` };
}

/** The day files as <day>.json hard links (read_json wants the extension). */
function jsonView(folder: string, into: string): void {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  for (const f of readdirSync(folder)) linkSync(join(folder, f), join(into, `${f}.json`));
}

function theirs(moduleDir: string, view: string) {
  const r = timed('DuckDB', process.execPath, ['--import', 'tsx', 'scripts/bench-duckdb.ts', moduleDir, view, String(DUCKDB_THREADS)]);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; rows: number };
  return { ...r, ...out };
}

/** Of the first lines of a day file, how many the fast parse path takes. */
function fastShare(file: string, sample = 1000): string {
  const lines = readFileSync(file, 'utf8')
    .split('\n', sample)
    .filter((l) => l !== '');
  return `${lines.filter((l) => parseFast(l) !== null).length}/${lines.length}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, d = 1) => n.toFixed(d);
const range = (xs: number[], d = 2) => (xs.length > 1 ? ` (${fmt(Math.min(...xs), d)}..${fmt(Math.max(...xs), d)})` : '');
const print = (line: string) => process.stdout.write(line + '\n');

const duck = values['no-duckdb'] ? { why: '--no-duckdb' } : duckdbModule();
print(
  `${profile} archive: ${m.reports} reports over ${weeks} weeks (${m.firstDay}..${m.lastDay}), ${fmt(m.totalBytes / m.reports / 1000, 2)} KB a report as Go writes it, ` +
    `${fmt(m.programReports / m.reports, 2)} program reports a report, ${fmt(m.counters / m.programReports, 1)} counters a program report; configs: Go's real` +
    `${reference ? '; with a reference population (reports classified for adjustment)' : ''}; the Go-exact archive's last day held back for the rebuild; ${runs} run(s) each, in turn`,
);
print(`machine: ${(await import('node:os')).availableParallelism()} CPUs, shared: figures are whole processes, quote ratios`);
if ('why' in duck) print(`DuckDB comparison skipped: ${duck.why}`);

let firstCache = '';
let firstCold = 0;
// The data step's bundle is built (when a source changed) before anything is timed.
if (spawnSync(process.execPath, ['scripts/data.mjs', '--help'], { stdio: 'ignore' }).status !== 0) throw new Error('could not build the data bundle');
for (const [ai, a] of archives.entries()) {
  const files = readdirSync(a.folder);
  const bytes = files.reduce((s, f) => s + statSync(join(a.folder, f)).size, 0);
  const MB = bytes / 1e6;
  const cache = join(dir, `cache-${ai}`);
  const out = join(dir, `site-data-${ai}`);
  const view = join(dir, `duckdb-view-${ai}`);
  if (!('why' in duck)) jsonView(a.folder, view);
  // Every file read once first, so that no run of either tool, the first above all, pays for reading from disk.
  warmPageCache(a.folder, files);
  const oursWall: number[] = [];
  const oursRss: number[] = [];
  const theirWall: number[] = [];
  const theirProcess: number[] = [];
  const ratios: number[] = [];
  let rows = 0;
  for (let k = 0; k < runs; k++) {
    const o = ours(a.folder, cache, out);
    oursWall.push(o.wall);
    if (o.rssMB !== null) oursRss.push(o.rssMB);
    if (!('why' in duck)) {
      const t = theirs(duck.dir, view);
      theirWall.push(t.seconds);
      theirProcess.push(t.wall);
      rows = t.rows;
      // Throughput ratio ours/DuckDB on the same bytes: their time over ours.
      ratios.push(t.seconds / o.wall);
    }
  }
  const ow = median(oursWall);
  print(`${a.label}: ${fmt(MB)} MB in ${files.length} day files; fast path takes ${fastShare(join(a.folder, files.sort()[0]!))} of the first lines`);
  print(
    `  ours:   ${fmt(ow, 2)} s${range(oursWall)} cold \`npm run data\`, whole process -> ${fmt(MB / ow)} MB/s` +
      (oursRss.length ? `; peak RSS ${fmt(median(oursRss), 0)} MB (main thread and workers)` : ''),
  );
  if (!('why' in duck)) {
    const tw = median(theirWall);
    print(
      `  DuckDB: ${fmt(tw, 2)} s${range(theirWall)} read_json + unnest + distinct counts, ${DUCKDB_THREADS} threads, load included -> ${fmt(MB / tw)} MB/s` +
        ` (${fmt(median(theirProcess), 2)} s as a whole process; ${rows} rows)`,
    );
    print(`  throughput ours/DuckDB: ${fmt(median(ratios), 2)}x${range(ratios)}`);
  }
  if (ai === 0) {
    firstCache = cache;
    firstCold = ow;
  }
}

// Rebuild: the held-back day added to the first archive, the cache of its last cold run.
renameSync(heldFile, lastFile);
const rebuild = timed('npm run data (rebuild)', 'npm', [
  'run',
  '--silent',
  'data',
  '--',
  ...dataArgs(archives[0]!.folder, firstCache, join(dir, 'site-data-0')),
]);
print(
  `rebuild after one new day (${fmt(heldBytes / 1e6)} MB), same cache: ${fmt(rebuild.wall, 2)} s whole process -> ${fmt((100 * rebuild.wall) / firstCold)}% of the cold run` +
    (rebuild.rssMB !== null ? `; peak RSS ${fmt(rebuild.rssMB, 0)} MB` : ''),
);
