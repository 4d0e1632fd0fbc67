/**
 * gopls, the Go language server: which editors start it, the GOTOOLCHAIN
 * it sees, completion latency, code actions, MCP use, and its bug and crash
 * stacks. Behaviour depends on the editor (neovim users rename, VS Code
 * users extract), the OS (Windows users refactor less and see slower
 * completions) and the activity level.
 */
import type { Rng } from '../../lib/random.ts';
import { type AdoptionSpeed, type Cell, type ChartModel, EDITORS, GOPLS, type ProgramModel } from '../model-types.ts';
import { clamp, counterNames, normalize, pick, type ProgramContext, stackChart, VS_FAMILY } from './common.ts';
import { GOPLS_RELEASES } from './releases.ts';

/** The gopls model; draws its bug and crash stack catalogs from `ctx.rng`, in that order. */
export function goplsProgram(ctx: ProgramContext): ProgramModel {
  return {
    name: GOPLS,
    base: 'gopls',
    module: 'golang.org/x/tools/gopls',
    releases: GOPLS_RELEASES,
    toolchain: false,
    speed: goplsSpeed,
    upgradeSplit: 0.085,
    wslSplit: 0.12,
    charts: [clientChart(), gotoolchainChart(), completionLatencyChart(), codeactionChart(), mcpChart(), bugStackChart(ctx.rng), crashStackChart(ctx.rng)],
  };
}

/** VS Code-family users upgrade first, neovim, helix and zed users next, the rest last; package-manager installs later still. */
function goplsSpeed(c: Cell): AdoptionSpeed {
  const base = VS_FAMILY.has(c.editor) ? { d: 1.5, s: 0.8 } : ['neovim', 'helix', 'zed'].includes(c.editor) ? { d: 3.5, s: 1.5 } : { d: 7, s: 3 };
  const k = c.linuxPkg ? 1.6 : 1;
  return { d: base.d * k, s: base.s, key: `${c.editor}|${c.linuxPkg}` };
}

/** Other editors an installation also uses in a week, by its main editor. */
const EXTRA_EDITOR: Record<string, Record<string, number>> = {
  vscode: { cursor: 0.05, 'vscode-insiders': 0.02, neovim: 0.012 },
  'vscode-insiders': { vscode: 0.25 },
  cursor: { vscode: 0.15 },
  neovim: { vim: 0.05, vscode: 0.04, helix: 0.02 },
  vim: { neovim: 0.07, vscode: 0.03 },
  emacs: { vscode: 0.03, neovim: 0.02 },
  zed: { vscode: 0.08 },
  helix: { neovim: 0.08 },
  sublimetext: { vscode: 0.06 },
  other: { vscode: 0.05 },
};

/** gopls/client: the main editor, plus now and then another. */
function clientChart(): ChartModel {
  return {
    chart: 'gopls/client',
    type: 'partition',
    buckets: [...EDITORS],
    names: counterNames('gopls/client', [...EDITORS]),
    rate: 1,
    minVersion: '',
    title: 'Editor distribution',
    description: 'Which LSP clients start gopls sessions.',
    issues: ['https://go.dev/issue/61038', 'https://go.dev/issue/62214'],
    comment: 'vscode-insiders added later; see the second issue.',
    model: 'primary',
    params: (c) => ({
      present: 1,
      primary: EDITORS.map((e) => (e === c.editor ? 1 : 0)),
      extra: EDITORS.map((e) => (e === c.editor ? 0 : (EXTRA_EDITOR[c.editor]?.[e] ?? 0.004))),
      mu: pick(c, { light: 2, regular: 6, heavy: 15, ci: 1 }),
      muExtra: 1.5,
    }),
  };
}

function gotoolchainPrimary(c: Cell): number[] {
  if (c.linuxPkg) return [0.22, 0.18, 0.57, 0.03];
  if (c.goos === 'windows') return [0.84, 0.05, 0.09, 0.02];
  return [0.72, 0.08, 0.17, 0.03];
}

