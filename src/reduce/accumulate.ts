/**
 * Folds the reports of one archive day into a DayPartial. Counting rules
 * (docs/methodology.md sections 1-2):
 *
 * - A report counts once for a program even when it holds several
 *   ProgramReports of it: their counters are summed, and it has a bucket when
 *   the sum is > 0.
 * - A report is eligible for a chart when X <= min(SampleRate, Rate) and one
 *   of its ProgramReports runs a version that can carry the chart. Only
 *   eligible reports enter the chart's n and its bucket counts.
 * - Breakdowns: per dimension (Version, GOOS, GoVersion) a report counts in
 *   the group of each of its ProgramReports, with eligibility and counters
 *   taken over the ProgramReports in that group only.
 * - A report with X > SampleRate, a program or version outside the upload
 *   config, and counters the config does not list are left out and counted in
 *   the ledger with their reason; nothing is dropped silently.
 */
import type { Day } from '../lib/dates.ts';
import { dict, dictOf } from '../lib/dict.ts';
import { goMajorMinor, versionMajorMinor } from '../lib/versions.ts';
import { internedCount, internedName, NO_ID } from '../parse/intern.ts';
import type { ProgramReport, Report } from '../parse/report.ts';
import { addToBins, binOf, sparseHist } from './histogram.ts';
import {
  type BreakdownCell,
  type Breakdowns,
  type BucketSums,
  CELL_SEPARATOR,
  type ChartPartial,
  type DayPartial,
  emptyBucketSums,
  emptyChart,
  emptyLedger,
  emptyProgram,
  type Ledger,
  type ProgramPartial,
  type StratumCell,
} from './partial.ts';
import {
  BREAKDOWN_DIMENSIONS,
  type BreakdownDimension,
  type CompiledProgram,
  type CompiledSpec,
  METADATA_CHARTS,
  type MetadataChart,
  PIPELINE_VERSION,
  versionEligibility,
} from './spec.ts';

/** Distinct details kept per exclusion reason per day; the rest are summed under one entry. */
const MAX_DETAILS = 50;
const OTHER_DETAILS = '(other values)';

/**
 * Why a part of an accepted report is left out of the estimates (the ledger's
 * `excluded`). Published in quality.json: change a text only on purpose.
 */
export const EXCLUDE = {
  xAboveSampleRate: 'report X above the upload SampleRate',
  unknownProgram: 'program not in the upload config',
  unknownVersion: 'program version not in the upload config',
  emptyProgramField: 'program report with an empty Program',
  unknownCounter: 'counter not in the upload config',
  unknownBucket: "bucket not in its chart's upload config",
  ineligibleCounter: 'counter in a report not eligible for it (X above its Rate, or version before the chart)',
  unknownStack: 'stack counter not in the upload config',
} as const;

/** A report's values of the metadata charts: one per distinct value among its program reports; null for a chart the program does not have. */
type MetadataValues = Record<MetadataChart, string[] | null>;

/** What each metadata chart counts of a program report. */
const METADATA_VALUE: Record<MetadataChart, (p: ProgramReport) => string> = {
  Version: (p) => versionMajorMinor(p.version) || 'unknown',
  GOOS: (p) => p.goos || 'unknown',
  GOARCH: (p) => p.goarch || 'unknown',
  GoVersion: (p) => goMajorMinor(p.goVersion) || 'unknown',
};

interface ChartAcc {
  part: ChartPartial;
  /** Per bucket, in the spec's bucket order. */
  sums: BucketSums[];
  /** Per bucket: reports by histogram bin (histogram.ts), dense; null until the bucket has a count. */
  bins: (number[] | null)[];
}

interface ProgAcc {
  part: ProgramPartial;
  counters: ChartAcc[];
  /** Per stack chart: eligible reports, stack text -> [reports, events], and stack text -> Version group -> reports. */
  stacks: { n: number; stacks: Map<string, [number, number]>; versions: Map<string, Map<string, number>> }[];
  /** Counter id (parse/intern.ts) -> its chart (-1: not in the upload config; UNRESOLVED: not looked up yet) and bucket. */
  idChart: Int32Array;
  idBucket: Int32Array;
  /** Per-report scratch: summed counts per counter chart and bucket (indexed as a BucketKey). */
  scratch: Float64Array[];
  touched: number[];
  /** 1 for the charts in `touched`. */
  isTouched: Uint8Array;
  /** Per counter chart, then per stack chart: is this report eligible for it. */
  eligible: Uint8Array;
  /** Per counter chart, then per stack chart: min(SampleRate, Rate). */
  thresholds: Float64Array;
  /** Cell key -> counts, when the program has stratum dimensions. */
  cells: Map<string, CellAcc> | null;
  /** The program's breakdown dimensions (no Version for the toolchain) and, per dimension, group -> counts. */
  dims: BreakdownDimension[];
  groups: Map<string, GroupAcc>[];
}

