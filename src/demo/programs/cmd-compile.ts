/**
 * cmd/compile, the Go compiler: its invocations and its bug stacks. It
 * shares the toolchain version and mid-week upgrades with cmd/go.
 */
import type { Rng } from '../../lib/random.ts';
import { CMD_COMPILE, type ChartModel, type ProgramModel } from '../model-types.ts';
import { pick, type ProgramContext, stackChart } from './common.ts';
import { GO_RELEASES, GO_UPGRADE_SPLIT, goToolchainSpeed } from './releases.ts';

/** The cmd/compile model; draws its bug stack catalog from `ctx.rng`. */
export function cmdCompileProgram(ctx: ProgramContext): ProgramModel {
  return {
    name: CMD_COMPILE,
    base: 'compile',
    module: '',
    releases: GO_RELEASES,
    toolchain: true,
    speed: goToolchainSpeed,
    upgradeSplit: GO_UPGRADE_SPLIT,
    wslSplit: 0,
    charts: [invocationsChart(), bugStackChart(ctx.rng)],
  };
}

/** compile/invocations: compiler runs per week, by activity. */
function invocationsChart(): ChartModel {
  return {
    chart: 'compile/invocations',
    type: 'partition',
    buckets: ['compile/invocations'],
    names: ['compile/invocations'],
    rate: 1,
    minVersion: '',
    title: 'cmd/compile invocations',
    description: 'Number of invocations of the Go compiler.',
    issues: ['https://go.dev/issue/67244'],
    model: 'independent',
    params: (c) => ({ p: [1], mu: [pick(c, { light: 30, regular: 200, heavy: 1200, ci: 6000 })] }),
  };
}

/** compile/bug stacks (go1.26.0 and later). */
function bugStackChart(rng: Rng): ChartModel {
  return stackChart(
    rng,
    {
      counter: 'compile/bug',
      family: 'compile',
      prefix: 'cmd/compile',
      count: 16,
      head: ['cmd/compile/internal/base.FatalfAt:+14', 'cmd/compile/internal/base.Fatalf:+1'],
      crash: false,
      platformSpecific: [],
      zipf: 1.2,
      title: 'Compiler bug report calls',
      description: 'Stacks of fatal errors inside cmd/compile.',
      issues: ['https://go.dev/issue/67244'],
      minVersion: 'go1.26.0',
      rate: 1,
    },
    (c) => 0.0025 * pick(c, { light: 0.5, regular: 1, heavy: 3, ci: 4 }),
    1.2,
  );
}