/** gopls/gotoolchain: mostly auto; package-manager installs pin local. */
function gotoolchainChart(): ChartModel {
  return {
    chart: 'gopls/gotoolchain',
    type: 'partition',
    buckets: ['auto', 'path', 'local', 'other'],
    names: counterNames('gopls/gotoolchain', ['auto', 'path', 'local', 'other']),
    rate: 1,
    minVersion: 'v0.19.0',
    title: 'GOTOOLCHAIN types used with gopls',
    description: 'The kind of GOTOOLCHAIN value in effect when gopls loads a view.',
    issues: ['https://go.dev/issue/68771'],
    model: 'primary',
    params: (c) => ({
      present: 1,
      primary: gotoolchainPrimary(c),
      extra: [0.02, 0.02, 0.02, 0.02],
      mu: pick(c, { light: 2, regular: 6, heavy: 15, ci: 1 }),
      muExtra: 1.3,
    }),
  };
}

const LATENCY = ['<10ms', '<50ms', '<100ms', '<500ms', '<1s', '<5s', '>=5s'];
function latencyF(c: Cell): number[] {
  let f: number[];
  if (c.goos === 'windows') f = [0.08, 0.27, 0.22, 0.27, 0.1, 0.05, 0.01];
  else if (c.goos === 'darwin') f = c.goarch === 'arm64' ? [0.38, 0.36, 0.12, 0.09, 0.03, 0.015, 0.005] : [0.22, 0.36, 0.18, 0.16, 0.05, 0.025, 0.005];
  else f = c.goarch === 'amd64' ? [0.28, 0.37, 0.15, 0.13, 0.045, 0.02, 0.005] : [0.18, 0.33, 0.18, 0.2, 0.07, 0.035, 0.005];
  // Heavy users work in bigger repositories: slower completions.
  if (c.activity === 'heavy') f = f.map((x, i) => x * [0.7, 0.85, 1, 1.3, 1.8, 2.2, 3][i]!);
  return normalize(f);
}

/** gopls/completion/latency: a histogram of completion times, by platform and activity. */
function completionLatencyChart(): ChartModel {
  return {
    chart: 'gopls/completion/latency',
    type: 'histogram',
    buckets: LATENCY,
    names: counterNames('gopls/completion/latency', LATENCY),
    rate: 0.5,
    minVersion: 'v0.20.0',
    title: 'Completion latency',
    description: 'Time from a completion request to its response, in buckets.',
    issues: ['https://go.dev/issue/70101'],
    multiline: true,
    model: 'multinomial',
    params: (c) => ({
      present: pick(c, { light: 0.8, regular: 0.92, heavy: 0.97, ci: 0 }),
      mean: pick(c, { light: 10, regular: 45, heavy: 160, ci: 1 }),
      f: latencyF(c),
    }),
  };
}

const CODEACTION = ['extract', 'inline', 'rename', 'changesig', 'organizeimports'];
function codeactionP(c: Cell): number[] {
  let p: number[];
  if (c.editor === 'vscode' || c.editor === 'vscode-insiders') p = [0.3, 0.1, 0.28, 0.05, 0.62];
  else if (c.editor === 'cursor') p = [0.36, 0.12, 0.22, 0.06, 0.58];
  else if (c.editor === 'neovim') p = [0.09, 0.04, 0.55, 0.03, 0.3];
  else if (c.editor === 'vim') p = [0.05, 0.02, 0.42, 0.02, 0.22];
  else if (c.editor === 'emacs') p = [0.07, 0.03, 0.45, 0.02, 0.4];
  else p = [0.12, 0.05, 0.38, 0.03, 0.35];
  // Windows users use the refactorings less.
  if (c.goos === 'windows') p = p.map((x, i) => x * [0.55, 0.55, 0.8, 0.55, 1][i]!);
  const a = pick(c, { light: 0.5, regular: 1, heavy: 1.5, ci: 0 });
  return p.map((x) => clamp(x * a, 0.95));
}

