/**
 * The statistical mode: one week bin of one program, drawn fresh (each report
 * an independent installation from the opted-in or whole population) in
 * memory, with the exact expectations it converges to. Tests run hundreds of
 * seeded replications of this to check estimators and interval coverage.
 */
import { createRng, searchCumulative } from '../lib/random.ts';
import { addDays, type Day, daysBetween } from '../lib/dates.ts';
import { goReportLine, type GoReport } from './gojson.ts';
import { buildModel, DEFAULT_END, DEFAULT_WEEKS, type DemoModel, SAMPLE_RATE, type Selection } from './model.ts';
import { finalizeReport, Simulator } from './simulate.ts';
import { chartInfos, type TruthChart, programWeekTruth, type ProgramWeekTruth } from './truth.ts';

export interface WeekSampleOptions {
  /** Seed of this replication's draws. */
  seed: number;
  /** Program name, e.g. `golang.org/x/tools/gopls`. */
  program: string;
  /** Week bin: its 0-based index in the window or its Sunday (default: the last). */
  week?: number | Day;
  /** Number of uploaded reports (distinct, before duplicates). Default 2,000. */
  n?: number;
  /** Draw installations from the opted-in population (default) or the whole population. */
  population?: 'opted-in' | 'whole';
  /** Fraction of reports uploaded twice (exact duplicate lines). Default 0. */
  duplicateRate?: number;
  /** Render archive lines too (default true). */
  lines?: boolean;
  /** The model: window length, last day, and the seed that fixes the stack catalogs (default 1). */
  weeks?: number;
  end?: Day;
  modelSeed?: number;
  /** What opt-in depends on (default `full`, as in the demo archive); see Selection. */
  selection?: Selection;
}

export interface WeekSample {
  program: string;
  /** The week bin's Sunday. */
  week: Day;
  weekIndex: number;
  sampleRate: number;
  /** Rate of each chart of the program. */
  rates: Record<string, number>;
  /** Reports in file order; a duplicate is the same object again. */
  reports: GoReport[];
  /** The same reports as archive lines (without newlines); empty when `lines: false`. */
  lines: string[];
  duplicates: number;
  /** Every chart of the program with its buckets (config charts, then Version, GOOS, GOARCH, GoVersion). */
  charts: TruthChart[];
  /**
   * Exact expectations: `sample` for the population the reports were drawn
   * from (what unbiased estimates converge to), `population` for the whole
   * population (what skew-adjusted estimates aim at).
   */
  truth: { sample: ProgramWeekTruth; population: ProgramWeekTruth };
}

interface Prepared {
  model: DemoModel;
  sim: Simulator;
  truth: Map<string, ProgramWeekTruth>;
}
const prepared = new Map<string, Prepared>();

function prepare(modelSeed: number, weeks: number, selection: Selection): Prepared {
  const key = `${modelSeed}|${weeks}|${selection}`;
  let p = prepared.get(key);
  if (!p) {
    const model = buildModel(modelSeed, weeks, selection);
    p = { model, sim: new Simulator(model), truth: new Map() };
    prepared.set(key, p);
  }
  return p;
}

/** Draws one week of one program's reports; see WeekSampleOptions for defaults. */
export function generateWeekSample(opts: WeekSampleOptions): WeekSample {
  const weeks = opts.weeks ?? DEFAULT_WEEKS;
  const end = opts.end ?? DEFAULT_END;
  const { model, sim, truth } = prepare(opts.modelSeed ?? 1, weeks, opts.selection ?? 'full');
  const pi = sim.programIndex.get(opts.program);
  if (pi === undefined) throw new RangeError(`unknown demo program ${JSON.stringify(opts.program)}`);
  const p = model.programs[pi]!;
  let w: number;
  if (opts.week === undefined) w = weeks - 1;
  else if (typeof opts.week === 'number') w = opts.week;
  else w = weeks - 1 - daysBetween(opts.week, end) / 7;
  if (!Number.isInteger(w) || w < 0 || w >= weeks) throw new RangeError(`week ${String(opts.week)} is outside the ${weeks}-week window ending ${end}`);
  const sunday = addDays(end, -7 * (weeks - 1 - w));
  const whole = opts.population === 'whole';
  const n = opts.n ?? 2000;
  const S = SAMPLE_RATE;

  const sampleW = model.cells.map((c) => (whole ? c.q : c.q * c.optIn));
  const popW = model.cells.map((c) => c.q);
  const truthOf = (kind: string, weights: number[]) => {
    const k = `${pi}|${w}|${kind}`;
    let t = truth.get(k);
    if (!t) {
      t = programWeekTruth(sim, pi, w, weights);
      truth.set(k, t);
    }
    return t;
  };

  // Installations that ran the program this week, drawn by weight.
  const cum = new Float64Array(model.cells.length);
  let s = 0;
  model.cells.forEach((c, i) => (cum[i] = s += sampleW[i]! * c.run[p.name]!));
  const rng = createRng(`${opts.seed}|sample|${opts.program}|${w}|${whole ? 'whole' : 'opt'}`);
  const days = Array.from({ length: 7 }, (_, k) => addDays(sunday, k - 6));
  const lastWeeks = days.map((d) => addDays(d, -7));
  const reports: GoReport[] = [];
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    const cell = model.cells[searchCumulative(cum, rng.next() * s)]!;
    const k = rng.int(7);
    let x = rng.nextDouble();
    while (x > S) x = rng.nextDouble();
    const goIdx = sim.drawGo(rng, cell, w);
    const split = rng.next() < model.goUpgradeSplit;
    const prs = sim.simulateProgram(pi, cell, w, rng, goIdx, split);
    const r = finalizeReport(days[k]!, rng.next() < 0.9 ? lastWeeks[k]! : '', x, prs, rng.next() < 0.1);
    reports.push(r);
    if (opts.duplicateRate && rng.next() < opts.duplicateRate) {
      reports.push(r);
      duplicates++;
    }
  }
  return {
    program: p.name,
    week: sunday,
    weekIndex: w,
    sampleRate: S,
    rates: Object.fromEntries(p.charts.map((ch) => [ch.chart, ch.rate])),
    reports,
    lines: opts.lines === false ? [] : reports.map(goReportLine),
    duplicates,
    charts: chartInfos(model, pi),
    truth: { sample: truthOf(whole ? 'whole' : 'opt', sampleW), population: truthOf('whole', popW) },
  };
}
