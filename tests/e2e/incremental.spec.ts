/**
 * A rebuild draws only the chart-week and week pages whose inputs changed and copies
 * the rest from the kept copy of the last site (src/site/page-keys.ts), and
 * its output is byte-identical to a build that draws every page. Whole
 * `npm run build` processes on the demo archive, in a temporary folder with
 * caches of their own (dist/ and .cache/ are not touched):
 *   1. the archive without its last week, then its days added (a new week,
 *      as on the Monday of a daily rebuild, and new figures for the week before);
 *   2. the same archive a week later (--as-of seven days on: a week turns
 *      final, which moves every chart's reference week and its colours);
 * each against a build of the same inputs with no kept site.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureDemo } from '../../src/demo/index.ts';
import { addDays, type Day } from '../../src/lib/dates.ts';
import { inBuildTurn } from './second-build.ts';

test.describe.configure({ mode: 'serial' });

let tmp = '';
let archive = '';
let configs: string[] = [];

/** Every file under `root` with its bytes, by relative path. */
function tree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

function differences(a: string, b: string): string[] {
  const x = tree(a);
  const y = tree(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((f) => !x.get(f) || !y.get(f) || !x.get(f)!.equals(y.get(f)!)).sort();
}

/** `npm run build` with the demo's configs on `archive`, into `dist`, with the cache `cache`; returns its log. */
async function build(asOf: Day, to: Day, cache: string, dist: string): Promise<string> {
  const r = await inBuildTurn(() =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve('scripts/build.ts'),
        '--source',
        archive,
        ...configs,
        '--as-of',
        asOf,
        '--to',
        to,
        '--offline',
        '--cache',
        cache,
        '--out',
        join(cache, 'site-data'),
      ],
      { env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', TELEMETRY_DIST: dist }, encoding: 'utf8', timeout: 280_000 },
    ),
  );
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

interface Reused {
  reused: number;
  of: number;
}

/** The pages the log says were taken from the last build, and of how many: chart-week permalinks and week pages. */
function reusedPages(log: string): Reused & { weeks: Reused } {
  const m = /site: (\d+) of (\d+) chart-week pages and (\d+) of (\d+) week pages are as in the last build/.exec(log);
  return m ? { reused: Number(m[1]), of: Number(m[2]), weeks: { reused: Number(m[3]), of: Number(m[4]) } } : { reused: 0, of: 0, weeks: { reused: 0, of: 0 } };
}

/** The downloads (csv, json, svg, png) the log says were taken from the last build's copy, not written anew. */
function keptFiles(log: string): number {
  const m = /written beside it \((\d+) of them taken from the last build's copy\)/.exec(log);
  return m ? Number(m[1]) : 0;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tmp = mkdtempSync(join(tmpdir(), 'telemetry-incremental-'));
  const demo = await ensureDemo(resolve('.cache/demo'), 1);
  archive = join(tmp, 'archive');
  cpSync(demo.archiveDir, archive, { recursive: true });
  configs = ['--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig];
});

test.afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('a rebuild after new days and a week later draws only changed pages, and equals a build that draws them all', async () => {
  test.setTimeout(900_000);
  const demo = await ensureDemo(resolve('.cache/demo'), 1);
  const last = demo.lastDay as Day;
  const asOf = demo.asOf as Day;
  const held = join(tmp, 'held');
  mkdirSync(held);
  const days = Array.from({ length: 7 }, (_, i) => addDays(last, -i));
  for (const day of days) renameSync(join(archive, day), join(held, day));
  const cache = join(tmp, 'cache');
  const dist = join(tmp, 'dist');
  const first = await build(asOf, last, cache, dist);
  expect(reusedPages(first).reused).toBe(0);

  // 1. The last week arrives.
  for (const day of days) renameSync(join(held, day), join(archive, day));
  const daily = await build(asOf, last, cache, dist);
  const d = reusedPages(daily);
  // Most permalinks are of weeks the new days do not touch.
  expect(d.of).toBeGreaterThan(500);
  expect(d.reused).toBeGreaterThan(d.of * 0.6);
  expect(d.reused).toBeLessThan(d.of);
  // Each reused permalink's .csv, .json, .svg and .png (and breakdowns.csv, where it has one) are taken with it.
  expect(keptFiles(first)).toBe(0);
  expect(keptFiles(daily)).toBeGreaterThanOrEqual(d.reused * 4);
  expect(keptFiles(daily)).toBeLessThanOrEqual(d.reused * 5);
  const fullCache = join(tmp, 'cache-full');
  const full = join(tmp, 'dist-full');
  expect(reusedPages(await build(asOf, last, fullCache, full)).reused).toBe(0);
  expect(differences(dist, full)).toEqual([]);

  // 2. A week later: the newest weeks turn final.
  const later = addDays(asOf, 7);
  const weekly = await build(later, last, cache, dist);
  const w = reusedPages(weekly);
  expect(w.of).toBe(d.of);
  // Only the weeks that turned final have other figures: the other week pages are copied.
  expect(w.weeks.of).toBe(d.weeks.of);
  expect(w.weeks.reused).toBeGreaterThan(0);
  expect(w.weeks.reused).toBeLessThan(w.weeks.of);
  test.info().annotations.push({
    type: 'pages reused',
    description:
      `after the last week's days ${d.reused} of ${d.of} chart-week pages and ${d.weeks.reused} of ${d.weeks.of} week pages; ` +
      `a week later ${w.reused} of ${w.of} and ${w.weeks.reused} of ${w.weeks.of}`,
  });
  // Without its kept site (the data and images stay cached), the same build draws every page.
  rmSync(join(fullCache, 'site-output'), { recursive: true, force: true });
  expect(reusedPages(await build(later, last, fullCache, full)).reused).toBe(0);
  expect(differences(dist, full)).toEqual([]);
});