/** One breakdown group: per counter chart, eligible reports and, per bucket (spec order), reports with it (null until one has). */
interface GroupAcc {
  n: Float64Array;
  x: (Float64Array | null)[];
}

interface CellAcc {
  n: number;
  /** Per counter chart: eligible reports and, per bucket (spec order), reports with it. */
  charts: { n: number; withBucket: Float64Array }[];
  /** Per metadata chart: value -> reports. */
  meta: Record<MetadataChart, Map<string, number>>;
}

export class DayAccumulator {
  readonly ledger: Ledger = emptyLedger();
  private reports = 0;
  private readonly progs = new Map<string, ProgAcc>();

  constructor(
    private readonly compiled: CompiledSpec,
    readonly day: Day,
  ) {}

  /** Records a part of a report left out of the estimates. */
  private exclude(reason: string, detail: string, sign = 1) {
    const m = (this.ledger.excluded[reason] ??= dict());
    if (m[detail] === undefined && Object.keys(m).length >= MAX_DETAILS) detail = OTHER_DETAILS;
    m[detail] = (m[detail] ?? 0) + sign;
    if (m[detail] === 0) delete m[detail];
  }

  /**
   * Adds (sign 1) or removes (sign -1, when a later line with the same X
   * replaces it) one report that parse accepted (parse/validate.ts).
   */
  add(r: Report, sign: 1 | -1) {
    this.ledger.accepted += sign;
    if (r.x > this.compiled.spec.sampleRate) {
      this.exclude(EXCLUDE.xAboveSampleRate, String(this.compiled.spec.sampleRate), sign);
      return;
    }
    this.reports += sign;
    // Group the report's ProgramReports by program; reports rarely hold more than three.
    const groups: { prog: CompiledProgram; prs: ProgramReport[] }[] = [];
    for (const pr of r.programs) {
      if (pr.program === '') {
        this.exclude(EXCLUDE.emptyProgramField, '', sign);
        continue;
      }
      const prog = this.compiled.programs.get(pr.program);
      if (!prog) {
        this.exclude(EXCLUDE.unknownProgram, pr.program, sign);
        continue;
      }
      if (prog.versions && !prog.versions.has(pr.version)) {
        this.exclude(EXCLUDE.unknownVersion, `${pr.program}@${pr.version}`, sign);
        continue;
      }
      let g = groups.find((x) => x.prog === prog);
      if (!g) groups.push((g = { prog, prs: [] }));
      g.prs.push(pr);
    }
    for (const g of groups) this.addProgram(r.x, g.prog, g.prs, sign);
  }

  private acc(prog: CompiledProgram): ProgAcc {
    let a = this.progs.get(prog.spec.program);
    if (!a) {
      const counters = prog.spec.counters.map((c) => ({ part: emptyChart(), sums: c.buckets.map(emptyBucketSums), bins: c.buckets.map(() => null) }));
      a = {
        part: emptyProgram(),
        counters,
        stacks: prog.spec.stacks.map(() => ({ n: 0, stacks: new Map(), versions: new Map() })),
        idChart: new Int32Array(0),
        idBucket: new Int32Array(0),
        scratch: prog.spec.counters.map((c) => new Float64Array(c.buckets.length)),
        touched: [],
        isTouched: new Uint8Array(prog.spec.counters.length),
        eligible: new Uint8Array(prog.spec.counters.length + prog.spec.stacks.length),
        thresholds: Float64Array.from([...prog.spec.counters, ...prog.spec.stacks], (c) => c.threshold),
        cells: prog.strata.length ? new Map() : null,
        dims: BREAKDOWN_DIMENSIONS.filter((d) => !(d === 'Version' && prog.spec.toolchain)),
        groups: [],
      };
      a.groups = a.dims.map(() => new Map());
      this.progs.set(prog.spec.program, a);
    }
    return a;
  }

