/**
 * Week-over-week changes and incomplete weeks through the real pipeline, on
 * seeded demo archives (4 weeks, 2026-10-19..2026-11-15; seed 3 plants one
 * day without a file, 2026-10-28):
 *
 * - a metadata value that appears (0 -> p) and one that vanishes (p -> 0)
 *   between two weeks are tested and flagged, in changes.json and in the
 *   chart file (the vanished value as a true 0 with its change);
 * - a provisional week (the half-arrived last weeks of a build as of the day
 *   after the archive) gets no flags, and its changes say "provisional";
 * - day files removed from the middle of a folder archive, or answered with
 *   404 by a real HTTP server on 127.0.0.1, make their week incomplete: never
 *   final, in index.json and quality.json; a day without reports at the edge
 *   of the range, or in a quiet archive, is not suspect.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3-dsv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { generateDemo } from '../../src/demo/index.ts';
import { goReportLine, type GoReport } from '../../src/demo/gojson.ts';
import type { BucketChange } from '../../src/estimate/publish.ts';
import { toDay } from '../../src/lib/dates.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { SUSPECT_MEDIAN, SUSPECT_WINDOW } from '../../src/pipeline/suspect.ts';
import type { ChangesFile, ChartFile, CounterChartWeek, IndexFile, PublicBucket, QualityFile, ShownBucket } from '../../src/sitedata/schema.ts';
import { startServer, type TestServer } from '../fetch/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'changes-weeks-'));
const p = (...parts: string[]) => join(dir, ...parts);
const W = { w1: '2026-10-25', w2: '2026-11-01', w3: '2026-11-08', w4: '2026-11-15' } as const;
const PLANTED_SHARE = 0.25;
const LATE = '2026-12-31';

let server: TestServer;
const logs: string[] = [];
const fx = { log: (l: string) => logs.push(l), progress: 'never' as const, today: () => toDay(LATE) };

async function build(source: string, out: string, ...more: string[]): Promise<void> {
  const configs = ['--chart-config', p('demo', 'config.txt'), '--upload-config', p('demo', 'config.json')];
  await runPipeline(parseOptions(['--source', source, ...configs, '--cache', `${out}-cache`, '--out', out, '--jobs', '1', ...more], 1)!, fx);
}

const readJson = <T>(out: string, file: string) => JSON.parse(readFileSync(join(out, file), 'utf8')) as T;
const counterWeek = (file: ChartFile, week: string) => file.weeks.find((w) => w.week === week) as CounterChartWeek;
const bucketOf = (w: CounterChartWeek, name: string) => w.buckets.find((b) => b.bucket === name) as ShownBucket | undefined;

/** Every report of `days` with X below the planted share gets `goos` on every program (lines that do not round-trip are left as they are). */
function plantGoos(archive: string, days: string[], goos: string): number {
  let planted = 0;
  for (const day of days) {
    const path = join(archive, day);
    const lines = readFileSync(path, 'utf8').split('\n');
    const outLines = lines.map((line) => {
      let r: GoReport;
      try {
        r = JSON.parse(line) as GoReport;
      } catch {
        return line;
      }
      if (goReportLine(r) !== line || !(r.X < PLANTED_SHARE)) return line;
      planted++;
      return goReportLine({ ...r, Programs: r.Programs.map((pr) => ({ ...pr, GOOS: goos })) });
    });
    writeFileSync(path, outLines.join('\n'));
  }
  return planted;
}

const weekDays = (sunday: string) => readdirSync(p('demo', 'archive')).filter((d) => d > addDaysText(sunday, -7) && d <= sunday);
function addDaysText(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function copyArchive(to: string, skip: string[] = []): void {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(p('demo', 'archive'))) if (!skip.includes(f)) copyFileSync(p('demo', 'archive', f), join(to, f));
}

