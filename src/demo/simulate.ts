/**
 * Draws reports from the demo model. The same code serves the archive (a
 * persistent pool of installations) and the one-week statistical mode (fresh
 * draws), so the truth computed from the model holds for both.
 *
 * Behaviour is drawn in full first and the upload rules are applied last (a
 * counter survives only if X <= its Rate), so what an installation did never
 * depends on its X, exactly as with the real client.
 */
import type { Rng } from '../lib/random.ts';
import type { GoProgramReport, GoReport } from './gojson.ts';
import {
  adoptionMix,
  CMD_COMPILE,
  CMD_GO,
  CONFIG_VERSION,
  type Cell,
  type ChartModel,
  type DemoModel,
  type IndependentParams,
  type MultinomialParams,
  type PrimaryParams,
  type ProgramModel,
  weekFraction,
  weekTime,
} from './model.ts';
import { atLeast } from './versions.ts';

type Params = IndependentParams | PrimaryParams | MultinomialParams | null;

/** One ProgramReport before the upload rules: every counter with its Rate. */
export interface SimProgramReport {
  program: ProgramModel;
  version: string;
  goVersion: string;
  goos: string;
  goarch: string;
  counters: SimCounter[];
  stacks: SimCounter[];
}

interface SimCounter {
  name: string;
  count: number;
  rate: number;
}

/** 1 + Geometric: a count >= 1 whose mean is `mu` (heavy-tailed once mixed over cells). */
function drawCount(rng: Rng, mu: number): number {
  if (mu <= 1) return 1;
  return 1 + Math.floor(Math.log(rng.nextDouble()) / Math.log(1 - 1 / mu));
}

function put(pr: SimProgramReport, stack: boolean, name: string, count: number, rate: number) {
  (stack ? pr.stacks : pr.counters).push({ name, count, rate });
}

/**
 * Binomial(n, p): exact inversion while the mean is small; a rounded normal
 * once n*p and n*(1-p) are both >= 25, where P(0) < 1e-10, so the
 * probability of a zero count (what prevalence measures) stays exact to that
 * precision and the mean is unchanged.
 */
function drawBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - drawBinomial(rng, n, 1 - p);
  const mean = n * p;
  if (mean < 25) {
    const q = 1 - p;
    let prob = q ** n;
    let cdf = prob;
    const u = rng.nextDouble();
    let k = 0;
    while (u > cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * (p / q);
      k++;
      cdf += prob;
      if (prob < 1e-300 && k > mean) break;
    }
    return k;
  }
  // Box-Muller: one normal deviate.
  const z = Math.sqrt(-2 * Math.log(rng.nextDouble())) * Math.cos(2 * Math.PI * rng.next());
  const k = Math.round(mean + z * Math.sqrt(mean * (1 - p)));
  return k < 0 ? 0 : k > n ? n : k;
}

/** Spreads n events over buckets with probabilities f (a multinomial draw, by conditional binomials). */
function drawMultinomial(rng: Rng, n: number, f: ArrayLike<number>): Int32Array {
  const counts = new Int32Array(f.length);
  if (n <= 48) {
    for (let e = 0; e < n; e++) counts[drawIndex(rng, f)]!++;
    return counts;
  }
  let left = n;
  let mass = 1;
  for (let b = 0; b < f.length && left > 0; b++) {
    const fb = f[b]!;
    if (fb <= 0) continue;
    const k = b === f.length - 1 || fb >= mass ? left : drawBinomial(rng, left, fb / mass);
    counts[b] = k;
    left -= k;
    mass -= fb;
  }
  if (left > 0) {
    // Only rounding in `mass` can leave events over: give them to the last bucket with weight.
    for (let b = f.length - 1; b >= 0; b--)
      if (f[b]! > 0) {
        counts[b]! += left;
        break;
      }
  }
  return counts;
}

