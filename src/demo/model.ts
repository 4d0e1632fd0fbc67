/**
 * The demo population: who the installations are, which programs they run,
 * how fast they adopt releases, and how each chart's counters behave for
 * each group. Everything here is a pure description; simulate.ts draws from
 * it and truth.ts computes its exact expectations.
 *
 * An installation belongs to one cell: GOOS (Linux split into official and
 * package-manager installs), GOARCH, editor ("none" when it runs no gopls)
 * and activity level (light, regular, heavy, CI). A cell has a share of the
 * whole population (`q`) and a relative opt-in propensity (`optIn`), so the
 * opted-in composition is proportional to q * optIn: darwin and VS Code are
 * over-represented, Windows and package-manager Linux under-represented, and
 * behaviour differs by cell, so raw and skew-adjusted estimates disagree.
 */
import { createRng } from '../lib/random.ts';
import { makeStackCatalog, type StackCatalogSpec } from './stacks.ts';

export const CONFIG_VERSION = 'v0.0.7';
export const SAMPLE_RATE = 0.8;
export const DEFAULT_END = '2026-11-15';
export const DEFAULT_WEEKS = 30;
/** Release times below are written for a 30-week window and scaled to the real one. */
const REF_WEEKS = 30;

export const GOPLS = 'golang.org/x/tools/gopls';
export const CMD_GO = 'cmd/go';
export const CMD_COMPILE = 'cmd/compile';
export const GOVULNCHECK = 'golang.org/x/vuln/cmd/govulncheck';
export const DLV = 'github.com/go-delve/delve/cmd/dlv';

export type Activity = 'light' | 'regular' | 'heavy' | 'ci';
export const ACTIVITIES: readonly Activity[] = ['light', 'regular', 'heavy', 'ci'];
export const EDITORS = ['vscode', 'vscode-insiders', 'cursor', 'neovim', 'vim', 'emacs', 'sublimetext', 'helix', 'zed', 'other'] as const;
export const GOOSES = ['darwin', 'freebsd', 'linux', 'windows'] as const;

export interface Cell {
  index: number;
  goos: string;
  /** A Linux distribution's packaged Go (lags releases, sets GOTOOLCHAIN=local, opts in less). */
  linuxPkg: boolean;
  goarch: string;
  /** The gopls client, or "none" for installations that never run gopls. */
  editor: string;
  activity: Activity;
  /** Share of the whole population. */
  q: number;
  /** Relative opt-in propensity. */
  optIn: number;
  /** Probability of running each program in a given week, by program name. */
  run: Record<string, number>;
  /** Probability of running any program (so of writing a report) in a week. */
  runAny: number;
}

export interface Release {
  version: string;
  /** Release time in weeks from the window's start, for a 30-week window. */
  t: number;
  major?: boolean;
}

interface ChartCommon {
  chart: string;
  type: 'partition' | 'histogram' | 'stack';
  buckets: string[];
  /** The counter name of each bucket as it appears in reports. */
  names: string[];
  rate: number;
  /** Only program versions at least this carry the counter ("" for all). */
  minVersion: string;
  title: string;
  description: string;
  issues: string[];
  /** Chart config details: write the counter expression over several lines, add comments. */
  multiline?: boolean;
  comment?: string;
  error?: number;
  depth?: number;
  /** Multiplies the presence probability by the program version (a buggy release). */
  versionFactor?: (version: string) => number;
}

export interface IndependentParams { p: number[]; mu: number[] }
export interface PrimaryParams { present: number; primary: number[]; extra: number[]; mu: number; muExtra: number }
export interface MultinomialParams { present: number; mean: number; f: number[] }

/**
 * How a chart's counters arise, per report:
 * - independent: bucket b present with probability p[b], count 1+Geometric(mean mu[b]);
 * - primary: one primary bucket (categorical) plus each other bucket with probability extra[b];
 * - multinomial: with probability `present`, N = 1+Geometric(mean) events, each in bucket b
 *   with probability f[b] (histograms, subcommands, stacks); `nFrom` shares N with another chart;
 * - total: a single counter equal to another multinomial chart's N.
 */
export type ChartModel =
  | (ChartCommon & { model: 'independent'; params: (c: Cell, t: number) => IndependentParams })
  | (ChartCommon & { model: 'primary'; params: (c: Cell, t: number) => PrimaryParams })
  | (ChartCommon & { model: 'multinomial'; nFrom?: string; params: (c: Cell, t: number) => MultinomialParams })
  | (ChartCommon & { model: 'total'; of: string });

