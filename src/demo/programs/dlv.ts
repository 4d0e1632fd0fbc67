/**
 * Delve, the Go debugger: how debugging sessions start, and its crash
 * stacks. VS Code-family users debug most, and upgrade first.
 */
import type { Rng } from '../../lib/random.ts';
import { type Cell, type ChartModel, DLV, type ProgramModel } from '../model-types.ts';
import { counterNames, normalize, pick, type ProgramContext, stackChart, VS_FAMILY } from './common.ts';
import { DLV_RELEASES } from './releases.ts';

/** The Delve model; draws its crash stack catalog from `ctx.rng`. */
export function dlvProgram(ctx: ProgramContext): ProgramModel {
  return {
    name: DLV,
    base: 'dlv',
    module: 'github.com/go-delve/delve',
    releases: DLV_RELEASES,
    toolchain: false,
    speed: (c) => (VS_FAMILY.has(c.editor) ? { d: 2, s: 1, key: 'vs' } : { d: 6, s: 3, key: 'other' }),
    upgradeSplit: 0.03,
    wslSplit: 0,
    charts: [launchChart(), crashStackChart(ctx.rng)],
  };
}

const LAUNCH = ['debug', 'test', 'exec', 'attach', 'core', 'replay'];
function launchF(c: Cell): number[] {
  let f: number[];
  if (VS_FAMILY.has(c.editor)) f = [0.55, 0.35, 0.04, 0.05, 0.005, 0.005];
  else if (c.editor === 'neovim') f = [0.45, 0.3, 0.1, 0.12, 0.02, 0.01];
  else f = [0.35, 0.2, 0.2, 0.18, 0.05, 0.02];
  // rr (replay) exists only on Linux.
  if (c.goos !== 'linux') f[5] = 0;
  return normalize(f);
}

/** dlv/launch: session kinds, by editor; replay (rr) on Linux only. */
function launchChart(): ChartModel {
  return {
    chart: 'dlv/launch',
    type: 'partition',
    buckets: LAUNCH,
    names: counterNames('dlv/launch', LAUNCH),
    rate: 1,
    minVersion: 'v1.26.0',
    title: 'Delve session kinds',
    description: 'How debugging sessions start.',
    issues: ['https://go.dev/issue/72129'],
    model: 'multinomial',
    params: (c) => ({ present: 1, mean: pick(c, { light: 2, regular: 5, heavy: 14, ci: 1 }), f: launchF(c) }),
  };
}

/** crash/crash stacks of Delve. */
function crashStackChart(rng: Rng): ChartModel {
  return stackChart(
    rng,
    {
      counter: 'crash/crash',
      family: 'dlv',
      prefix: 'github.com/go-delve/delve',
      count: 10,
      head: [],
      crash: true,
      platformSpecific: ['darwin'],
      zipf: 1.0,
      title: 'Unexpected Delve crashes',
      description: 'Stacks of goroutines running when Delve crashed.',
      issues: ['https://go.dev/issue/72129'],
      minVersion: '',
      rate: 1,
    },
    () => 0.006,
    1.1,
  );
}