  private addProgram(x: number, prog: CompiledProgram, prs: ProgramReport[], sign: 1 | -1) {
    const a = this.acc(prog);
    const spec = prog.spec;
    a.part.reports += sign;

    // Metadata charts: one count per distinct value, so a system with k values
    // has composition 1/k in each.
    // The toolchain's version is its Go version: it has no Version chart.
    const meta: MetadataValues = {
      Version: spec.toolchain ? null : distinct(prs, METADATA_VALUE.Version),
      GOOS: distinct(prs, METADATA_VALUE.GOOS),
      GOARCH: distinct(prs, METADATA_VALUE.GOARCH),
      GoVersion: distinct(prs, METADATA_VALUE.GoVersion),
    };
    for (const m of METADATA_CHARTS) {
      const values = meta[m];
      if (values) addMeta(a.part.meta[m], values, sign);
    }

    // Eligibility per counter and stack chart.
    const nCounters = spec.counters.length;
    const elig = a.eligible;
    elig.fill(0);
    for (const pr of prs) {
      const ok = versionEligibility(prog, pr.version);
      for (let c = 0; c < elig.length; c++) elig[c] = elig[c]! | ok[c]!;
    }
    const thresholds = a.thresholds;
    for (let c = 0; c < elig.length; c++) if (x > thresholds[c]!) elig[c] = 0;
    for (let c = 0; c < nCounters; c++) if (elig[c]) a.counters[c]!.part.n += sign;
    for (let c = 0; c < spec.stacks.length; c++) if (elig[nCounters + c]) a.stacks[c]!.n += sign;

    // Counters: sum over the program's reports into per-chart scratch.
    const touched = a.touched;
    for (const pr of prs) {
      const names = pr.counterNames;
      const values = pr.counterValues;
      const ids = pr.counterIds;
      for (let k = 0; k < names.length; k++) {
        const c = counterChart(a, prog, ids, names, k);
        if (c < 0) {
          this.unknownCounter(prog, names[k]!, sign);
          continue;
        }
        if (!elig[c]) {
          this.exclude(EXCLUDE.ineligibleCounter, names[k]!, sign);
          continue;
        }
        const sc = a.scratch[c]!;
        if (!a.isTouched[c]) {
          a.isTouched[c] = 1;
          touched.push(c);
        }
        sc[foundBucket]! += values[k]!;
      }
    }
    if (a.cells) this.addToCell(a, prog, prs, meta, sign);
    if (nCounters > 0) addToGroups(a, prog, prs, meta, x, sign);
    for (const c of touched) {
      const sc = a.scratch[c]!;
      const ch = a.counters[c]!;
      let t = 0;
      for (let b = 0; b < sc.length; b++) t += sc[b]!;
      if (t > 0) {
        ch.part.nPos += sign;
        ch.part.tot += sign * t;
        ch.part.tot2 += sign * t * t;
        const sums = ch.sums;
        for (let b = 0; b < sc.length; b++) {
          const v = sc[b]!;
          if (v > 0) {
            const s = sums[b]!;
            const f = v / t;
            s.reports += sign;
            s.sum += sign * v;
            s.sumSq += sign * v * v;
            s.sumTimesTotal += sign * v * t;
            s.sumFraction += sign * f;
            s.sumFractionSq += sign * f * f;
            // A removed report cannot lower the maximum; it stays an upper bound.
            if (v > s.max) s.max = v;
            addToBins((ch.bins[b] ??= []), binOf(v), sign);
          }
        }
      }
      sc.fill(0);
      a.isTouched[c] = 0;
    }
    touched.length = 0;

    // Stacks: counter name is the first line of the stack text. A report
    // counts in the Version group of each program report holding the stack
    // (none for the toolchain, which has no Version).
    let perReport: Map<string, { c: number; v: number; groups: string[] }> | null = null;
    for (const pr of prs) {
      for (let k = 0; k < pr.stackNames.length; k++) {
        const text = pr.stackNames[k]!;
        const nl = text.indexOf('\n');
        const name = nl < 0 ? text : text.slice(0, nl);
        const colon = name.indexOf(':');
        const c = prog.stackCharts.get(colon < 0 ? name : name.slice(0, colon));
        if (c === undefined) {
          this.exclude(EXCLUDE.unknownStack, name, sign);
          continue;
        }
        if (!elig[nCounters + c]) {
          this.exclude(EXCLUDE.ineligibleCounter, name, sign);
          continue;
        }
        perReport ??= new Map();
        const v = pr.stackValues[k]!;
        let e = perReport.get(text);
        if (e) e.v += v;
        else perReport.set(text, (e = { c, v, groups: [] }));
        if (v > 0 && !spec.toolchain) {
          const g = METADATA_VALUE.Version(pr);
          if (!e.groups.includes(g)) e.groups.push(g);
        }
      }
    }
    if (perReport) {
      for (const [text, { c, v, groups }] of perReport) {
        if (v <= 0) continue;
        const st = a.stacks[c]!;
        const m = st.stacks;
        const e = m.get(text);
        if (e) {
          e[0] += sign;
          e[1] += sign * v;
          if (e[0] === 0) m.delete(text);
        } else m.set(text, [sign, sign * v]);
        if (groups.length === 0) continue;
        let byGroup = st.versions.get(text);
        if (!byGroup) st.versions.set(text, (byGroup = new Map()));
        for (const g of groups) {
          const r = (byGroup.get(g) ?? 0) + sign;
          if (r === 0) byGroup.delete(g);
          else byGroup.set(g, r);
        }
        if (byGroup.size === 0) st.versions.delete(text);
      }
    }
  }