export interface ProgramModel {
  name: string;
  /** Counter file base name, which orders ProgramReports in a report. */
  base: string;
  module: string;
  releases: Release[];
  /** Version and GoVersion are the toolchain's own version (cmd/go, cmd/compile). */
  toolchain: boolean;
  /** Adoption delay and spread, in weeks, for a cell. */
  speed: (c: Cell) => { d: number; s: number; key: string };
  /** Probability of a mid-week upgrade (two ProgramReports, previous and new version). */
  upgradeSplit: number;
  /** Probability that a Windows installation also reports from WSL (a second, linux ProgramReport). */
  wslSplit: number;
  charts: ChartModel[];
}

export interface DemoModel {
  weeks: number;
  cells: Cell[];
  programs: ProgramModel[];
  goReleases: Release[];
  goSpeed: (c: Cell) => { d: number; s: number; key: string };
  /** Toolchain mid-week upgrade probability (shared by cmd/go and cmd/compile). */
  goUpgradeSplit: number;
}

const pick = <T,>(c: Cell, m: Record<Activity, T>): T => m[c.activity];
const clamp = (x: number, hi = 0.97) => Math.min(hi, Math.max(0, x));
const normalize = (f: number[]) => {
  const s = f.reduce((a, b) => a + b, 0);
  return f.map((x) => x / s);
};
const VS_FAMILY = new Set(['vscode', 'vscode-insiders', 'cursor']);

// ---- population -------------------------------------------------------------

const GOOS_SHARE: Record<string, number> = { linux: 0.45, darwin: 0.26, windows: 0.27, freebsd: 0.02 };
const GOOS_OPTIN: Record<string, number> = { linux: 1.0, darwin: 2.0, windows: 0.5, freebsd: 1.2 };
const LINUX_PKG_SHARE = 0.4;
const LINUX_PKG_OPTIN = 0.45;
const ARCH_SHARE: Record<string, Record<string, number>> = {
  linux: { amd64: 0.805, arm64: 0.16, '386': 0.015, riscv64: 0.02 },
  darwin: { arm64: 0.8, amd64: 0.2 },
  windows: { amd64: 0.93, arm64: 0.05, '386': 0.02 },
  freebsd: { amd64: 0.9, arm64: 0.1 },
};
const ARCH_OPTIN: Record<string, number> = { arm64: 1.1 };
const CI_SHARE: Record<string, number> = { linux: 0.06, darwin: 0.01, windows: 0.005, freebsd: 0.02 };
const ACTIVITY_SHARE: Record<Exclude<Activity, 'ci'>, number> = { light: 0.45, regular: 0.38, heavy: 0.17 };
const ACTIVITY_OPTIN: Record<Activity, number> = { light: 0.8, regular: 1, heavy: 1.2, ci: 0.6 };
const NO_GOPLS_SHARE: Record<string, number> = { linux: 0.3, darwin: 0.22, windows: 0.3, freebsd: 0.35 };
const EDITOR_SHARE: Record<string, number[]> = {
  //          vscode insiders cursor neovim vim  emacs sublime helix zed  other
  linux: [0.34, 0.02, 0.07, 0.26, 0.09, 0.07, 0.02, 0.05, 0.04, 0.04],
  darwin: [0.42, 0.03, 0.14, 0.16, 0.06, 0.05, 0.03, 0.02, 0.06, 0.03],
  windows: [0.66, 0.04, 0.1, 0.08, 0.04, 0.02, 0.03, 0.01, 0.01, 0.01],
  freebsd: [0.2, 0.0, 0.0, 0.3, 0.2, 0.15, 0.0, 0.05, 0.0, 0.1],
};
const EDITOR_OPTIN: Record<string, number> = {
  vscode: 1.9, 'vscode-insiders': 2.2, cursor: 1.4, neovim: 0.75, vim: 0.6, emacs: 0.6, sublimetext: 1.0, helix: 0.8, zed: 1.1, other: 0.8, none: 0.8,
};

