/**
 * The vocabulary of the demo model: program names, the cells installations
 * belong to, releases, and how a chart's counters and a program's reports
 * are described. model.ts builds a DemoModel from these; the programs/
 * folder describes each program; simulate.ts and truth.ts read them.
 */

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

export interface IndependentParams {
  p: number[];
  mu: number[];
}
export interface PrimaryParams {
  present: number;
  primary: number[];
  extra: number[];
  mu: number;
  muExtra: number;
}
export interface MultinomialParams {
  present: number;
  mean: number;
  f: number[];
}

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

/** How fast a group of installations adopts releases: delay `d` and spread `s` in weeks; `key` names the group (cells with the same key share a release mix). */
export interface AdoptionSpeed {
  d: number;
  s: number;
  key: string;
}

export interface ProgramModel {
  name: string;
  /** Counter file base name, which orders ProgramReports in a report. */
  base: string;
  module: string;
  releases: Release[];
  /** Version and GoVersion are the toolchain's own version (cmd/go, cmd/compile). */
  toolchain: boolean;
  /** Adoption delay and spread, in weeks, for a cell. */
  speed: (c: Cell) => AdoptionSpeed;
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
  goSpeed: (c: Cell) => AdoptionSpeed;
  /** Toolchain mid-week upgrade probability (shared by cmd/go and cmd/compile). */
  goUpgradeSplit: number;
}