function drawIndex(rng: Rng, weights: ArrayLike<number>): number {
  let u = rng.next();
  const n = weights.length;
  for (let i = 0; i < n; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  // Rounding left u a hair above zero: take the last bucket with weight.
  for (let i = n - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return n - 1;
}

export class Simulator {
  readonly programIndex = new Map<string, number>();
  /** Per program, per chart: the first release index that may carry the chart. */
  readonly gateIndex: number[][];
  private readonly mixCache = new Map<string, Float64Array>();
  private readonly paramCache = new Map<number, Params[]>();

  constructor(readonly model: DemoModel) {
    model.programs.forEach((p, i) => this.programIndex.set(p.name, i));
    this.gateIndex = model.programs.map((p) =>
      p.charts.map((ch) => {
        const i = p.releases.findIndex((r) => atLeast(r.version, ch.minVersion));
        return i < 0 ? p.releases.length : i;
      }),
    );
  }

  /** Release shares of the Go toolchain for a cell in week bin `w`. */
  goMix(cell: Cell, w: number): Float64Array {
    const sp = this.model.goSpeed(cell);
    return this.mix(`go|${sp.key}|${w}`, this.model.goReleases, w, sp.d, sp.s);
  }

  /** Release shares of program `pi` for a cell in week bin `w`. */
  programMix(pi: number, cell: Cell, w: number): Float64Array {
    const p = this.model.programs[pi]!;
    if (p.toolchain) return this.goMix(cell, w);
    const sp = p.speed(cell);
    return this.mix(`${pi}|${sp.key}|${w}`, p.releases, w, sp.d, sp.s);
  }

  private mix(key: string, releases: ProgramModel['releases'], w: number, d: number, s: number): Float64Array {
    let m = this.mixCache.get(key);
    if (!m) {
      m = adoptionMix(releases, weekTime(w), this.model.weeks, d, s);
      this.mixCache.set(key, m);
    }
    return m;
  }

  /** Each chart's parameters for program `pi`, a cell and week bin `w` (null for `total` charts). */
  params(pi: number, cell: Cell, w: number): Params[] {
    const key = (pi * 4096 + cell.index) * 1024 + w;
    let ps = this.paramCache.get(key);
    if (!ps) {
      const t = weekFraction(w, this.model.weeks);
      ps = this.model.programs[pi]!.charts.map((ch) => (ch.model === 'total' ? null : ch.params(cell, t)));
      this.paramCache.set(key, ps);
    }
    return ps;
  }

  /** Draws the release index of the installation's Go toolchain this week. */
  drawGo(rng: Rng, cell: Cell, w: number): number {
    return drawIndex(rng, this.goMix(cell, w));
  }

  /**
   * Simulates program `pi` for one installation-week: its ProgramReports (one,
   * or two after a mid-week upgrade or a WSL session) with every counter drawn.
   * `goIdx` is the installation's toolchain release this week; `toolchainSplit`
   * says whether the toolchain was upgraded mid-week (cmd/go and cmd/compile
   * then both report the previous and the new version).
   */
  simulateProgram(pi: number, cell: Cell, w: number, rng: Rng, goIdx: number, toolchainSplit: boolean): SimProgramReport[] {
    const p = this.model.programs[pi]!;
    const goReleases = this.model.goReleases;
    const g = goReleases[goIdx]!.version;
    let vIdx: number;
    const parts: { idx: number; goos: string; goVersion: string }[] = [];
    if (p.toolchain) {
      vIdx = goIdx;
      if (toolchainSplit && vIdx > 0) parts.push({ idx: vIdx - 1, goos: cell.goos, goVersion: goReleases[vIdx - 1]!.version });
      parts.push({ idx: vIdx, goos: cell.goos, goVersion: g });
    } else {
      vIdx = drawIndex(rng, this.programMix(pi, cell, w));
      const u = rng.next();
      // Disjoint ranges: P(WSL) is exactly wslSplit whatever the version.
      if (u < p.upgradeSplit && vIdx > 0) parts.push({ idx: vIdx - 1, goos: cell.goos, goVersion: g });
      parts.push({ idx: vIdx, goos: cell.goos, goVersion: g });
      if (u >= p.upgradeSplit && u < p.upgradeSplit + p.wslSplit && cell.goos === 'windows') parts.push({ idx: vIdx, goos: 'linux', goVersion: g });
    }
    const prs: SimProgramReport[] = parts.map((part) => ({
      program: p,
      version: p.releases[part.idx]!.version,
      goVersion: part.goVersion,
      goos: part.goos,
      goarch: cell.goarch,
      counters: [],
      stacks: [],
    }));

    const ps = this.params(pi, cell, w);
    const gates = this.gateIndex[pi]!;
    const drawn = new Map<string, { present: boolean; n: number }>();
    const eligible: number[] = [];
    for (let ci = 0; ci < p.charts.length; ci++) {
      const ch = p.charts[ci]!;
      eligible.length = 0;
      for (let k = 0; k < parts.length; k++) if (parts[k]!.idx >= gates[ci]!) eligible.push(k);
      const on = eligible.length > 0;
      const pr = ps[ci]!;
      if (ch.model === 'independent') {
        const q = pr as IndependentParams;
        for (let b = 0; b < q.p.length; b++) {
          if (rng.next() < q.p[b]!) {
            const count = drawCount(rng, q.mu[b]!);
            if (on) this.assign(rng, prs, eligible, ch, b, count);
          }
        }
      } else if (ch.model === 'primary') {
        const q = pr as PrimaryParams;
        if (rng.next() < q.present) {
          const k = drawIndex(rng, q.primary);
          for (let b = 0; b < q.primary.length; b++) {
            let count = 0;
            if (b === k) count = drawCount(rng, q.mu);
            else if (rng.next() < q.extra[b]!) count = drawCount(rng, q.muExtra);
            if (count > 0 && on) this.assign(rng, prs, eligible, ch, b, count);
          }
        }
      } else if (ch.model === 'multinomial') {
        const q = pr as MultinomialParams;
        let present: boolean;
        let n: number;
        if (ch.nFrom) {
          const ref = drawn.get(ch.nFrom)!;
          present = ref.present;
          n = ref.n;
        } else {
          const m = ch.versionFactor ? ch.versionFactor(p.releases[vIdx]!.version) : 1;
          present = rng.next() < Math.min(1, q.present * m);
          n = present ? drawCount(rng, q.mean) : 0;
        }
        if (present) {
          const counts = drawMultinomial(rng, n, q.f);
          if (on) for (let b = 0; b < counts.length; b++) if (counts[b]! > 0) this.assign(rng, prs, eligible, ch, b, counts[b]!);
        }
        drawn.set(ch.chart, { present, n });
      } else {
        const ref = drawn.get(ch.of)!;
        if (ref.present && on) this.assign(rng, prs, eligible, ch, 0, ref.n);
      }
    }
    return prs;
  }

  /** Puts a counter into one eligible ProgramReport, or splits it between two. */
  private assign(rng: Rng, prs: SimProgramReport[], eligible: number[], ch: ChartModel, b: number, count: number) {
    const name = ch.names[b]!;
    const stack = ch.type === 'stack';
    if (eligible.length === 1) return put(prs[eligible[0]!]!, stack, name, count, ch.rate);
    const u = rng.next();
    const first = prs[eligible[0]!]!;
    const last = prs[eligible[eligible.length - 1]!]!;
    if (u < 0.3) put(first, stack, name, count, ch.rate);
    else if (u < 0.75 || count < 2) put(last, stack, name, count, ch.rate);
    else {
      const k1 = 1 + rng.int(count - 1);
      put(first, stack, name, k1, ch.rate);
      put(last, stack, name, count - k1, ch.rate);
    }
  }

  /**
   * Decides which programs an installation ran this week (indices into
   * model.programs). cmd/compile runs only in weeks cmd/go ran.
   */
  drawPrograms(rng: Rng, cell: Cell): number[] {
    const out: number[] = [];
    const goRan = rng.next() < cell.run[CMD_GO]!;
    const compileRan = goRan && rng.next() < cell.run[CMD_COMPILE]! / cell.run[CMD_GO]!;
    this.model.programs.forEach((p, i) => {
      if (p.name === CMD_GO) {
        if (goRan) out.push(i);
      } else if (p.name === CMD_COMPILE) {
        if (compileRan) out.push(i);
      } else if (rng.next() < cell.run[p.name]!) out.push(i);
    });
    return out;
  }
}

/**
 * Applies the upload rules to simulated ProgramReports and orders them as the
 * client does (by counter file name). `nilMaps` writes empty maps as `null`,
 * as older clients do.
 */
export function finalizeReport(week: string, lastWeek: string, x: number, prs: SimProgramReport[], nilMaps: boolean): GoReport {
  const programs = prs.map((pr) => ({ key: `${pr.program.base}@${pr.version}-${pr.goVersion}-${pr.goos}-${pr.goarch}`, pr }));
  programs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const toMap = (list: SimCounter[]): Record<string, number> | null => {
    const out: Record<string, number> = {};
    let any = false;
    for (const c of list) {
      if (x <= c.rate) {
        out[c.name] = c.count;
        any = true;
      }
    }
    return any || !nilMaps ? out : null;
  };
  return {
    Week: week,
    LastWeek: lastWeek,
    X: x,
    Programs: programs.map(
      ({ pr }): GoProgramReport => ({
        Program: pr.program.name,
        Version: pr.version,
        GoVersion: pr.goVersion,
        GOOS: pr.goos,
        GOARCH: pr.goarch,
        Counters: toMap(pr.counters),
        Stacks: toMap(pr.stacks),
      }),
    ),
    Config: CONFIG_VERSION,
  };
}