function runProbabilities(goos: string, editor: string, a: Activity): Record<string, number> {
  const go = { light: 0.75, regular: 0.93, heavy: 0.99, ci: 1 }[a];
  const gopls = editor === 'none' ? 0 : { light: 0.62, regular: 0.88, heavy: 0.97, ci: 0 }[a];
  const vulnOs = goos === 'linux' ? 1.3 : goos === 'windows' ? 0.6 : goos === 'freebsd' ? 1.2 : 1;
  const vuln = clamp({ light: 0.02, regular: 0.05, heavy: 0.1, ci: 0.3 }[a] * vulnOs);
  const dlvBase = VS_FAMILY.has(editor) ? 0.18 : editor === 'neovim' ? 0.1 : editor === 'zed' ? 0.08 : editor === 'none' ? 0.03 : 0.05;
  const dlv = clamp(dlvBase * { light: 0.5, regular: 1, heavy: 1.6, ci: 0 }[a] * (goos === 'windows' ? 1.2 : 1));
  return { [CMD_GO]: go, [CMD_COMPILE]: go * 0.97, [GOPLS]: gopls, [GOVULNCHECK]: vuln, [DLV]: dlv };
}

function buildCells(selection: Selection): Cell[] {
  const cells: Cell[] = [];
  for (const goos of ['linux', 'darwin', 'windows', 'freebsd']) {
    for (const linuxPkg of goos === 'linux' ? [false, true] : [false]) {
      const pkgShare = goos !== 'linux' ? 1 : linuxPkg ? LINUX_PKG_SHARE : 1 - LINUX_PKG_SHARE;
      for (const [goarch, archShare] of Object.entries(ARCH_SHARE[goos]!)) {
        for (const activity of ACTIVITIES) {
          const ci = CI_SHARE[goos]!;
          const actShare = activity === 'ci' ? ci : (1 - ci) * ACTIVITY_SHARE[activity];
          const editors: [string, number][] =
            activity === 'ci'
              ? [['none', 1]]
              : [['none', NO_GOPLS_SHARE[goos]!], ...EDITORS.map((e, i): [string, number] => [e, (1 - NO_GOPLS_SHARE[goos]!) * EDITOR_SHARE[goos]![i]!])];
          for (const [editor, edShare] of editors) {
            const q = GOOS_SHARE[goos]! * pkgShare * archShare * actShare * edShare;
            if (q <= 0) continue;
            const hidden = selection === 'full' ? (linuxPkg ? LINUX_PKG_OPTIN : 1) * ACTIVITY_OPTIN[activity] : 1;
            const optIn = GOOS_OPTIN[goos]! * (ARCH_OPTIN[goarch] ?? 1) * EDITOR_OPTIN[editor]! * hidden;
            const run = runProbabilities(goos, editor, activity);
            const runAny = 1 - (1 - run[CMD_GO]!) * (1 - run[GOPLS]!) * (1 - run[GOVULNCHECK]!) * (1 - run[DLV]!);
            cells.push({ index: cells.length, goos, linuxPkg, goarch, editor, activity, q, optIn, run, runAny });
          }
        }
      }
    }
  }
  return cells;
}

// ---- releases ---------------------------------------------------------------

const GO_RELEASES: Release[] = [
  { version: 'go1.25.8', t: -30 },
  { version: 'go1.26.0', t: -12, major: true },
  { version: 'go1.26.1', t: -8 },
  { version: 'go1.26.2', t: -3 },
  { version: 'go1.26.3', t: 2 },
  { version: 'go1.26.4', t: 7 },
  { version: 'go1.26.5', t: 11 },
  { version: 'go1.27.0', t: 15, major: true },
  { version: 'go1.27.1', t: 19 },
  { version: 'go1.27.2', t: 23 },
  { version: 'go1.27.3', t: 27 },
];
const GOPLS_RELEASES: Release[] = [
  { version: 'v0.18.1', t: -25 },
  { version: 'v0.19.0', t: -10, major: true },
  { version: 'v0.19.1', t: -5 },
  { version: 'v0.20.0', t: 4, major: true },
  { version: 'v0.20.1', t: 7 },
  { version: 'v0.20.2', t: 11 },
  { version: 'v0.21.0', t: 16, major: true },
  { version: 'v0.21.1', t: 20 },
  { version: 'v0.22.0', t: 25, major: true },
];
const VULN_RELEASES: Release[] = [
  { version: 'v1.1.3', t: -40 },
  { version: 'v1.1.4', t: -15 },
  { version: 'v1.2.0', t: 6, major: true },
  { version: 'v1.2.1', t: 18 },
];
const DLV_RELEASES: Release[] = [
  { version: 'v1.25.1', t: -30 },
  { version: 'v1.25.2', t: -12 },
  { version: 'v1.26.0', t: 5, major: true },
  { version: 'v1.26.1', t: 17 },
  { version: 'v1.27.0', t: 26, major: true },
];

