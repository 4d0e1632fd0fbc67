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
 *
 * This file holds the population and composes the programs; each program's
 * releases and charts are in programs/, the shared types in model-types.ts.
 */
import { type Day, toDay } from '../lib/dates.ts';
import { createRng } from '../lib/random.ts';
import {
  type Activity,
  ACTIVITIES,
  type Cell,
  CMD_COMPILE,
  CMD_GO,
  type DemoModel,
  DLV,
  EDITORS,
  GOPLS,
  GOVULNCHECK,
  type ProgramModel,
  type Release,
} from './model-types.ts';
import { cmdCompileProgram } from './programs/cmd-compile.ts';
import { cmdGoProgram } from './programs/cmd-go.ts';
import { clamp, type ProgramContext, VS_FAMILY } from './programs/common.ts';
import { dlvProgram } from './programs/dlv.ts';
import { goplsProgram } from './programs/gopls.ts';
import { govulncheckProgram } from './programs/govulncheck.ts';
import { GO_RELEASES, GO_UPGRADE_SPLIT, goToolchainSpeed } from './programs/releases.ts';

export { CMD_COMPILE, CMD_GO, GOOSES, GOPLS } from './model-types.ts';
export type { Cell, ChartModel, DemoModel, IndependentParams, MultinomialParams, PrimaryParams, ProgramModel, Release } from './model-types.ts';

export const CONFIG_VERSION = 'v0.0.7';
export const SAMPLE_RATE = 0.8;
export const DEFAULT_END: Day = toDay('2026-11-15');
export const DEFAULT_WEEKS = 30;
/** Release times (programs/releases.ts) are written for a 30-week window and scaled to the real one. */
const REF_WEEKS = 30;

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
  vscode: 1.9,
  'vscode-insiders': 2.2,
  cursor: 1.4,
  neovim: 0.75,
  vim: 0.6,
  emacs: 0.6,
  sublimetext: 1.0,
  helix: 0.8,
  zed: 1.1,
  other: 0.8,
  none: 0.8,
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

// ---- release adoption -------------------------------------------------------

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

// ---- programs ---------------------------------------------------------------

/** Each program's model, in the order its stack catalogs draw from the stacks stream (see programs/). */
const PROGRAM_BUILDERS: ((ctx: ProgramContext) => ProgramModel)[] = [goplsProgram, cmdGoProgram, cmdCompileProgram, govulncheckProgram, dlvProgram];

/** The programs, built in PROGRAM_BUILDERS order from one `${seed}|stacks` stream, listed by name. */
function buildPrograms(seed: number | string): ProgramModel[] {
  const ctx: ProgramContext = { rng: createRng(`${seed}|stacks`) };
  const programs = PROGRAM_BUILDERS.map((build) => build(ctx));
  return programs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * How opt-in selects installations: `full` (the demo) also depends on things
 * no reference describes (package-manager installs and activity level);
 * `observed` depends only on GOOS, GOARCH and editor, the demo reference's
 * dimensions, so weighting to the reference can remove the skew entirely.
 */
export type Selection = 'full' | 'observed';

/** The demo model for a window of `weeks` weeks; stacks depend on `seed`. */
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
