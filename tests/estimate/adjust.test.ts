/** Skew-adjusted estimates of one program's week, on plain strata (src/estimate/adjust.ts). */
import { describe, expect, it } from 'vitest';
import { adjustProgram, MIN_STRATUM } from '../../src/estimate/adjust.ts';
import { wilsonWeighted } from '../../src/estimate/intervals.ts';
import { dict } from '../../src/lib/dict.ts';
import { CELL_SEPARATOR, type Strata, type StratumCell } from '../../src/reduce/partial.ts';
import type { ChartSpec, ProgramSpec } from '../../src/reduce/spec.ts';
import { parseReference } from '../../src/skew/reference.ts';

const counter = (chart: string, buckets: string[]): ChartSpec => ({
  chart,
  expression: `${chart}:{${buckets.join(',')}}`,
  buckets,
  rate: 1,
  threshold: 1,
  minVersion: '',
  type: 'partition',
});
const spec = (strata: string[], counters: ChartSpec[]): ProgramSpec => ({ program: 'p', strata, versions: [], toolchain: false, counters, stacks: [] });
const reference = (dimensions: Record<string, Record<string, number>>) =>
  parseReference(JSON.stringify({ source: 'the census', date: '2024-01-01', size: 1000, dimensions }), 'reference.json', new Set(['c', 'editor']));

/** A stratum cell of n reports, with `x` reports having bucket a of chart c (every report eligible) and the GOARCH values given. */
function cell(n: number, x: number, goarch: Record<string, number> = { amd64: n }): StratumCell {
  const charts = dict<{ n: number; x: Record<string, number> }>();
  charts.c = { n, x: Object.assign(dict<number>(), { a: x }) };
  const meta = dict<Record<string, number>>();
  meta.GOARCH = Object.assign(dict<number>(), goarch);
  return { n, charts, meta };
}

function strata(dims: string[], cells: [string[], StratumCell][]): Strata {
  const out = dict<StratumCell>();
  for (const [key, c] of cells) out[key.join(CELL_SEPARATOR)] = c;
  return { dims, cells: out };
}

describe('adjustProgram', () => {
  it('post-stratifies on one dimension: weights q·N/N_k, Kish n_eff and the Wilson interval with it', () => {
    // 60 linux reports (30 with bucket a), 40 darwin (none); the reference says half and half.
    const s = strata(
      ['GOOS'],
      [
        [['linux'], cell(60, 30)],
        [['darwin'], cell(40, 0)],
      ],
    );
    const a = adjustProgram(s, reference({ GOOS: { linux: 0.5, darwin: 0.5 } }), spec(['GOOS'], [counter('c', ['a', 'b'])]))!;
    expect(a).not.toBeNull();
    expect(a.method).toBe('post-stratification');
    expect(a.dims).toEqual(['GOOS']);
    expect(a.reference).toBe('the census');
    expect(a.reports).toBe(100);
    // Weights 50/60 and 50/40: Σw·n = 100, Σw²·n = 60·(5/6)² + 40·(5/4)².
    const nEff = 100 ** 2 / (60 * (5 / 6) ** 2 + 40 * (5 / 4) ** 2);
    expect(a.nEff).toBeCloseTo(nEff, 10);
    const adj = a.charts.c!.a!;
    expect(adj.share).toBeCloseTo((30 * 5) / 6 / 100, 12); // 0.25, against a raw 0.30
    expect(adj.nEff).toBeCloseTo(nEff, 10);
    expect(adj.ci[0]).toBeCloseTo(wilsonWeighted(0.25, nEff)[0], 12);
    expect(adj.ci[1]).toBeCloseTo(wilsonWeighted(0.25, nEff)[1], 12);
    expect(a.charts.c!.b!.share).toBe(0);
    // Full precision: nothing is rounded before the site data is written.
    expect(adj.nEff).not.toBe(Math.round(adj.nEff * 10) / 10);
    // The dimension's own chart gets no adjusted values; other metadata charts do.
    expect(a.charts.GOOS).toBeUndefined();
    expect(a.charts.GOARCH!.amd64!.share).toBe(1);
  });

  it('returns null with fewer than 20 reports, or when no dimension of the reference applies', () => {
    const few = strata(['GOOS'], [[['linux'], cell(MIN_STRATUM - 1, 3)]]);
    expect(adjustProgram(few, reference({ GOOS: { linux: 1 } }), spec(['GOOS'], [counter('c', ['a'])]))).toBeNull();
    const s = strata(['GOOS'], [[['linux'], cell(50, 3)]]);
    expect(adjustProgram(s, reference({ GOARCH: { amd64: 1 } }), spec(['GOOS'], [counter('c', ['a'])]))).toBeNull();
  });

  it('merges categories with fewer than 20 reports into "other", and keeps reports with no category at their sample share', () => {
    // linux 50, darwin 30, plan9 10 (small: "other"), no category 10.
    const s = strata(
      ['GOOS'],
      [
        [['linux'], cell(50, 50)],
        [['darwin'], cell(30, 0)],
        [['plan9'], cell(10, 0)],
        [[''], cell(10, 0)],
      ],
    );
    const a = adjustProgram(s, reference({ GOOS: { linux: 0.4, darwin: 0.4 } }), spec(['GOOS'], [counter('c', ['a'])]))!;
    // Known reports (90%) get the reference's split: linux .4, darwin .4, other .2, scaled to .9.
    expect(a.charts.c!.a!.share).toBeCloseTo(0.4 * 0.9, 12);
  });

  it('rakes over several dimensions to the reference margins', () => {
    // Bucket a marks the linux reports, so its adjusted share is the linux margin.
    const cells: [string[], StratumCell][] = [
      [['linux', 'vscode'], cell(300, 300)],
      [['linux', 'vim'], cell(100, 100)],
      [['darwin', 'vscode'], cell(450, 0)],
      [['darwin', 'vim'], cell(150, 0)],
    ];
    const a = adjustProgram(
      strata(['GOOS', 'editor'], cells),
      reference({ GOOS: { linux: 0.6, darwin: 0.4 }, editor: { vscode: 0.5, vim: 0.5 } }),
      spec(['GOOS', 'editor'], [counter('c', ['a']), counter('editor', ['vscode', 'vim'])]),
    )!;
    expect(a.method).toBe('raking');
    expect(a.converged).toBe(true);
    expect(a.fallback).toBeNull();
    expect(a.iterations).toBeGreaterThan(0);
    expect(a.capped).toBe(0);
    expect(Math.abs(a.charts.c!.a!.share - 0.6)).toBeLessThan(1e-6);
    expect(a.charts.editor).toBeUndefined(); // an adjustment dimension
    // The sample is a product table (linux .4 × vscode .75), so raking lands on product weights
    // (.6/.4)·(.5/.75) = 1, 1.5·2 = 3, (.4/.6)·(2/3) = 4/9 and (2/3)·2 = 4/3: n_eff = 1000² / Σw²·n = 642.857...
    const sw2 = 300 * 1 + 100 * 9 + 450 * (4 / 9) ** 2 + 150 * (4 / 3) ** 2;
    expect(a.nEff).toBeCloseTo(1000 ** 2 / sw2, 3);
  });
});