/** Shares of each release (same order as `releases`) at window time `tNow` weeks. */
export function adoptionMix(releases: Release[], tNow: number, weeks: number, d: number, s: number): Float64Array {
  const n = releases.length;
  const G = new Float64Array(n + 1);
  G[0] = 1;
  const scale = weeks / REF_WEEKS;
  for (let i = 1; i < n; i++) {
    const r = releases[i]!;
    const t0 = r.t * scale;
    const F = tNow < t0 ? 0 : 1 / (1 + Math.exp(-(tNow - t0 - d * (r.major ? 1.8 : 1)) / s));
    G[i] = Math.min(G[i - 1]!, F);
  }
  const A = new Float64Array(n);
  for (let i = 0; i < n; i++) A[i] = G[i]! - G[i + 1]!;
  return A;
}

// ---- charts -----------------------------------------------------------------

function counterNames(chart: string, buckets: string[]): string[] {
  return buckets.map((b) => `${chart}:${b}`);
}

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

function gotoolchainPrimary(c: Cell): number[] {
  if (c.linuxPkg) return [0.22, 0.18, 0.57, 0.03];
  if (c.goos === 'windows') return [0.84, 0.05, 0.09, 0.02];
  return [0.72, 0.08, 0.17, 0.03];
}

const SUBCOMMANDS = ['build', 'test', 'run', 'mod', 'vet', 'generate', 'install', 'get', 'work', 'env'];
function subcommandF(c: Cell): number[] {
  if (c.activity === 'ci') return normalize([0.2, 0.48, 0.02, 0.1, 0.12, 0.04, 0.02, 0.005, 0, 0.015]);
  if (c.goos === 'windows') return normalize([0.36, 0.14, 0.24, 0.09, 0.01, 0.02, 0.05, 0.06, 0.005, 0.025]);
  if (c.goos === 'darwin') return normalize([0.28, 0.25, 0.19, 0.09, 0.03, 0.02, 0.04, 0.05, 0.01, 0.04]);
  return normalize([0.27, 0.27, 0.16, 0.09, 0.03, 0.03, 0.04, 0.05, 0.01, 0.05]);
}
const INVOCATIONS: Record<Activity, number> = { light: 12, regular: 70, heavy: 400, ci: 1500 };

const BUILDMODE = ['default', 'exe', 'pie', 'c-archive', 'c-shared', 'plugin', 'archive'];
function buildmodeP(c: Cell): number[] {
  const linux = c.goos === 'linux';
  const p = [
    0.02,
    c.goos === 'windows' ? 0.12 : 0.008,
    linux ? (c.linuxPkg ? 0.11 : 0.05) : c.goos === 'darwin' ? 0.01 : c.goos === 'freebsd' ? 0.03 : 0.004,
    c.goos === 'darwin' ? 0.02 : 0.012,
    linux ? 0.03 : c.goos === 'darwin' ? 0.025 : 0.02,
    linux ? 0.004 : 0,
    0.003,
  ];
  const a = pick(c, { light: 0.4, regular: 1, heavy: 2.2, ci: 3 });
  return p.map((x) => clamp(x * a, 0.9));
}

