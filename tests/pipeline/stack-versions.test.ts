/**
 * The Version groups of each listed stack, through the real pipeline on a
 * small seeded demo archive, against an independent recount of the archive
 * lines (JSON.parse and the rules of docs/methodology.md, none of the
 * pipeline's parse or reduce code): per week, program, stack chart, stack
 * and Version group (major.minor), the eligible reports whose program
 * reports of that group hold the stack with a positive count.
 *
 * - with --min-cell 1 every listed stack's versions equal the recount, and
 *   the Go toolchain's stacks have none;
 * - with --suppress-complements no group of fewer than k is shown, never
 *   exactly one is left out, and versionsNotShown counts those left out.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { type DemoLocation, ensureDemo } from '../../src/demo/index.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { ChartFile, IndexFile, QualityFile, StackChartWeek } from '../../src/sitedata/schema.ts';
import { acceptedReports, atLeast, DIMENSIONS, weekOf } from '../helpers/breakdown-recount.ts';

const K = 10;
const dir = mkdtempSync(join(tmpdir(), 'stack-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let demo: DemoLocation;
const out = (name: string) => join(dir, name);
const read = (name: string, f: string) => readFileSync(join(out(name), f), 'utf8');

async function build(name: string, extra: string[]) {
  const argv = ['--source', demo.archiveDir, '--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig];
  argv.push('--as-of', demo.asOf, '--cache', join(dir, 'cache'), '--out', out(name), '--jobs', '1', ...extra);
  await runPipeline(parseOptions(argv, 1)!, { log: () => {}, progress: 'never', today: () => demo.asOf as never });
}

interface StackChart {
  name: string;
  threshold: number;
  minVersion: string;
}
interface Program {
  versions: Set<string> | null;
  toolchain: boolean;
  stacks: StackChart[];
}

/** The recount's view of the configs: the upload config's stack counters and the `version:` lines of the chart config. */
function stackConfig(): { sampleRate: number; programs: Map<string, Program> } {
  const up = JSON.parse(readFileSync(demo.uploadConfig, 'utf8')) as {
    SampleRate?: number;
    Programs: { Name: string; Versions?: string[] | null; Stacks?: { Name: string; Rate?: number }[] | null }[];
  };
  const sampleRate = up.SampleRate ?? 1;
  const minVersion = new Map<string, string>();
  for (const record of readFileSync(demo.chartConfig, 'utf8').split(/^---\s*$/m)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*([^\\s#]+)`, 'm').exec(record)?.[1];
    const [program, counter, version] = [field('program'), field('counter'), field('version')];
    if (program && counter && version) minVersion.set(`${program}\t${counter}`, version);
  }
  const programs = new Map<string, Program>();
  for (const p of up.Programs) {
    programs.set(p.Name, {
      versions: p.Versions?.length ? new Set(p.Versions) : null,
      toolchain: p.Name.startsWith('cmd/'),
      stacks: (p.Stacks ?? []).map((s) => ({
        name: s.Name,
        threshold: Math.min(sampleRate, s.Rate ?? 1),
        minVersion: minVersion.get(`${p.Name}\t${s.Name}`) ?? '',
      })),
    });
  }
  return { sampleRate, programs };
}

interface PR {
  Program: string;
  Version: string;
  GoVersion: string;
  GOOS: string;
  Counters: Record<string, number> | null;
  Stacks?: Record<string, number> | null;
}

/** "week|program|stack chart|stack" -> group -> reports, and the same key -> reports with the stack at all. */
const truth = new Map<string, Map<string, number>>();
const totals = new Map<string, number>();

beforeAll(async () => {
  demo = await ensureDemo(join(dir, 'demo'), 5, () => {}, { weeks: 3, scale: 1 });
  await build('exact', ['--min-cell', '1']);
  await build('suppress', ['--suppress-complements']);
  const cfg = stackConfig();
  const quality = JSON.parse(read('exact', 'quality.json')) as QualityFile;
  const index = JSON.parse(read('exact', 'index.json')) as IndexFile;
  const weeks = new Set<string>(index.weeks.map((w) => w.week));
  for (const file of readdirSync(demo.archiveDir).sort()) {
    const day = file.slice(0, 10);
    const week = weekOf(day);
    if (!weeks.has(week)) continue;
    const reports = acceptedReports(readFileSync(join(demo.archiveDir, file), 'utf8'), day);
    expect(reports.length, day).toBe(quality.days.find((d) => d.day === day)?.ledger?.accepted ?? 0);
    for (const r of reports) {
      if (r.X > cfg.sampleRate) continue;
      const byProgram = new Map<string, PR[]>();
      for (const p of (r.Programs ?? []) as PR[]) {
        const prog = cfg.programs.get(p.Program);
        if (p.Program === '' || !prog || (prog.versions && !prog.versions.has(p.Version))) continue;
        byProgram.set(p.Program, [...(byProgram.get(p.Program) ?? []), p]);
      }
      for (const [program, prs] of byProgram) {
        const prog = cfg.programs.get(program)!;
        for (const c of prog.stacks) {
          if (r.X > c.threshold || !prs.some((p) => atLeast(p.Version, c.minVersion))) continue;
          // Per stack text of this chart: summed count, and the groups of the program reports holding it.
          const seen = new Map<string, { sum: number; groups: Set<string> }>();
          for (const p of prs) {
            for (const [text, v] of Object.entries(p.Stacks ?? {})) {
              if (text.split('\n')[0]!.split(':')[0] !== c.name) continue;
              const e = seen.get(text) ?? { sum: 0, groups: new Set<string>() };
              e.sum += v;
              if (v > 0) e.groups.add(DIMENSIONS.Version(p));
              seen.set(text, e);
            }
          }
          for (const [text, e] of seen) {
            if (e.sum <= 0) continue;
            const key = [week, program, c.name, text].join('|');
            totals.set(key, (totals.get(key) ?? 0) + 1);
            if (prog.toolchain) continue;
            const m = truth.get(key) ?? new Map<string, number>();
            for (const g of e.groups) m.set(g, (m.get(g) ?? 0) + 1);
            truth.set(key, m);
          }
        }
      }
    }
  }
}, 240_000);

/** Every listed stack of every stack chart: [key, program is the toolchain, the stack]. */
function listed(name: string) {
  const index = JSON.parse(read(name, 'index.json')) as IndexFile;
  const out: [string, boolean, StackChartWeek['top'][number]][] = [];
  for (const c of index.programs.flatMap((p) => p.charts)) {
    if (c.kind !== 'stack') continue;
    const file = JSON.parse(read(name, c.file)) as ChartFile;
    for (const w of file.weeks as StackChartWeek[])
      for (const s of w.top) out.push([[w.week, c.program, c.chart, s.stack].join('|'), c.program.startsWith('cmd/'), s]);
  }
  return out;
}

describe('stack versions', () => {
  it("equal an independent recount of the archive for every listed stack (--min-cell 1), newest version first; the toolchain's stacks have none", () => {
    const stacks = listed('exact');
    // Every stack the recount found is listed, with its reports.
    expect(stacks.length).toBe(totals.size);
    let compared = 0;
    let multi = 0;
    let toolchain = 0;
    for (const [key, tool, s] of stacks) {
      expect(s.x, key).toBe(totals.get(key));
      if (tool) {
        expect(s.versions, key).toBeUndefined();
        toolchain++;
        continue;
      }
      const want = truth.get(key)!;
      expect(Object.fromEntries(s.versions!.map((v) => [v.group, v.x])), key).toEqual(Object.fromEntries(want));
      expect(s.versionsNotShown).toBeUndefined();
      // A report counts once per group, so no group has more reports than the stack, and together they have at least as many.
      const sum = s.versions!.reduce((a, v) => a + v.x, 0);
      expect(sum).toBeGreaterThanOrEqual(s.x);
      if (s.versions!.length > 1) multi++;
      const versions = s.versions!.map((v) => v.group).filter((g) => /^v\d/.test(g));
      const numeric = versions.map((g) => g.slice(1).split('.').map(Number) as [number, number]);
      for (let i = 1; i < numeric.length; i++) expect(numeric[i - 1]![0] * 1e4 + numeric[i - 1]![1]).toBeGreaterThan(numeric[i]![0] * 1e4 + numeric[i]![1]);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
    expect(multi).toBeGreaterThan(0);
    expect(toolchain).toBeGreaterThan(0);
  });

  it('with --suppress-complements shows no group of fewer than k, never leaves out exactly one, and counts those left out', () => {
    const stacks = listed('suppress');
    let withHidden = 0;
    for (const [key, tool, s] of stacks) {
      expect(s.x).toBeGreaterThanOrEqual(K);
      if (tool) continue;
      const want = truth.get(key)!;
      for (const v of s.versions!) {
        expect(v.x).toBeGreaterThanOrEqual(K);
        expect(v.x).toBe(want.get(v.group));
      }
      const small = [...want.values()].filter((x) => x < K).length;
      const left = want.size - s.versions!.length;
      expect(s.versionsNotShown ?? 0).toBe(left);
      expect(left).not.toBe(1);
      // Left out: the groups of fewer than k, plus the smallest other one when only one was small.
      expect(left).toBe(small === 1 && want.size > 1 ? 2 : small);
      if (left > 0) withHidden++;
    }
    expect(stacks.length).toBeGreaterThan(0);
    expect(withHidden).toBeGreaterThan(0);
  });
});