/** gopls/codeaction: refactorings applied, by editor. */
function codeactionChart(): ChartModel {
  return {
    chart: 'gopls/codeaction',
    type: 'partition',
    buckets: CODEACTION,
    names: counterNames('gopls/codeaction', CODEACTION),
    rate: 0.25,
    minVersion: '',
    title: 'Code actions applied',
    description: 'Refactorings and fixes the user applied.',
    issues: ['https://go.dev/issue/74102', 'https://go.dev/issue/74628', 'https://go.dev/issue/75612'],
    model: 'independent',
    params: (c) => ({ p: codeactionP(c), mu: CODEACTION.map(() => pick(c, { light: 1.5, regular: 3, heavy: 8, ci: 1 })) }),
  };
}

/** gopls/mcp: MCP server sessions, attached (most with Cursor) or headless. */
function mcpChart(): ChartModel {
  return {
    chart: 'gopls/mcp',
    type: 'partition',
    buckets: ['attached', 'headless'],
    names: counterNames('gopls/mcp', ['attached', 'headless']),
    rate: 0.1,
    minVersion: 'v0.21.0',
    title: 'MCP server use',
    description: 'Sessions that started the Go MCP server, attached to an editor session or headless.',
    issues: ['https://go.dev/issue/74341'],
    model: 'independent',
    params: (c) => {
      const a = pick(c, { light: 0.5, regular: 1, heavy: 1.6, ci: 0 });
      const attached = c.editor === 'cursor' ? 0.22 : c.editor === 'zed' ? 0.1 : VS_FAMILY.has(c.editor) ? 0.05 : 0.02;
      return { p: [clamp(attached * a), clamp(0.008 * a * (c.goos === 'darwin' ? 2 : 1))], mu: [3, 2] };
    },
  };
}

/** gopls/bug stacks, more of them under the v0.20.0 regression and fewer again from v0.20.1. */
function bugStackChart(rng: Rng): ChartModel {
  return stackChart(
    rng,
    {
      counter: 'gopls/bug',
      family: 'gopls',
      prefix: 'golang.org/x/tools/gopls',
      count: 40,
      head: ['golang.org/x/tools/gopls/internal/util/bug.report:+35', 'golang.org/x/tools/gopls/internal/util/bug.Reportf:+1'],
      crash: false,
      platformSpecific: ['windows', 'darwin'],
      zipf: 1.1,
      title: 'Number of bug report calls',
      description: 'Stacks of calls to gopls/internal/util/bug, which record internal invariant failures.',
      issues: ['https://go.dev/issue/62249'],
      minVersion: '',
      rate: 1,
    },
    (c) => 0.025 * (c.editor === 'neovim' ? 1.3 : 1) * (c.goos === 'windows' ? 1.2 : 1) * pick(c, { light: 0.5, regular: 1, heavy: 2, ci: 1 }),
    1.8,
    // v0.20.0 shipped a regression that v0.20.1 mostly fixed.
    (v) => (v === 'v0.20.0' ? 2.5 : v === 'v0.20.1' ? 1.3 : 1),
  );
}

/** crash/crash stacks of gopls. */
function crashStackChart(rng: Rng): ChartModel {
  return stackChart(
    rng,
    {
      counter: 'crash/crash',
      family: 'gopls',
      prefix: 'golang.org/x/tools/gopls',
      count: 18,
      head: [],
      crash: true,
      platformSpecific: ['windows'],
      zipf: 1.0,
      title: 'Unexpected gopls crashes',
      description: 'Stacks of the goroutine running when gopls crashed.',
      issues: ['https://go.dev/issue/65696'],
      minVersion: 'v0.19.0',
      rate: 1,
    },
    (c) => 0.004 * (c.goos === 'windows' ? 1.5 : 1),
    1.1,
  );
}
