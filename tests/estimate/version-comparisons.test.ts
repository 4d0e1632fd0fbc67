/**
 * Version comparisons on seeded simulations through the real parse, reduce,
 * estimate and publish code: installations of three gopls versions, each
 * bucket drawn with a known per-version probability. A difference planted
 * between the two newest versions is flagged; where they are identical
 * nothing is flagged beyond the false discovery rate; a difference between
 * older versions is not what is compared.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { publishWeeks } from '../../src/estimate/publish.ts';
import { estimateWeek } from '../../src/estimate/weekly.ts';
import { toDay, type WeekName } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import { aggregateOf, totals } from '../../src/reduce/partial.ts';
import { reduceDayFile } from '../../src/reduce/reduce-day.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';
import { goLine } from '../helpers/reports.ts';

const GOPLS = 'golang.org/x/tools/gopls';
const EDITORS = ['vscode', 'neovim', 'emacs', 'goland', 'vim', 'helix', 'zed', 'other'];
const upload = parseUploadConfig(
  JSON.stringify({
    SampleRate: 1,
    Programs: [{ Name: GOPLS, Versions: ['v0.15.0', 'v0.16.0', 'v0.17.0'], Counters: [{ Name: `gopls/client:{${EDITORS.join(',')}}`, Rate: 1 }] }],
  }),
  'upload.json',
);
const spec = buildReduceSpec(
  upload,
  parseChartConfig(`title: Editors\ncounter: gopls/client:{${EDITORS.join(',')}}\ntype: partition\nprogram: ${GOPLS}\n`, 'c.txt'),
);
const compiled = compileSpec(spec);
const dir = mkdtempSync(join(tmpdir(), 'version-comparisons-'));
const DAY = '2026-11-09';
const BASE: Record<string, number> = { vscode: 0.5, neovim: 0.2, emacs: 0.1, goland: 0.15, vim: 0.12, helix: 0.05, zed: 0.06, other: 0.08 };

/** One simulated week: `perVersion` installations of each version, bucket probabilities BASE with `changes` applied per version. */
function simulate(seed: string, perVersion: number, changes: Record<string, Record<string, number>>, opts: { provisional?: boolean; suppress?: boolean } = {}) {
  const rng = createRng(seed);
  const lines: string[] = [];
  for (const version of ['v0.15.0', 'v0.16.0', 'v0.17.0']) {
    for (let i = 0; i < perVersion; i++) {
      const counters: Record<string, number> = {};
      for (const e of EDITORS) if (rng.next() < (changes[version]?.[e] ?? BASE[e]!)) counters[`gopls/client:${e}`] = 1 + rng.int(20);
      lines.push(
        goLine({
          Week: DAY,
          LastWeek: '',
          X: rng.nextDouble(),
          Programs: [{ Program: GOPLS, Version: version, GoVersion: 'go1.25.1', GOOS: 'linux', GOARCH: 'amd64', Counters: counters, Stacks: null }],
          Config: '',
        }),
      );
    }
  }
  const path = join(dir, seed);
  writeFileSync(path, lines.join('\n') + '\n');
  const part = reduceDayFile({ path, day: toDay(DAY), sha256: seed, compiled, specId: specHash(spec) });
  const estimates = estimateWeek(totals(aggregateOf([part])), spec);
  const week = DAY as WeekName;
  return publishWeeks(
    [{ week, estimates }],
    { minCell: 10, suppressComplements: opts.suppress ?? false },
    { untested: new Set(opts.provisional ? [week] : []) },
  );
}

describe('version comparisons', () => {
  it('flag a difference planted between the two newest versions, and compare only those two', () => {
    for (let s = 0; s < 10; s++) {
      // emacs: 10% in v0.16, 20% in v0.17; vim differs between v0.15 and v0.16 only, which is not compared.
      const r = simulate(`planted-${s}`, 1500, { 'v0.17.0': { emacs: 0.2 }, 'v0.15.0': { vim: 0.3 } });
      const cmp = r.weeks[0]!.programs[0]!.charts.find((c) => c.chart === 'gopls/client')!.versionComparison!;
      expect(cmp.newest).toBe('v0.17');
      expect(cmp.previous).toBe('v0.16');
      expect(r.comparisons.map((c) => c.bucket)).toContain('emacs');
      const emacs = r.comparisons.find((c) => c.bucket === 'emacs')!;
      expect(emacs.change.difference).toBeGreaterThan(0.05);
      expect(emacs.change.ci[0]).toBeGreaterThan(0);
      expect(emacs.previousShare).toBeCloseTo(0.1, 1);
      // Every bucket was tested (n >= 50, published).
      expect(cmp.buckets.every((b) => b.change !== null)).toBe(true);
      expect(r.comparisons.filter((c) => c.bucket !== 'emacs').length).toBeLessThanOrEqual(1);
    }
  });

  it('flag nothing beyond the false discovery rate where the versions are identical', () => {
    let flagged = 0;
    let tested = 0;
    for (let s = 0; s < 40; s++) {
      const r = simulate(`identical-${s}`, 800, { 'v0.15.0': { vim: 0.3 } });
      const cmp = r.weeks[0]!.programs[0]!.charts.find((c) => c.chart === 'gopls/client')!.versionComparison!;
      tested += cmp.buckets.filter((b) => b.change !== null).length;
      flagged += r.comparisons.length;
    }
    expect(tested).toBe(40 * EDITORS.length);
    // BH at 5% with no true difference: a week has any flag with probability at most 5%.
    expect(flagged).toBeLessThanOrEqual(4);
  });

  it('leave a provisional week untested, and compare nothing with suppress-complements', () => {
    const planted = { 'v0.17.0': { emacs: 0.4 } };
    const chartOf = (r: ReturnType<typeof simulate>) => r.weeks[0]!.programs[0]!.charts.find((c) => c.chart === 'gopls/client')!;
    const final = simulate('untested', 1000, planted);
    expect(final.comparisons.map((c) => c.bucket)).toEqual(['emacs']);
    const provisional = simulate('untested', 1000, planted, { provisional: true });
    expect(chartOf(provisional).versionComparison).toMatchObject({ newest: 'v0.17', previous: 'v0.16', status: 'provisional' });
    expect(chartOf(provisional).versionComparison!.buckets.every((b) => b.change === null)).toBe(true);
    expect(provisional.comparisons).toEqual([]);
    const suppressed = simulate('untested', 1000, planted, { suppress: true });
    expect(chartOf(suppressed).versionComparison).toBeUndefined();
    expect(suppressed.comparisons).toEqual([]);
  });
});
