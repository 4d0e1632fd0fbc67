/**
 * generateDemo: the seeded demo archive, in the exact public archive format,
 * with its configs, ground truth, reference census and manifest.
 *
 * A pool of opted-in installations (drawn from the opted-in composition,
 * growing weekly, with a wave of gopls opt-ins at a gopls release, and slow
 * churn) runs through the window. Each installation has a fixed weekday, so
 * its Weeks are 7 days apart; in a week it writes a report if it ran any
 * program, and the report is uploaded if X <= SampleRate. Reports whose Week
 * is within 10 days of `asOf` may not have arrived yet; one day's file is
 * missing altogether; a few defects are planted (see plant.ts).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '../lib/random.ts';
import { addDays, dayRange, daysBetween, type Day, weekOf } from '../lib/dates.ts';
import { demoChartConfig, demoUploadConfig } from './config-text.ts';
import { goReportLine, type GoReport } from './gojson.ts';
import { buildModel, type Cell, CONFIG_VERSION, DEFAULT_END, DEFAULT_WEEKS, type DemoModel, GOPLS, SAMPLE_RATE } from './model.ts';
import {
  checkPayload,
  MALFORMED_KINDS,
  malformedLine,
  type MalformedKind,
  type PlantedDuplicate,
  type PlantedLine,
  type PlantedUnconfigured,
  UNCONFIGURED_COUNTER,
} from './plant.ts';
import { finalizeReport, Simulator } from './simulate.ts';
import { chartInfos, type ChartWeekTruth, type Composition, composition, programWeekTruth, sortKeys } from './truth.ts';

export const GENERATOR = 'telemetry-demo/2';

export interface DemoOptions {
  seed: number;
  outDir: string;
  /** Number of week bins (default 30). */
  weeks?: number;
  /** The last day of the archive; must be a Sunday (default 2026-11-15). */
  end?: Day;
  /** Multiplies the number of installations (default 1: about 2,000 to 5,000 uploaded reports a week). */
  scale?: number;
}

/** What every generated archive's manifest.json says. */
export interface ArchiveManifest {
  generator: string;
  seed: number;
  weeks: number;
  firstDay: Day;
  lastDay: Day;
  /** Suggested as-of day: the day after the last file, so the last ~10 days are provisional. */
  asOf: Day;
  configVersion: string;
  sampleRate: number;
  /** Number of day files written. */
  files: number;
  /** Bytes of all archive files. */
  totalBytes: number;
  /** Distinct reports written (not counting duplicates or planted lines). */
  reports: number;
  /** All lines written, including duplicates and planted lines. */
  lines: number;
  duplicates: number;
}

export interface DemoManifest extends ArchiveManifest {
  kind: 'demo';
  scale: number;
  /** Days of the window with no file, on purpose. */
  missingDays: Day[];
  malformed: number;
}

/** Probability that a report with Week `day` has arrived by `asOf` (uploads trail the week by up to ~10 days). */
const ARRIVED = [0, 0.3, 0.5, 0.63, 0.73, 0.8, 0.86, 0.9, 0.93, 0.96, 0.98];
function arrivalProbability(day: Day, asOf: Day): number {
  const k = daysBetween(day, asOf);
  return k >= ARRIVED.length ? 1 : k <= 0 ? 0 : ARRIVED[k]!;
}

const DUPLICATE_RATE = 0.02;
const NIL_MAPS_RATE = 0.1;
const CHURN_PER_WEEK = 0.006;

interface Installation {
  cell: number;
  weekday: number;
  join: number;
  leave: number;
  last: string;
}

class CellSampler {
  private readonly cum: Float64Array;
  constructor(weights: number[]) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => (this.cum[i] = s += w));
  }
  draw(rng: Rng): number {
    const u = rng.next() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Cell weights of the opted-in population (q * optIn). */
function optedInWeights(model: DemoModel): number[] {
  return model.cells.map((c) => c.q * c.optIn);
}

/** Cell weights of the whole population (q). */
function populationWeights(model: DemoModel): number[] {
  return model.cells.map((c) => c.q);
}

const round = (x: number) => Math.round(x * 1e10) / 1e10;
const roundTruth = (t: ChartWeekTruth) => ({ p: t.p.map(round), mean: t.mean ? t.mean.map(round) : null, any: round(t.any), gated: round(t.gated) });
const roundComp = (c: Composition): Composition => ({
  GOOS: mapValues(c.GOOS, round),
  GOARCH: mapValues(c.GOARCH, round),
  editor: mapValues(c.editor, round),
});
function mapValues<T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}