/** The rule's median, computed here from quality.json independently of the pipeline. */
function windowMedian(q: QualityFile, day: string): number {
  const read = q.days.filter((d) => d.status === 'present' && d.day !== day && Math.abs(Date.parse(d.day) - Date.parse(day)) <= SUSPECT_WINDOW * 86_400_000);
  const v = read.map((d) => d.ledger!.accepted).sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

beforeAll(async () => {
  const manifest = await generateDemo({ seed: 3, outDir: p('demo'), weeks: 4 });
  expect(manifest.missingDays).toEqual(['2026-10-28']);
  server = await startServer();
  // The unmodified archive, for the reports a week has with every file.
  await build(p('demo', 'archive'), p('out-full'), '--as-of', LATE);
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a metadata value that appears or vanishes', () => {
  const planted = p('planted');
  const late = p('out-late');
  const early = p('out-early');
  let plantedReports = 0;
  beforeAll(async () => {
    copyArchive(planted);
    // aix only in week 3, plan9 only in week 4: week 3 -> 4, aix vanishes and plan9 appears.
    plantedReports += plantGoos(planted, weekDays(W.w3), 'aix');
    plantedReports += plantGoos(planted, weekDays(W.w4), 'plan9');
    await build(planted, late, '--as-of', LATE);
    await build(planted, early);
  }, 120_000);

  it('is tested against a true 0 and flagged, in changes.json and in the chart file', () => {
    expect(plantedReports).toBeGreaterThan(1000);
    const goos = readJson<ChartFile>(late, 'charts/cmd-go/GOOS.json');
    const w3 = counterWeek(goos, W.w3);
    const w4 = counterWeek(goos, W.w4);
    expect(w4.provisional).toBe(false);
    expect(w4.n).toBeGreaterThan(500);
    const aix3 = bucketOf(w3, 'aix')!;
    const aix4 = bucketOf(w4, 'aix')!;
    const plan9 = bucketOf(w4, 'plan9')!;
    const plan9Before = bucketOf(w3, 'plan9')!;
    console.log(
      `cmd/go GOOS ${W.w3} -> ${W.w4} (n ${w3.n} -> ${w4.n}): aix ${aix3.x} (${(aix3.share * 100).toFixed(1)}%) -> ${aix4.x}, ` +
        `plan9 ${plan9Before.x} -> ${plan9.x} (${(plan9.share * 100).toFixed(1)}%); changes ${JSON.stringify(aix4.change)} ${JSON.stringify(plan9.change)}`,
    );
    expect(aix3.share).toBeGreaterThan(0.15);
    expect(aix4).toMatchObject({ x: 0, share: 0, status: 'published' });
    expect(plan9Before).toMatchObject({ x: 0, share: 0 });
    const vanished = aix4.change as BucketChange;
    const appeared = plan9.change as BucketChange;
    expect(vanished.flagged).toBe(true);
    expect(vanished.difference).toBeCloseTo(-aix3.share, 12);
    expect(vanished.ci[1]).toBeLessThan(0);
    expect(appeared.flagged).toBe(true);
    expect(appeared.difference).toBeCloseTo(plan9.share, 12);
    expect(appeared.ci[0]).toBeGreaterThan(0);

    const changes = readJson<ChangesFile>(late, 'changes.json').changes.filter((c) => c.program === 'cmd/go' && c.chart === 'GOOS');
    const find = (week: string, bucket: string) => changes.find((c) => c.week === week && c.bucket === bucket);
    expect(find(W.w4, 'aix')).toMatchObject({ previous: aix3.share, current: 0 });
    expect(find(W.w4, 'plan9')).toMatchObject({ previous: 0, current: plan9.share });
    // Week 3 follows an incomplete week but is final itself: aix appearing there is tested too.
    expect(find(W.w3, 'aix')).toMatchObject({ previous: 0, current: aix3.share });
    // Every program's GOOS chart has both moves (the values were planted on every program report), except where
    // the small-cell rule hides aix in week 3 (complementary suppression): a change would give the hidden figure away.
    const all = readJson<ChangesFile>(late, 'changes.json').changes.filter((c) => c.week === W.w4 && c.chart === 'GOOS');
    console.log(`flagged GOOS changes into ${W.w4}: ${all.map((c) => `${c.program} ${c.bucket}`).join('; ')}`);
    let checked = 0;
    for (const prog of readJson<IndexFile>(late, 'index.json').programs) {
      const chart = readJson<ChartFile>(late, prog.charts.find((c) => c.chart === 'GOOS')!.file);
      const [before, after] = [counterWeek(chart, W.w3), counterWeek(chart, W.w4)];
      const aix = before.buckets.find((b) => b.bucket === 'aix')!;
      const flaggedHere = (bucket: string) => all.some((c) => c.program === prog.program && c.bucket === bucket);
      console.log(`${prog.program}: n ${before.n} -> ${after.n}, aix in week 3 ${aix.status}`);
      if (before.n < 50 || after.n < 50) continue;
      expect(flaggedHere('plan9'), prog.program).toBe(true);
      expect(flaggedHere('aix'), prog.program).toBe(aix.status === 'published');
      if (aix.status !== 'published') expect(bucketOf(after, 'aix')!.change, prog.program).toBeNull();
      checked++;
    }
    expect(checked).toBe(5);
  });

  it('is not tested into a provisional week: no flags, and every change says provisional', () => {
    const index = readJson<IndexFile>(early, 'index.json');
    const provisional = index.weeks.filter((w) => w.provisional).map((w) => w.week);
    expect(provisional).toEqual([W.w2, W.w3, W.w4]);
    const changes = readJson<ChangesFile>(early, 'changes.json').changes;
    const lateChanges = readJson<ChangesFile>(late, 'changes.json').changes;
    console.log(
      `flags into weeks 3 and 4: ${lateChanges.filter((c) => c.week === W.w3 || c.week === W.w4).length} as final weeks, ` +
        `${changes.filter((c) => c.week === W.w3 || c.week === W.w4).length} as provisional weeks`,
    );
    expect(changes.filter((c) => provisional.includes(c.week))).toEqual([]);
    expect(lateChanges.filter((c) => c.week === W.w4).length).toBeGreaterThan(0);

    const goos = readJson<ChartFile>(early, 'charts/cmd-go/GOOS.json');
    const w4 = counterWeek(goos, W.w4);
    const shown = w4.buckets.filter((b): b is ShownBucket => b.status === 'published');
    expect(shown.map((b) => b.bucket)).toEqual(expect.arrayContaining(['aix', 'plan9', 'linux']));
    for (const b of shown) expect(b.change, b.bucket).toEqual({ status: 'provisional', flagged: false });
    // Every bucket of every chart of the provisional weeks, in the chart files and in estimates.csv.
    for (const prog of index.programs) {
      for (const c of prog.charts) {
        if (c.kind === 'stack') continue;
        const file = readJson<ChartFile>(early, c.file);
        for (const week of provisional) {
          const cw = counterWeek(file, week);
          for (const b of cw.buckets as PublicBucket[])
            if (b.status === 'published') expect(b.change, `${c.file} ${week} ${b.bucket}`).toEqual({ status: 'provisional', flagged: false });
        }
      }
    }
    const rows = csvParse(readFileSync(join(early, 'estimates.csv'), 'utf8'));
    const w4Rows = rows.filter((r) => r.week === W.w4 && r.small_cell === '');
    expect(w4Rows.length).toBeGreaterThan(50);
    expect(new Set(w4Rows.map((r) => `${r.change_flagged}|${r.change}|${r.change_p}`))).toEqual(new Set(['provisional||']));
    // Week 2 is incomplete (the demo's day without a file): provisional too.
    expect(rows.filter((r) => r.week === W.w2 && r.small_cell === '').every((r) => r.change_flagged === 'provisional')).toBe(true);
  });
});

describe('incomplete weeks', () => {
  const removed = ['2026-11-03', '2026-11-04', '2026-11-05'];
  const edge = '2026-10-19';

  it('three day files removed from the middle of a folder archive make their week incomplete; the first day missing is not suspect', async () => {
    const archive = p('removed');
    copyArchive(archive, [...removed, edge]);
    const out = p('out-removed');
    logs.length = 0;
    await build(archive, out, '--as-of', LATE);
    const index = readJson<IndexFile>(out, 'index.json');
    const quality = readJson<QualityFile>(out, 'quality.json');
    const week = (w: string) => index.weeks.find((x) => x.week === w)!;
    const full = readJson<IndexFile>(p('out-full'), 'index.json');
    console.log(
      `weeks: ${index.weeks.map((w) => `${w.week} ${w.reports} reports (${full.weeks.find((x) => x.week === w.week)!.reports} with every file), complete ${w.complete}, provisional ${w.provisional}`).join('; ')}`,
    );
    console.log(`suspect: ${JSON.stringify(quality.suspect)}`);
    expect(week(W.w3)).toMatchObject({ complete: false, provisional: true, suspectDays: removed, absent: removed });
    expect(week(W.w3).reports).toBeLessThan(full.weeks.find((x) => x.week === W.w3)!.reports * 0.7);
    // The demo's own day without a file (2026-10-28) is suspect too: busy days on both sides.
    expect(week(W.w2)).toMatchObject({ complete: false, provisional: true, suspectDays: ['2026-10-28'] });
    // The first day of the range has no file: at the edge, not suspect; its week is final.
    expect(week(W.w1)).toMatchObject({ complete: true, provisional: false, suspectDays: [], absent: [edge] });
    expect(week(W.w4)).toMatchObject({ complete: true, provisional: false });
    expect(index.latestFinalWeek).toBe(W.w4);
    expect(quality.suspect.map((s) => s.day)).toEqual(['2026-10-28', ...removed]);
    for (const s of quality.suspect) {
      expect(s.medianReports, s.day).toBe(windowMedian(quality, s.day));
      expect(s.medianReports).toBeGreaterThanOrEqual(SUSPECT_MEDIAN);
    }
    expect(quality.days.find((d) => d.day === edge)!.status).toBe('absent');
    expect(logs.filter((l) => l.includes('is incomplete'))).toEqual([
      expect.stringContaining(`week ${W.w2} is incomplete and stays provisional: no reports on 2026-10-28`),
      expect.stringContaining(`week ${W.w3} is incomplete and stays provisional: no reports on 2026-11-03`),
    ]);
    // No change is tested into an incomplete week, however late the build.
    expect(readJson<ChangesFile>(out, 'changes.json').changes.filter((c) => c.week === W.w2 || c.week === W.w3)).toEqual([]);
  }, 120_000);

  it('the same days answered 404 by an HTTP server make their week incomplete; a 404 on the last day is not suspect', async () => {
    const last = '2026-11-15';
    server.files.clear();
    for (const d of readdirSync(p('demo', 'archive')))
      if (![...removed, last].includes(d)) server.files.set(d, { body: readFileSync(p('demo', 'archive', d)) });
    const out = p('out-http');
    await build(server.baseUrl, out, '--from', edge, '--to', last, '--as-of', LATE);
    const index = readJson<IndexFile>(out, 'index.json');
    const quality = readJson<QualityFile>(out, 'quality.json');
    const week = (w: string) => index.weeks.find((x) => x.week === w)!;
    for (const d of [...removed, last, '2026-10-28']) expect(quality.days.find((q) => q.day === d)!.status, d).toBe('absent');
    const notFound = new Set(server.requests.filter((r) => r.status === 404).map((r) => r.name.replace(/\.json$/, '')));
    expect([...notFound].sort()).toEqual(['2026-10-28', ...removed, last]);
    expect(week(W.w3)).toMatchObject({ complete: false, provisional: true, suspectDays: removed });
    expect(week(W.w4)).toMatchObject({ complete: true, provisional: false, suspectDays: [], absent: [last] });
    expect(quality.suspect.map((s) => s.day)).toEqual(['2026-10-28', ...removed]);
  }, 120_000);

  it('a day without reports in a quiet archive is not suspect', async () => {
    const quiet = p('quiet');
    const manifest = await generateDemo({ seed: 3, outDir: quiet, weeks: 4, scale: 0.05 });
    const out = p('out-quiet');
    await runPipeline(
      parseOptions(
        [
          '--source',
          join(quiet, 'archive'),
          '--chart-config',
          join(quiet, 'config.txt'),
          '--upload-config',
          join(quiet, 'config.json'),
          '--as-of',
          LATE,
          '--cache',
          `${out}-cache`,
          '--out',
          out,
          '--jobs',
          '1',
        ],
        1,
      )!,
      fx,
    );
    const quality = readJson<QualityFile>(out, 'quality.json');
    const index = readJson<IndexFile>(out, 'index.json');
    const [day] = manifest.missingDays;
    const median = windowMedian(quality, day!);
    console.log(`quiet archive: ${day} has no file; median of the days around it ${median}`);
    expect(quality.days.find((d) => d.day === day)!.status).toBe('absent');
    expect(median).toBeGreaterThan(0);
    expect(median).toBeLessThan(SUSPECT_MEDIAN);
    expect(quality.suspect).toEqual([]);
    expect(index.weeks.every((w) => w.complete && !w.provisional)).toBe(true);
  }, 120_000);
});