const DARWIN_MAJOR = ['22', '23', '24', '25', '26'];
function darwinMajorPrimary(t: number): number[] {
  // macOS 26 (Darwin 25) ... the newest major ships around 60% into the window and is adopted gradually.
  const newest = t < 0.6 ? 0 : 0.55 * (1 - Math.exp(-(t - 0.6) * 5));
  const rest = [0.03, 0.08, 0.27, 0.62].map((x) => x * (1 - newest));
  return [...rest, newest];
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

function stackChart(
  rng: ReturnType<typeof createRng>,
  spec: Omit<StackCatalogSpec, 'depth'> & { title: string; description: string; issues: string[]; minVersion: string; rate: number },
  present: (c: Cell) => number,
  mean: number,
  versionFactor?: (v: string) => number,
): ChartModel {
  const stacks = makeStackCatalog(rng, { ...spec, depth: 16 });
  const byGoos = new Map<string, number[]>();
  for (const goos of GOOSES) byGoos.set(goos, normalize(stacks.map((s) => (s.goos === '' || s.goos === goos ? s.weight : 0))));
  const chart: ChartModel = {
    chart: spec.counter,
    type: 'stack',
    buckets: stacks.map((s) => s.key),
    names: stacks.map((s) => s.key),
    rate: spec.rate,
    minVersion: spec.minVersion,
    title: spec.title,
    description: spec.description,
    issues: spec.issues,
    depth: 16,
    model: 'multinomial',
    params: (c) => ({ present: present(c), mean, f: byGoos.get(c.goos)! }),
  };
  if (versionFactor) chart.versionFactor = versionFactor;
  return chart;
}

function buildPrograms(seed: number | string): ProgramModel[] {
  const rng = createRng(`${seed}|stacks`);
  const goplsSpeed = (c: Cell) => {
    const base = VS_FAMILY.has(c.editor) ? { d: 1.5, s: 0.8 } : ['neovim', 'helix', 'zed'].includes(c.editor) ? { d: 3.5, s: 1.5 } : { d: 7, s: 3 };
    const k = c.linuxPkg ? 1.6 : 1;
    return { d: base.d * k, s: base.s, key: `${c.editor}|${c.linuxPkg}` };
  };
  const gopls: ProgramModel = {
    name: GOPLS,
    base: 'gopls',
    module: 'golang.org/x/tools/gopls',
    releases: GOPLS_RELEASES,
    toolchain: false,
    speed: goplsSpeed,
    upgradeSplit: 0.085,
    wslSplit: 0.12,
    charts: [
      {
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
      },
      {
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
      },
      {
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
        params: (c) => ({ present: pick(c, { light: 0.8, regular: 0.92, heavy: 0.97, ci: 0 }), mean: pick(c, { light: 10, regular: 45, heavy: 160, ci: 1 }), f: latencyF(c) }),
      },
      {
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
      },
      {
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
      },
      stackChart(
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
      ),
      stackChart(
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
      ),
    ],
  };

  const goSpeed = goToolchainSpeed;
  const cmdGo: ProgramModel = {
    name: CMD_GO,
    base: 'go',
    module: '',
    releases: GO_RELEASES,
    toolchain: true,
    speed: goSpeed,
    upgradeSplit: GO_UPGRADE_SPLIT,
    wslSplit: 0,
    charts: [
      {
        chart: 'go/subcommand',
        type: 'partition',
        buckets: SUBCOMMANDS,
        names: counterNames('go/subcommand', SUBCOMMANDS),
        rate: 1,
        minVersion: '',
        title: 'go command subcommands',
        description: 'Which subcommands of the go command run.',
        issues: ['https://go.dev/issue/67244'],
        multiline: true,
        model: 'multinomial',
        params: (c) => ({ present: 1, mean: INVOCATIONS[c.activity], f: subcommandF(c) }),
      },
      {
        chart: 'go/invocations',
        type: 'partition',
        buckets: ['go/invocations'],
        names: ['go/invocations'],
        rate: 1,
        minVersion: '',
        title: 'cmd/go invocations',
        description: 'Number of invocations of the go command.',
        issues: ['https://go.dev/issue/67244'],
        model: 'total',
        of: 'go/subcommand',
      },
      {
        chart: 'go/build/flag/buildmode',
        type: 'partition',
        buckets: BUILDMODE,
        names: counterNames('go/build/flag/buildmode', BUILDMODE),
        rate: 0.5,
        minVersion: '',
        title: 'cmd/go buildmode values',
        description: 'Values of the -buildmode flag given to the go command.',
        issues: ['https://go.dev/issue/67244', 'https://go.dev/issue/67245'],
        multiline: true,
        error: 0.05,
        model: 'independent',
        params: (c) => ({ p: buildmodeP(c), mu: BUILDMODE.map(() => pick(c, { light: 2, regular: 3, heavy: 6, ci: 40 })) }),
      },
      {
        chart: 'go/platform/host/darwin/major-version',
        type: 'partition',
        buckets: DARWIN_MAJOR,
        names: counterNames('go/platform/host/darwin/major-version', DARWIN_MAJOR),
        rate: 1,
        minVersion: 'go1.26.0',
        title: 'Darwin OS version (subtract 9 for the macOS version)',
        description: 'Major Darwin version of the host running the go command.',
        issues: ['https://go.dev/issue/71159'],
        model: 'primary',
        params: (c, t) => {
          const primary = darwinMajorPrimary(t);
          return {
            present: c.goos === 'darwin' ? 1 : 0,
            primary,
            // An OS upgrade during the week shows both majors.
            extra: primary.map((_, i) => (i > 0 ? 0.02 : 0)),
            mu: INVOCATIONS[c.activity],
            muExtra: 10,
          };
        },
      },
    ],
  };

  const cmdCompile: ProgramModel = {
    name: CMD_COMPILE,
    base: 'compile',
    module: '',
    releases: GO_RELEASES,
    toolchain: true,
    speed: goSpeed,
    upgradeSplit: GO_UPGRADE_SPLIT,
    wslSplit: 0,
    charts: [
      {
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
      },
      stackChart(
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
      ),
    ],
  };

  const vulnCharts = (name: string, buckets: string[], rate: number, f: (c: Cell) => number[], title: string, extra: Partial<ChartCommon> = {}): ChartModel => ({
    chart: name,
    type: 'partition',
    buckets,
    names: counterNames(name, buckets),
    rate,
    minVersion: '',
    title,
    description: `measure govulncheck ${title.toLowerCase()}`,
    issues: ['https://go.dev/issue/67678'],
    ...extra,
    model: 'multinomial',
    ...(name === 'govulncheck/scan' ? {} : { nFrom: 'govulncheck/scan' }),
    params: (c) => ({ present: 1, mean: pick(c, { light: 1.5, regular: 3, heavy: 8, ci: 40 }), f: f(c) }),
  });
  const vuln: ProgramModel = {
    name: GOVULNCHECK,
    base: 'govulncheck',
    module: 'golang.org/x/vuln',
    releases: VULN_RELEASES,
    toolchain: false,
    speed: (c) => (c.activity === 'ci' ? { d: 2, s: 1, key: 'ci' } : { d: 6, s: 3, key: 'user' }),
    upgradeSplit: 0.02,
    wslSplit: 0,
    charts: [
      vulnCharts('govulncheck/scan', ['symbol', 'package', 'module'], 1, (c) => (c.activity === 'ci' ? [0.7, 0.2, 0.1] : [0.86, 0.1, 0.04]), 'Scan level distribution'),
      vulnCharts(
        'govulncheck/mode',
        ['source', 'binary', 'extract', 'query', 'convert'],
        1,
        (c) => normalize(c.activity === 'ci' ? [0.7, 0.25, 0.03, 0, 0.02] : [0.84, 0.11, 0.02, 0.015, 0.015]),
        'Scan mode distribution',
      ),
      vulnCharts(
        'govulncheck/format',
        ['text', 'json', 'sarif', 'openvex'],
        0.5,
        (c) => (c.activity === 'ci' ? [0.2, 0.42, 0.35, 0.03] : c.goos === 'windows' ? [0.88, 0.09, 0.025, 0.005] : [0.8, 0.14, 0.05, 0.01]),
        'Output format distribution',
      ),
    ],
  };

  const dlv: ProgramModel = {
    name: DLV,
    base: 'dlv',
    module: 'github.com/go-delve/delve',
    releases: DLV_RELEASES,
    toolchain: false,
    speed: (c) => (VS_FAMILY.has(c.editor) ? { d: 2, s: 1, key: 'vs' } : { d: 6, s: 3, key: 'other' }),
    upgradeSplit: 0.03,
    wslSplit: 0,
    charts: [
      {
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
      },
      stackChart(
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
      ),
    ],
  };
  return [cmdCompile, cmdGo, dlv, gopls, vuln];
}

const GO_UPGRADE_SPLIT = 0.05;
function goToolchainSpeed(c: Cell): { d: number; s: number; key: string } {
  if (c.activity === 'ci') return { d: 1.5, s: 1, key: 'ci' };
  if (c.linuxPkg) return { d: 12, s: 5, key: 'pkg' };
  if (c.goos === 'windows') return { d: 4, s: 2, key: 'windows' };
  return { d: 3, s: 1.5, key: 'official' };
}

/** The demo model for a window of `weeks` weeks; stacks depend on `seed`. */
/**
 * How opt-in selects installations: `full` (the demo) also depends on things
 * no reference describes (package-manager installs and activity level);
 * `observed` depends only on GOOS, GOARCH and editor, the demo reference's
 * dimensions, so weighting to the reference can remove the skew entirely.
 */
export type Selection = 'full' | 'observed';

export function buildModel(seed: number | string, weeks: number, selection: Selection = 'full'): DemoModel {
  return {
    weeks,
    cells: buildCells(selection),
    programs: buildPrograms(seed),
    goReleases: GO_RELEASES,
    goSpeed: goToolchainSpeed,
    goUpgradeSplit: GO_UPGRADE_SPLIT,
  };
}

/** Time in window weeks at which week bin `w` is evaluated (its middle). */
export function weekTime(w: number): number {
  return w + 0.5;
}

/** Fraction of the window elapsed at week bin `w` (0 at the first, 1 at the last). */
export function weekFraction(w: number, weeks: number): number {
  return weeks <= 1 ? 1 : w / (weeks - 1);
}