/** Writes the demo archive and its companions into `outDir`; see README.md beside this file. */
export async function generateDemo(opts: DemoOptions): Promise<DemoManifest> {
  const run = prepareRun(opts);
  const defects = planDefects(run);
  const pool = new Pool(run);
  await resetArchiveDir(opts.outDir);
  const tally = newArchiveTally();
  const weekTallies: WeekTally[] = [];
  for (let w = 0; w < run.weeks; w++) {
    pool.grow(w);
    const { week, byDay } = simulateWeek(run, pool, defects, w);
    weekTallies.push(week);
    await writeWeekDays(run, defects, w, byDay, week, opts.outDir, tally);
  }
  const reference = referenceCensus(run.model, run.end);
  const manifest = demoManifest(run, defects, tally);
  await writeCompanions(opts.outDir, run.model, demoTruth(run, defects, weekTallies, tally, reference), reference, manifest);
  return manifest;
}

/** The validated options, the model and the calendar of one generateDemo run. */
interface DemoRun {
  seed: number;
  weeks: number;
  end: Day;
  scale: number;
  model: DemoModel;
  sim: Simulator;
  firstDay: Day;
  /** Every day of the window, first to last. */
  days: Day[];
  /** Each week bin's name: its Sunday. */
  weekNames: Day[];
  asOf: Day;
  /** Probability that a report of `days[i]` has arrived by `asOf`. */
  arrival: number[];
}

/** Checks the options (RangeError on a bad one) and lays out the window's days and weeks. */
function prepareRun(opts: DemoOptions): DemoRun {
  const weeks = opts.weeks ?? DEFAULT_WEEKS;
  const end = opts.end ?? DEFAULT_END;
  const scale = opts.scale ?? 1;
  const seed = opts.seed;
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`weeks must be a positive integer, got ${weeks}`);
  if (weekOf(end) !== end) throw new RangeError(`end must be a Sunday, got ${end}`);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const model = buildModel(seed, weeks);
  const firstDay = addDays(end, -7 * weeks + 1);
  const days = dayRange(firstDay, end);
  const asOf = addDays(end, 1);
  return {
    seed,
    weeks,
    end,
    scale,
    model,
    sim: new Simulator(model),
    firstDay,
    days,
    weekNames: Array.from({ length: weeks }, (_, w) => days[w * 7 + 6]!),
    asOf,
    arrival: days.map((d) => arrivalProbability(d, asOf)),
  };
}

/** Where the defects go. */
interface DefectPlan {
  /** The day with no file. */
  missingDay: Day;
  /** Malformed lines to plant, by day. */
  malformed: Map<Day, MalformedKind[]>;
  /** Number of gopls reports to give an unconfigured counter, by day. */
  unconfigured: Map<Day, number>;
}

/** Draws, from `${seed}|plan`, one missing day mid-window, malformed lines on four final days and unconfigured counters on three. */
function planDefects(run: DemoRun): DefectPlan {
  const { days, arrival } = run;
  const plan = createRng(`${run.seed}|plan`);
  const missingDay = days[Math.floor(days.length * 0.3) + plan.int(Math.floor(days.length * 0.4))]!;
  const finalDays = days.filter((d, i) => arrival[i] === 1 && d !== missingDay);
  const pickDays = (n: number) => {
    const out: Day[] = [];
    for (let k = 0; k < n; k++) {
      const lo = Math.floor((finalDays.length * k) / n);
      const hi = Math.floor((finalDays.length * (k + 1)) / n);
      const d = finalDays[lo + plan.int(Math.max(1, hi - lo))];
      if (d !== undefined) out.push(d);
    }
    // A window of one or two weeks may have no final day to plant in.
    return [...new Set(out)];
  };
  const malformedDays = pickDays(4);
  const malformed = new Map<Day, MalformedKind[]>();
  MALFORMED_KINDS.forEach((kind, i) => {
    const d = malformedDays[i % malformedDays.length];
    if (d !== undefined) malformed.set(d, [...(malformed.get(d) ?? []), kind]);
  });
  const unconfigured = new Map<Day, number>(pickDays(3).map((d) => [d, 2]));
  return { missingDay, malformed, unconfigured };
}

/**
 * The pool of opted-in installations, drawn from `${seed}|pool`: 2,900 times
 * the scale at the start, 100 to 120 more each week, a wave of 400
 * gopls users a week after the gopls v0.21.0 release, and slow churn.
 */
