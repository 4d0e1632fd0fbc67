/**
 * npm run bench: ingest speed and memory on a large generated archive.
 *
 * Generates (once, seeded) an archive of at least --size bytes (default 1 GB)
 * following Go's real chart and upload configs (fixtures/go-telemetry/ of the
 * shared fixtures folder, ../shared or TELEMETRY_SHARED_DIR; without them it
 * stops with one line saying so), holds back its last day, then measures:
 *   cold     a run with an empty cache: every day fetched from the folder,
 *            hashed, parsed and reduced
 *   rebuild  the held-back day added, same cache: only that day is reduced
 * and prints MB/s, reports/s and peak RSS for each. Each run is a fresh
 * process (tsx start-up included in the wall time).
 *
 * Options: --size BYTES, --weeks N, --jobs N, --dir DIR (default .cache/bench),
 * --reference (also classify every report for skew adjustment by GOOS, GOARCH
 * and, when the config has it, gopls/client, with a made-up reference).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLarge } from '../src/demo/index.ts';
import { GO_CHART_CONFIG, GO_UPLOAD_CONFIG, missingShared, sharedDisplayPath, sharedPath } from '../tests/helpers/shared.ts';

const { values } = parseArgs({
  options: { size: { type: 'string' }, weeks: { type: 'string' }, jobs: { type: 'string' }, dir: { type: 'string' }, reference: { type: 'boolean' } },
});
const size = Number(values.size ?? 1_000_000_000);
const weeks = Number(values.weeks ?? 26);
const dir = resolve(values.dir ?? '.cache/bench');
const missing = missingShared([GO_CHART_CONFIG, GO_UPLOAD_CONFIG]);
if (missing.length > 0) {
  process.stderr.write(
    `npm run bench needs Go's chart and upload configs: ${missing.map(sharedDisplayPath).join(' and ')} not found (set TELEMETRY_SHARED_DIR to the shared fixtures folder)\n`,
  );
  process.exit(1);
}
const chartPath = sharedPath(GO_CHART_CONFIG);
const uploadPath = sharedPath(GO_UPLOAD_CONFIG);

const archive = join(dir, 'archive');
const manifestPath = join(dir, 'manifest.json');
const heldDir = join(dir, 'held');
let manifest: {
  totalBytes: number;
  firstDay: string;
  lastDay: string;
  asOf: string;
  reports: number;
  lines: number;
  targetBytes: number;
  weeks: number;
} | null = null;
if (existsSync(manifestPath)) manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
if (!manifest || manifest.targetBytes !== size || manifest.weeks !== weeks) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating a ${(size / 1e9).toFixed(2)} GB archive of ${weeks} weeks in ${dir} ...\n`);
  const t = performance.now();
  manifest = (await generateLarge({
    seed: 7,
    outDir: dir,
    targetBytes: size,
    weeks,
    chartConfigText: readFileSync(chartPath, 'utf8'),
    uploadConfigText: readFileSync(uploadPath, 'utf8'),
  })) as unknown as typeof manifest;
  process.stderr.write(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
const m = manifest!;
// Hold back the last day for the rebuild.
mkdirSync(heldDir, { recursive: true });
const lastFile = join(archive, m.lastDay);
const heldFile = join(heldDir, m.lastDay);
if (existsSync(lastFile)) renameSync(lastFile, heldFile);
const heldBytes = statSync(heldFile).size;

const cache = join(dir, 'cache');
rmSync(cache, { recursive: true, force: true });
const args = [
  '--source',
  archive,
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
  join(dir, 'site-data'),
  '--offline',
];
if (values.jobs) args.push('--jobs', values.jobs);
if (values.reference) {
  const ref = join(dir, 'reference.json');
  const dimensions: Record<string, Record<string, number>> = {
    GOOS: { linux: 0.45, darwin: 0.33, windows: 0.2 },
    GOARCH: { amd64: 0.6, arm64: 0.38 },
  };
  if (readFileSync(uploadPath, 'utf8').includes('gopls/client:')) dimensions['gopls/client'] = { vscode: 0.45, neovim: 0.2, goland: 0.1 };
  writeFileSync(ref, JSON.stringify({ source: 'Benchmark reference', date: '2026-01-01', size: 1000, dimensions }));
  args.push('--reference', ref);
}

function run(label: string) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-run.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${label} run failed`);
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    wall: number;
    maxRssMB: number;
    result: { reducedBytes: number; reduced: number; reports: number; seconds: Record<string, number>; linesFast: number; linesStrict: number };
  };
  return { ...out, processWall: (performance.now() - started) / 1000 };
}

const cold = run('cold');
renameSync(heldFile, lastFile);
const rebuild = run('rebuild');

const fmt = (n: number, d = 1) => n.toFixed(d);
const archiveMB = m.totalBytes / 1e6;
const coldBytes = cold.result.reducedBytes / 1e6;
process.stdout.write(
  [
    `archive: ${fmt(archiveMB)} MB, ${m.reports} reports, ${weeks} weeks (${m.firstDay}..${m.lastDay}); configs: Go's real${values.reference ? '; with a reference population (reports classified for adjustment)' : ''}`,
    `cold:    ${fmt(cold.wall, 2)} s in the pipeline (${fmt(cold.processWall, 2)} s for the whole process with start-up) for ${fmt(coldBytes)} MB in ${cold.result.reduced} day files -> ${fmt(coldBytes / cold.wall)} MB/s, ${fmt(cold.result.reports / cold.wall, 0)} reports/s; peak RSS ${fmt(cold.maxRssMB, 0)} MB` +
      ` (stages: fetch+hash ${fmt(cold.result.seconds.fetch!, 2)} s, reduce ${fmt(cold.result.seconds.reduce!, 2)} s, estimate ${fmt(cold.result.seconds.estimate!, 2)} s, write ${fmt(cold.result.seconds.write!, 2)} s; lines fast/strict ${cold.result.linesFast}/${cold.result.linesStrict})`,
    `rebuild: ${fmt(rebuild.wall, 2)} s in the pipeline (${fmt(rebuild.processWall, 2)} s whole process) after one new day (${fmt(heldBytes / 1e6)} MB, ${rebuild.result.reduced} day file reduced) -> ${fmt((100 * rebuild.wall) / cold.wall)}% of the cold time (whole processes: ${fmt((100 * rebuild.processWall) / cold.processWall)}%); peak RSS ${fmt(rebuild.maxRssMB, 0)} MB`,
    `         (stages: fetch+hash ${fmt(rebuild.result.seconds.fetch!, 2)} s, reduce ${fmt(rebuild.result.seconds.reduce!, 2)} s, estimate ${fmt(rebuild.result.seconds.estimate!, 2)} s, write ${fmt(rebuild.result.seconds.write!, 2)} s)`,
  ].join('\n') + '\n',
);