  /**
   * Counts the report in its stratum cell: per dimension, the metadata value of
   * the program report with the most counts (ties: the smallest value), or the
   * chart bucket with the most counts (ties: the first in config order); ""
   * when the report has no events of that chart or is not eligible for it.
   * Runs while the per-chart sums are still in the scratch arrays.
   */
  private addToCell(a: ProgAcc, prog: CompiledProgram, prs: ProgramReport[], meta: MetadataValues, sign: number) {
    const parts: string[] = [];
    for (const d of prog.strata) {
      if (d.kind === 'metadata') {
        // A stratum dimension is never a chart the program lacks (spec.ts), so its values are there.
        const values = meta[d.chart]!;
        if (values.length === 1) parts.push(values[0]!);
        else parts.push(primaryValue(prs, d.chart));
      } else {
        const c = d.counter;
        const sc = a.scratch[c]!;
        let best = -1;
        for (let b = 0; b < sc.length; b++) if (sc[b]! > 0 && (best < 0 || sc[b]! > sc[best]!)) best = b;
        parts.push(best < 0 || !a.eligible[c] ? '' : prog.spec.counters[c]!.buckets[best]!);
      }
    }
    const key = parts.join(CELL_SEPARATOR);
    let cell = a.cells!.get(key);
    if (!cell) {
      cell = {
        n: 0,
        charts: prog.spec.counters.map((c) => ({ n: 0, withBucket: new Float64Array(c.buckets.length) })),
        meta: { Version: new Map(), GOOS: new Map(), GOARCH: new Map(), GoVersion: new Map() },
      };
      a.cells!.set(key, cell);
    }
    cell.n += sign;
    for (let c = 0; c < prog.spec.counters.length; c++) if (a.eligible[c]) cell.charts[c]!.n += sign;
    // Only charts with counts this report can have buckets to count.
    for (const c of a.touched) {
      const withBucket = cell.charts[c]!.withBucket;
      const sc = a.scratch[c]!;
      for (let b = 0; b < sc.length; b++) if (sc[b]! > 0) withBucket[b]! += sign;
    }
    for (const m of METADATA_CHARTS) {
      const values = meta[m];
      if (!values) continue;
      const mm = cell.meta[m];
      for (const v of values) mm.set(v, (mm.get(v) ?? 0) + sign);
    }
  }

  private unknownCounter(prog: CompiledProgram, name: string, sign: number) {
    const colon = name.indexOf(':');
    const chart = colon < 0 ? name : name.slice(0, colon);
    this.exclude(prog.counterCharts.has(chart) ? EXCLUDE.unknownBucket : EXCLUDE.unknownCounter, name, sign);
  }