class Pool {
  readonly installations: Installation[] = [];
  private readonly rng: Rng;
  private readonly opted: CellSampler;
  private readonly wave: CellSampler;
  private readonly waveWeek: number;

  constructor(private readonly run: DemoRun) {
    const { model, scale, weeks } = run;
    this.rng = createRng(`${run.seed}|pool`);
    this.opted = new CellSampler(optedInWeights(model));
    this.wave = new CellSampler(
      model.cells.map((c) => (c.editor === 'none' ? 0 : c.q * c.optIn * (c.editor.startsWith('vscode') || c.editor === 'cursor' ? 1.5 : 1))),
    );
    this.add(Math.round(2900 * scale), 0, this.opted, true);
    this.waveWeek = Math.min(weeks - 1, Math.round((16 * weeks) / 30) + 1);
  }

  /** Adds the installations that join in week bin `w` (none in the first, which starts with the initial pool). */
  grow(w: number): void {
    const scale = this.run.scale;
    if (w > 0) this.add(Math.round(scale * (100 + 20 * this.rng.next())), w, this.opted, false);
    if (w === this.waveWeek && w > 0) this.add(Math.round(400 * scale), w, this.wave, false);
  }

  /** Adds `n` installations joining in week `w`; `preexisting` ones have uploaded before the window. */
  private add(n: number, w: number, sampler: CellSampler, preexisting: boolean): void {
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      const cell = sampler.draw(rng);
      const weekday = rng.int(7);
      const leave = w + 1 + Math.floor(Math.log(rng.nextDouble()) / Math.log(1 - CHURN_PER_WEEK));
      let last = '';
      if (preexisting) {
        const u = rng.next();
        const first = this.run.days[weekday]!;
        last = u < 0.85 ? addDays(first, -7) : u < 0.95 ? addDays(first, -14) : '';
      }
      this.installations.push({ cell, weekday, join: w, leave, last });
    }
  }
}

/** What the truth needs of one simulated week bin. */
interface WeekTally {
  /** Installations in the pool, by cell. */
  counts: Float64Array;
  /** Expected number of reports in each weekday's file (Monday first). */
  expected: Float64Array;
}

/**
 * Runs every pool member active in week bin `w` through the simulator with
 * `${seed}|week|${w}`, advancing each one's LastWeek; returns the week's tally
 * and the reports that arrived, by weekday (Monday first), in pool order.
 */
function simulateWeek(run: DemoRun, pool: Pool, defects: DefectPlan, w: number): { week: WeekTally; byDay: GoReport[][] } {
  const { model, sim, days, arrival } = run;
  const S = SAMPLE_RATE;
  const counts = new Float64Array(model.cells.length);
  const expected = new Float64Array(7);
  const rng = createRng(`${run.seed}|week|${w}`);
  const byDay: GoReport[][] = Array.from({ length: 7 }, () => []);
  for (const inst of pool.installations) {
    if (inst.join > w || inst.leave <= w) continue;
    const cell: Cell = model.cells[inst.cell]!;
    counts[inst.cell]! += 1;
    const di = w * 7 + inst.weekday;
    const day = days[di]!;
    expected[inst.weekday]! += cell.runAny * S * arrival[di]! * (day === defects.missingDay ? 0 : 1);
    const programs = sim.drawPrograms(rng, cell);
    if (programs.length === 0) continue;
    const x = rng.nextDouble();
    if (x > S) continue; // written locally, not uploaded
    const goIdx = sim.drawGo(rng, cell, w);
    const toolchainSplit = rng.next() < model.goUpgradeSplit;
    const prs = programs.flatMap((pi) => sim.simulateProgram(pi, cell, w, rng, goIdx, toolchainSplit));
    const report = finalizeReport(day, inst.last, x, prs, rng.next() < NIL_MAPS_RATE);
    inst.last = day;
    const arrived = rng.next() < arrival[di]!;
    if (arrived && day !== defects.missingDay) byDay[inst.weekday]!.push(report);
  }
  return { week: { counts, expected }, byDay };
}

/** What the archive's day files hold, tallied as they are written. */
interface ArchiveTally {
  files: number;
  totalBytes: number;
  reports: number;
  lines: number;
  days: Record<Day, { reports: number; duplicates: number; malformed: number; lines: number; bytes: number; expected: number }>;
  malformed: PlantedLine[];
  duplicates: PlantedDuplicate[];
  unconfigured: PlantedUnconfigured[];
}