  toPartial(specId: string, sha256: string): DayPartial {
    const programs = dict<ProgramPartial>();
    for (const prog of this.compiled.spec.programs) {
      const a = this.progs.get(prog.program);
      if (!a || a.part.reports === 0) continue;
      const out = a.part;
      prog.counters.forEach((c, ci) => {
        const ch = a.counters[ci]!;
        const buckets = dict<BucketSums>();
        c.buckets.forEach((b, bi) => {
          const s = ch.sums[bi]!;
          const bins = ch.bins[bi];
          if (bins) {
            const hist = sparseHist(bins);
            if (hist.length > 0) s.hist = hist;
          }
          if (!isZero(s)) buckets[b] = s;
        });
        out.charts[c.chart] = { ...ch.part, buckets };
      });
      prog.stacks.forEach((c, ci) => {
        const st = a.stacks[ci]!;
        const versions = dict<Record<string, number>>();
        for (const [text, byGroup] of st.versions) versions[text] = dictOf(byGroup);
        out.stacks[c.chart] = { n: st.n, stacks: dictOf(st.stacks), versions };
      });
      out.breakdowns = breakdownsOf(a, prog.counters);
      if (a.cells) {
        const cells = dict<StratumCell>();
        for (const [key, cell] of a.cells) {
          if (cell.n === 0) continue;
          const charts: StratumCell['charts'] = dict();
          prog.counters.forEach((c, ci) => {
            const cc = cell.charts[ci]!;
            if (cc.n === 0) return;
            const x = dict<number>();
            c.buckets.forEach((b, bi) => {
              if (cc.withBucket[bi] !== 0) x[b] = cc.withBucket[bi]!;
            });
            charts[c.chart] = { n: cc.n, x };
          });
          const meta: StratumCell['meta'] = dict();
          for (const m of METADATA_CHARTS) {
            const values = [...cell.meta[m]].filter(([, v]) => v !== 0);
            if (values.length) meta[m] = dictOf(values);
          }
          cells[key] = { n: cell.n, charts, meta };
        }
        out.strata = { dims: prog.strata, cells };
      }
      programs[prog.program] = out;
    }
    return { pipelineVersion: PIPELINE_VERSION, spec: specId, day: this.day, sha256, ledger: this.ledger, reports: this.reports, programs };
  }
}

const UNRESOLVED = -2;

/** The bucket of the counter counterChart() found last. */
let foundBucket = 0;

/**
 * The counter chart of counter k of a program report (-1 when the upload
 * config does not list it), its bucket left in foundBucket. By the counter's
 * id (parse/intern.ts), resolved once a day per program; by name when it has none.
 */
function counterChart(a: ProgAcc, prog: CompiledProgram, ids: number[] | undefined, names: string[], k: number): number {
  const id = ids === undefined ? NO_ID : ids[k]!;
  if (id === NO_ID) {
    const key = prog.counterIndex.get(names[k]!);
    if (key === undefined) return -1;
    foundBucket = key.bucket;
    return key.chart;
  }
  if (id >= a.idChart.length) {
    const chart = new Int32Array(Math.max(2 * a.idChart.length, internedCount(), id + 1)).fill(UNRESOLVED);
    chart.set(a.idChart);
    const bucket = new Int32Array(chart.length);
    bucket.set(a.idBucket);
    a.idChart = chart;
    a.idBucket = bucket;
  }
  let c = a.idChart[id]!;
  if (c === UNRESOLVED) {
    const key = prog.counterIndex.get(internedName(id));
    c = key === undefined ? -1 : key.chart;
    a.idChart[id] = c;
    a.idBucket[id] = key === undefined ? 0 : key.bucket;
  }
  foundBucket = a.idBucket[id]!;
  return c;
}

function groupAcc(a: ProgAcc, d: number, group: string): GroupAcc {
  const m = a.groups[d]!;
  let g = m.get(group);
  if (!g) {
    g = { n: new Float64Array(a.counters.length), x: a.counters.map(() => null) };
    m.set(group, g);
  }
  return g;
}

/**
 * Counts the report in its breakdown groups. With one program report (the
 * usual case) its group's eligibility and counts are the report's, still in
 * the scratch arrays. With several, each group's are taken over its own
 * program reports.
 */