/** An empty tally. */
function newArchiveTally(): ArchiveTally {
  return { files: 0, totalBytes: 0, reports: 0, lines: 0, days: {}, malformed: [], duplicates: [], unconfigured: [] };
}

/** Replaces `outDir/archive/` with an empty folder. */
async function resetArchiveDir(outDir: string): Promise<void> {
  await rm(join(outDir, 'archive'), { recursive: true, force: true });
  await mkdir(join(outDir, 'archive'), { recursive: true });
}

/** Writes the day files of week bin `w` (all but the missing day), with their planted lines, and tallies them. */
async function writeWeekDays(
  run: DemoRun,
  defects: DefectPlan,
  w: number,
  byDay: GoReport[][],
  week: WeekTally,
  outDir: string,
  tally: ArchiveTally,
): Promise<void> {
  for (let k = 0; k < 7; k++) {
    const day = run.days[w * 7 + k]!;
    if (day === defects.missingDay) continue;
    const out = assembleDay(run.seed, day, byDay[k]!, defects.malformed.get(day) ?? [], defects.unconfigured.get(day) ?? 0, SAMPLE_RATE);
    const text = out.lines.join('\n') + '\n';
    const bytes = Buffer.byteLength(text);
    await writeFile(join(outDir, 'archive', day), text);
    tally.files++;
    tally.totalBytes += bytes;
    tally.reports += out.reports;
    tally.lines += out.lines.length;
    tally.malformed.push(...out.malformed);
    tally.duplicates.push(...out.duplicates);
    tally.unconfigured.push(...out.unconfigured);
    tally.days[day] = {
      reports: out.reports,
      duplicates: out.duplicates.length,
      malformed: out.malformed.length,
      lines: out.lines.length,
      bytes,
      expected: round(week.expected[k]!),
    };
  }
}

/** truth.json's content: the run, per-chart expectations, compositions, skew, expected counts and every planted defect. */
function demoTruth(run: DemoRun, defects: DefectPlan, weekTallies: WeekTally[], tally: ArchiveTally, reference: ReferenceCensus) {
  const { days, arrival } = run;
  const duplicatesPerDay: Record<Day, number> = {};
  for (const d of tally.duplicates) duplicatesPerDay[d.day] = (duplicatesPerDay[d.day] ?? 0) + 1;
  return {
    format: 'demo-truth/1',
    generator: GENERATOR,
    seed: run.seed,
    scale: run.scale,
    sampleRate: SAMPLE_RATE,
    configVersion: CONFIG_VERSION,
    firstDay: run.firstDay,
    lastDay: run.end,
    asOf: run.asOf,
    weeks: run.weekNames,
    arrival: Object.fromEntries(days.map((d, i) => [d, arrival[i]!]).filter(([, a]) => (a as number) < 1)),
    programs: chartTruths(run, weekTallies),
    composition: compositionTruth(run, weekTallies),
    skew: skewRatios(run.model, reference),
    expected: { weeks: expectedWeeks(run, weekTallies) },
    days: tally.days,
    planted: {
      missingDays: [defects.missingDay],
      malformed: tally.malformed,
      duplicates: tally.duplicates,
      duplicatesPerDay,
      unconfigured: tally.unconfigured,
    },
  };
}

/** Each program's charts with, for every week, the exact expectation over the opted-in pool (`opt`) and the whole population (`pop`). */
function chartTruths(run: DemoRun, weekTallies: WeekTally[]): Record<string, unknown> {
  const { model, sim, weeks, weekNames } = run;
  const popW = populationWeights(model);
  const programs: Record<string, unknown> = {};
  model.programs.forEach((p, pi) => {
    const infos = chartInfos(model, pi);
    const charts: Record<string, { kind: string; rate: number; minVersion: string; buckets: string[]; weeks: Record<string, { opt: unknown; pop: unknown }> }> =
      {};
    for (const info of infos) charts[info.chart] = { kind: info.kind, rate: info.rate, minVersion: info.minVersion, buckets: info.buckets, weeks: {} };
    for (let w = 0; w < weeks; w++) {
      const opt = programWeekTruth(sim, pi, w, weekTallies[w]!.counts);
      const pop = programWeekTruth(sim, pi, w, popW);
      for (const info of infos)
        charts[info.chart]!.weeks[weekNames[w]!] = { opt: roundTruth(opt.charts[info.chart]!), pop: roundTruth(pop.charts[info.chart]!) };
    }
    programs[p.name] = { charts };
  });
  return programs;
}

/** GOOS, GOARCH and editor shares of the whole population and of each week's expected reports, over all programs and per program. */
function compositionTruth(run: DemoRun, weekTallies: WeekTally[]) {
  const { model, weeks, weekNames } = run;
  const popW = populationWeights(model);
  const population: Record<string, Composition> = { all: roundComp(composition(model.cells, popW, (c) => c.runAny)) };
  for (const p of model.programs) population[p.name] = roundComp(composition(model.cells, popW, (c) => c.run[p.name]!));
  const optedIn: Record<string, Record<string, Composition>> = {};
  for (let w = 0; w < weeks; w++) {
    const counts = weekTallies[w]!.counts;
    const comp: Record<string, Composition> = { all: roundComp(composition(model.cells, counts, (c) => c.runAny)) };
    for (const p of model.programs) comp[p.name] = roundComp(composition(model.cells, counts, (c) => c.run[p.name]!));
    optedIn[weekNames[w]!] = comp;
  }
  return { population, optedIn };
}

/** Each week's expected number of uploaded reports (in all, per program) and of those that arrived by `asOf`. */
function expectedWeeks(run: DemoRun, weekTallies: WeekTally[]): Record<string, { uploaded: number; arrived: number; byProgram: Record<string, number> }> {
  const { model, weeks, weekNames } = run;
  const S = SAMPLE_RATE;
  const out: Record<string, { uploaded: number; arrived: number; byProgram: Record<string, number> }> = {};
  for (let w = 0; w < weeks; w++) {
    const { counts, expected } = weekTallies[w]!;
    const byProgram: Record<string, number> = {};
    let uploaded = 0;
    for (const c of model.cells) uploaded += counts[c.index]! * c.runAny * S;
    for (const p of model.programs) {
      let n = 0;
      for (const c of model.cells) n += counts[c.index]! * c.run[p.name]! * S;
      byProgram[p.name] = round(n);
    }
    let arrived = 0;
    for (let k = 0; k < 7; k++) arrived += expected[k]!;
    out[weekNames[w]!] = { uploaded: round(uploaded), arrived: round(arrived), byProgram };
  }
  return out;
}

/** manifest.json's content: the run, the day files' totals and the defects' counts. */
function demoManifest(run: DemoRun, defects: DefectPlan, tally: ArchiveTally): DemoManifest {
  return {
    generator: GENERATOR,
    kind: 'demo',
    seed: run.seed,
    scale: run.scale,
    weeks: run.weeks,
    firstDay: run.firstDay,
    lastDay: run.end,
    asOf: run.asOf,
    configVersion: CONFIG_VERSION,
    sampleRate: SAMPLE_RATE,
    files: tally.files,
    missingDays: [defects.missingDay],
    totalBytes: tally.totalBytes,
    reports: tally.reports,
    lines: tally.lines,
    duplicates: tally.duplicates.length,
    malformed: tally.malformed.length,
  };
}