function addToGroups(a: ProgAcc, prog: CompiledProgram, prs: ProgramReport[], meta: MetadataValues, x: number, sign: number) {
  const nCounters = a.counters.length;
  if (prs.length === 1) {
    // The report's metadata values are its one program report's.
    for (let d = 0; d < a.dims.length; d++) {
      const g = groupAcc(a, d, meta[a.dims[d]!]![0]!);
      for (let c = 0; c < nCounters; c++) if (a.eligible[c]) g.n[c]! += sign;
      for (const c of a.touched) {
        const sc = a.scratch[c]!;
        const xs = (g.x[c] ??= new Float64Array(sc.length));
        for (let b = 0; b < sc.length; b++) if (sc[b]! > 0) xs[b]! += sign;
      }
    }
    return;
  }
  for (let d = 0; d < a.dims.length; d++) {
    const byGroup = new Map<string, ProgramReport[]>();
    for (const pr of prs) {
      const v = METADATA_VALUE[a.dims[d]!](pr);
      const members = byGroup.get(v);
      if (members) members.push(pr);
      else byGroup.set(v, [pr]);
    }
    for (const [group, members] of byGroup) {
      const elig = new Uint8Array(nCounters);
      for (const pr of members) {
        const ok = versionEligibility(prog, pr.version);
        for (let c = 0; c < nCounters; c++) elig[c] = elig[c]! | ok[c]!;
      }
      for (let c = 0; c < nCounters; c++) if (x > a.thresholds[c]!) elig[c] = 0;
      const sums: (Float64Array | null)[] = new Array(nCounters).fill(null);
      for (const pr of members) {
        for (let k = 0; k < pr.counterNames.length; k++) {
          const c = counterChart(a, prog, pr.counterIds, pr.counterNames, k);
          if (c < 0 || !elig[c]) continue;
          (sums[c] ??= new Float64Array(a.counters[c]!.sums.length))[foundBucket]! += pr.counterValues[k]!;
        }
      }
      const g = groupAcc(a, d, group);
      for (let c = 0; c < nCounters; c++) {
        if (!elig[c]) continue;
        g.n[c]! += sign;
        const sc = sums[c];
        if (!sc) continue;
        const xs = (g.x[c] ??= new Float64Array(sc.length));
        for (let b = 0; b < sc.length; b++) if (sc[b]! > 0) xs[b]! += sign;
      }
    }
  }
}

/** The breakdown cells of a program, groups sorted so the partial's bytes do not depend on the order of reports. */
function breakdownsOf(a: ProgAcc, counters: CompiledProgram['spec']['counters']): Breakdowns {
  const out: Breakdowns = {};
  a.dims.forEach((dim, d) => {
    const groups = dict<Record<string, BreakdownCell>>();
    for (const group of [...a.groups[d]!.keys()].sort()) {
      const g = a.groups[d]!.get(group)!;
      const charts = dict<BreakdownCell>();
      counters.forEach((c, ci) => {
        if (g.n[ci] === 0) return;
        const x = dict<number>();
        const xs = g.x[ci];
        if (xs) c.buckets.forEach((b, bi) => xs[bi] !== 0 && (x[b] = xs[bi]!));
        charts[c.chart] = { n: g.n[ci]!, x };
      });
      if (Object.keys(charts).length > 0) groups[group] = charts;
    }
    if (Object.keys(groups).length > 0) out[dim] = groups;
  });
  return out;
}

/** The metadata value of the program report with the largest counter total; ties go to the smallest value. */
function primaryValue(prs: ProgramReport[], m: MetadataChart): string {
  let best = '';
  let bestTotal = -1;
  for (const pr of prs) {
    let t = 0;
    for (const v of pr.counterValues) t += v;
    const value = METADATA_VALUE[m](pr);
    if (t > bestTotal || (t === bestTotal && value < best)) {
      best = value;
      bestTotal = t;
    }
  }
  return best;
}

function distinct(prs: ProgramReport[], f: (p: ProgramReport) => string): string[] {
  if (prs.length === 1) return [f(prs[0]!)];
  return [...new Set(prs.map(f))];
}

function addMeta(ch: ChartPartial, values: string[], sign: number) {
  const k = values.length;
  ch.n += sign;
  ch.nPos += sign;
  ch.tot += sign * k;
  ch.tot2 += sign * k * k;
  for (const v of values) {
    const s = (ch.buckets[v] ??= emptyBucketSums());
    s.reports += sign;
    s.sum += sign;
    s.sumSq += sign;
    s.sumTimesTotal += sign * k;
    s.sumFraction += sign / k;
    s.sumFractionSq += sign / (k * k);
    s.max = 1;
  }
}

function isZero(s: BucketSums): boolean {
  return (
    s.hist === undefined &&
    s.reports === 0 &&
    s.sum === 0 &&
    s.sumSq === 0 &&
    s.sumTimesTotal === 0 &&
    s.sumFraction === 0 &&
    s.sumFractionSq === 0 &&
    s.max === 0
  );
}