/** Writes config.txt, config.json, truth.json, reference.json and manifest.json beside the archive. */
async function writeCompanions(outDir: string, model: DemoModel, truth: unknown, reference: ReferenceCensus, manifest: DemoManifest): Promise<void> {
  await writeFile(join(outDir, 'config.txt'), demoChartConfig(model));
  await writeFile(join(outDir, 'config.json'), demoUploadConfig(model));
  await writeFile(join(outDir, 'truth.json'), JSON.stringify(truth) + '\n');
  await writeFile(join(outDir, 'reference.json'), JSON.stringify(reference, null, 2) + '\n');
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

interface DayOutput {
  lines: string[];
  reports: number;
  malformed: PlantedLine[];
  duplicates: PlantedDuplicate[];
  unconfigured: PlantedUnconfigured[];
}

/** Orders a day's reports, adds duplicates and planted lines, and records where each landed. */
function assembleDay(seed: number, day: Day, reports: GoReport[], kinds: MalformedKind[], unconfigured: number, S: number): DayOutput {
  const rng = createRng(`${seed}|day|${day}`);
  // Uploads arrive in no particular order.
  for (let i = reports.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [reports[i], reports[j]] = [reports[j]!, reports[i]!];
  }
  type Entry = { text: string; kind: 'report' | 'dup' | 'malformed'; of?: Entry; malformed?: MalformedKind; unconfigured?: boolean };
  const entries: Entry[] = [];
  let toMark = unconfigured;
  for (const r of reports) {
    const e: Entry = { text: '', kind: 'report' };
    if (toMark > 0) {
      const pr = r.Programs.find((p) => p.Program === GOPLS && p.Counters !== null);
      if (pr) {
        pr.Counters![UNCONFIGURED_COUNTER] = 1 + rng.int(6);
        e.unconfigured = true;
        toMark--;
      }
    }
    e.text = goReportLine(r);
    entries.push(e);
  }
  const originals = entries.filter((e) => !e.unconfigured);
  for (const e of originals) {
    if (rng.next() >= DUPLICATE_RATE) continue;
    const at = entries.indexOf(e);
    // A retry right away, or a re-upload later in the day's merge.
    const pos = rng.next() < 0.5 ? at + 1 : at + 1 + rng.int(entries.length - at);
    entries.splice(pos, 0, { text: e.text, kind: 'dup', of: e });
  }
  for (const kind of kinds) {
    const base =
      reports.length > 0 ? reports[rng.int(reports.length)]! : ({ Week: day, LastWeek: '', X: 0.5, Programs: [], Config: CONFIG_VERSION } as GoReport);
    const huge = kind === 'huge' ? (reports.find((r) => r.Programs.some((p) => p.Program === GOPLS)) ?? base) : base;
    const text = malformedLine(kind, kind === 'huge' ? huge : base, day, rng, S);
    entries.splice(rng.int(entries.length + 1), 0, { text, kind: 'malformed', malformed: kind });
  }
  const index = new Map<Entry, number>(entries.map((e, i) => [e, i + 1]));
  const out: DayOutput = { lines: entries.map((e) => e.text), reports: reports.length, malformed: [], duplicates: [], unconfigured: [] };
  entries.forEach((e, i) => {
    if (e.kind === 'dup') out.duplicates.push({ day, line: i + 1, of: index.get(e.of!)! });
    else if (e.kind === 'malformed')
      out.malformed.push({ day, line: i + 1, kind: e.malformed!, bytes: Buffer.byteLength(e.text), ...checkPayload(e.text, day, S) });
    else if (e.unconfigured) out.unconfigured.push({ day, line: i + 1, program: GOPLS, counter: UNCONFIGURED_COUNTER });
  });
  return out;
}

/** The whole population's composition, in the reference format the skew module reads. */
interface ReferenceCensus {
  source: string;
  date: Day;
  size: number;
  dimensions: Record<string, Record<string, number>>;
}

/** Census size of the whole simulated population (installations). */
const POPULATION_SIZE = 2_400_000;

/**
 * A census of the simulated developers, like a developer survey: GOOS, GOARCH
 * and editor shares of the installations that run gopls in a typical week
 * (weighted by their probability of running it). It describes developers, not
 * every installation, so it suits gopls best and the toolchain programs
 * (which CI machines also run) less well, as a real survey would. Shares are
 * rounded down to 4 decimals, so each dimension sums to at most 1.
 */
function referenceCensus(model: DemoModel, date: Day): ReferenceCensus {
  const popW = populationWeights(model);
  const gopls = composition(model.cells, popW, (c) => c.run[GOPLS]!);
  const floor4 = (o: Record<string, number>) => sortKeys(mapValues(o, (v) => Math.floor(v * 1e4) / 1e4));
  return {
    source: 'Demo developer census',
    date,
    size: POPULATION_SIZE,
    dimensions: { GOOS: floor4(gopls.GOOS), GOARCH: floor4(gopls.GOARCH), 'gopls/client': floor4(gopls.editor) },
  };
}

/**
 * The intended opt-in skew: for each reference category, its expected share
 * among opted-in installations' reports divided by its reference share.
 */
function skewRatios(model: DemoModel, ref: ReferenceCensus): Record<string, Record<string, number>> {
  const optW = optedInWeights(model);
  const gopls = composition(model.cells, optW, (c) => c.run[GOPLS]!);
  const ratio = (sample: Record<string, number>, refShares: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, q] of Object.entries(refShares)) if (q > 0) out[k] = round((sample[k] ?? 0) / q);
    return sortKeys(out);
  };
  return {
    GOOS: ratio(gopls.GOOS, ref.dimensions['GOOS']!),
    GOARCH: ratio(gopls.GOARCH, ref.dimensions['GOARCH']!),
    'gopls/client': ratio(gopls.editor, ref.dimensions['gopls/client']!),
  };
}
