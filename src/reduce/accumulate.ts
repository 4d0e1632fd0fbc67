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
 * - A report with X > SampleRate, a program or version outside the upload
 *   config, and counters the config does not list are left out and counted in
 *   the ledger with their reason; nothing is dropped silently.
 */
import type { Day } from '../lib/dates.ts';
import { isDay } from '../lib/dates.ts';
import { dict, dictOf } from '../lib/dict.ts';
import { goMajorMinor, versionMajorMinor } from '../lib/versions.ts';
import type { ProgramReport, Report } from '../parse/report.ts';
import {
  CROSS,
  type DayPartial,
  emptyChart,
  emptyLedger,
  emptyProgram,
  FRAC,
  FRAC2,
  MAXC,
  type ChartPartial,
  type Ledger,
  type ProgramPartial,
  type StratumCell,
  CELL_SEPARATOR,
  STATS,
  SUM,
  SUMSQ,
  X,
} from './partial.ts';
import { type CompiledProgram, type CompiledSpec, METADATA_CHARTS, PIPELINE_VERSION, versionEligibility } from './spec.ts';

const MAX_EXAMPLES = 3;
const EXAMPLE_CHARS = 240;
/** Distinct details kept per exclusion reason per day; the rest are summed under one entry. */
const MAX_DETAILS = 50;
const OTHER_DETAILS = '(other values)';

export const REASON = {
  weekMismatch: "Week is not the file's date",
  weekNotDate: 'Week is not a YYYY-MM-DD date',
  lastWeek: 'LastWeek is neither empty nor a date before Week',
  xRange: 'X is not a number in [0, 1]',
  emptyLine: 'empty line',
  tooLong: 'line longer than the limit',
  // JSON numbers are doubles: a count above 2^53 - 1 (Go's counters are
  // uint64) cannot be held exactly, so its line is rejected rather than rounded.
  counterRange: 'counter value out of range (above 2^53-1)',
  // exclusions (parts of accepted reports)
  xAboveSampleRate: 'report X above the upload SampleRate',
  unknownProgram: 'program not in the upload config',
  unknownVersion: 'program version not in the upload config',
  emptyProgramField: 'program report with an empty Program',
  unknownCounter: 'counter not in the upload config',
  unknownBucket: "bucket not in its chart's upload config",
  ineligibleCounter: 'counter in a report not eligible for it (X above its Rate, or version before the chart)',
  unknownStack: 'stack counter not in the upload config',
} as const;

/** The reason a parsed report cannot be used, or null. Shared by both parse paths. */
export function checkReport(r: Report, day: Day): string | null {
  if (r.week !== day) return isDay(r.week) ? REASON.weekMismatch : REASON.weekNotDate;
  if (r.lastWeek !== '' && !(isDay(r.lastWeek) && r.lastWeek < r.week)) return REASON.lastWeek;
  if (!(r.x >= 0 && r.x <= 1)) return REASON.xRange;
  return null;
}

interface ChartAcc {
  part: ChartPartial;
  /** Bucket stats, STATS per bucket, in the spec's bucket order. */
  stats: Float64Array;
}

interface ProgAcc {
  part: ProgramPartial;
  counters: ChartAcc[];
  meta: ChartPartial[];
  stacks: { n: number; stacks: Map<string, [number, number]> }[];
  /** Per-report scratch: summed counts per chart and bucket. */
  scratch: Float64Array[];
  touched: number[];
  /** 1 for the charts in `touched`. */
  isTouched: Uint8Array;
  eligible: Uint8Array;
  /** Per counter then stack chart: min(SampleRate, Rate). */
  thresholds: Float64Array;
  /** Cell key -> counts, when the program has stratum dimensions. */
  cells: Map<string, CellAcc> | null;
}

interface CellAcc {
  n: number;
  /** Per counter chart: [eligible reports, then reports with each bucket]. */
  charts: Float64Array[];
  /** Per metadata chart: value -> reports. */
  meta: Map<string, number>[];
}

export class DayAccumulator {
  readonly ledger: Ledger = emptyLedger();
  private reports = 0;
  private readonly progs = new Map<string, ProgAcc>();

  constructor(
    private readonly compiled: CompiledSpec,
    readonly day: Day,
  ) {}

  /** Records a line that is not used at all. */
  reject(reason: string, lineNo: number, text: string) {
    const l = this.ledger;
    l.rejected[reason] = (l.rejected[reason] ?? 0) + 1;
    const ex = (l.examples[reason] ??= []);
    if (ex.length < MAX_EXAMPLES) ex.push({ line: lineNo, text: text.length > EXAMPLE_CHARS ? text.slice(0, EXAMPLE_CHARS) + '…' : text });
  }

  /** Records a part of a report left out of the estimates. */
  exclude(reason: string, detail: string, sign = 1) {
    const m = (this.ledger.excluded[reason] ??= dict());
    if (m[detail] === undefined && Object.keys(m).length >= MAX_DETAILS) detail = OTHER_DETAILS;
    m[detail] = (m[detail] ?? 0) + sign;
    if (m[detail] === 0) delete m[detail];
  }

  /**
   * Adds (sign 1) or removes (sign -1, when a later line with the same X
   * replaces it) one report that passed checkReport.
   */
  add(r: Report, sign: 1 | -1) {
    this.ledger.accepted += sign;
    if (r.x > this.compiled.spec.sampleRate) {
      this.exclude(REASON.xAboveSampleRate, String(this.compiled.spec.sampleRate), sign);
      return;
    }
    this.reports += sign;
    // Group the report's ProgramReports by program; reports rarely hold more than three.
    const groups: { prog: CompiledProgram; prs: ProgramReport[] }[] = [];
    for (const pr of r.programs) {
      if (pr.program === '') {
        this.exclude(REASON.emptyProgramField, '', sign);
        continue;
      }
      const prog = this.compiled.programs.get(pr.program);
      if (!prog) {
        this.exclude(REASON.unknownProgram, pr.program, sign);
        continue;
      }
      if (prog.versions && !prog.versions.has(pr.version)) {
        this.exclude(REASON.unknownVersion, `${pr.program}@${pr.version}`, sign);
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
      const counters = prog.spec.counters.map((c) => ({ part: emptyChart(), stats: new Float64Array(c.buckets.length * STATS) }));
      a = {
        part: emptyProgram(),
        counters,
        meta: [],
        stacks: prog.spec.stacks.map(() => ({ n: 0, stacks: new Map() })),
        scratch: prog.spec.counters.map((c) => new Float64Array(c.buckets.length)),
        touched: [],
        isTouched: new Uint8Array(prog.spec.counters.length),
        eligible: new Uint8Array(prog.spec.counters.length + prog.spec.stacks.length),
        thresholds: Float64Array.from([...prog.spec.counters, ...prog.spec.stacks], (c) => c.threshold),
        cells: prog.strata.length ? new Map() : null,
      };
      a.meta = METADATA_CHARTS.map((m) => a!.part.meta[m]);
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
    const meta = META_VALUE.map((f, m) => (m === 0 && spec.toolchain ? null : distinct(prs, f)));
    for (let m = 0; m < 4; m++) if (meta[m]) addMeta(a.meta[m]!, meta[m]!, sign);

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
      for (let k = 0; k < names.length; k++) {
        const name = names[k]!;
        const idx = prog.counterIndex.get(name);
        if (idx === undefined) {
          this.unknownCounter(prog, name, sign);
          continue;
        }
        const c = (idx / 65536) | 0;
        if (!elig[c]) {
          this.exclude(REASON.ineligibleCounter, name, sign);
          continue;
        }
        const sc = a.scratch[c]!;
        if (!a.isTouched[c]) {
          a.isTouched[c] = 1;
          touched.push(c);
        }
        sc[idx & 0xffff]! += values[k]!;
      }
    }
    if (a.cells) this.addToCell(a, prog, prs, meta, sign);
    for (const c of touched) {
      const sc = a.scratch[c]!;
      const ch = a.counters[c]!;
      let t = 0;
      for (let b = 0; b < sc.length; b++) t += sc[b]!;
      if (t > 0) {
        ch.part.nPos += sign;
        ch.part.tot += sign * t;
        ch.part.tot2 += sign * t * t;
        const st = ch.stats;
        for (let b = 0; b < sc.length; b++) {
          const v = sc[b]!;
          if (v > 0) {
            const o = b * STATS;
            const f = v / t;
            st[o + X]! += sign;
            st[o + SUM]! += sign * v;
            st[o + SUMSQ]! += sign * v * v;
            st[o + CROSS]! += sign * v * t;
            st[o + FRAC]! += sign * f;
            st[o + FRAC2]! += sign * f * f;
            // A removed report cannot lower the maximum; it stays an upper bound.
            if (v > st[o + MAXC]!) st[o + MAXC] = v;
          }
        }
      }
      sc.fill(0);
      a.isTouched[c] = 0;
    }
    touched.length = 0;

    // Stacks: counter name is the first line of the stack text.
    let perReport: Map<string, { c: number; v: number }> | null = null;
    for (const pr of prs) {
      for (let k = 0; k < pr.stackNames.length; k++) {
        const text = pr.stackNames[k]!;
        const nl = text.indexOf('\n');
        const name = nl < 0 ? text : text.slice(0, nl);
        const colon = name.indexOf(':');
        const c = prog.stackCharts.get(colon < 0 ? name : name.slice(0, colon));
        if (c === undefined) {
          this.exclude(REASON.unknownStack, name, sign);
          continue;
        }
        if (!elig[nCounters + c]) {
          this.exclude(REASON.ineligibleCounter, name, sign);
          continue;
        }
        perReport ??= new Map();
        const e = perReport.get(text);
        if (e) e.v += pr.stackValues[k]!;
        else perReport.set(text, { c, v: pr.stackValues[k]! });
      }
    }
    if (perReport) {
      for (const [text, { c, v }] of perReport) {
        if (v <= 0) continue;
        const m = a.stacks[c]!.stacks;
        const e = m.get(text);
        if (e) {
          e[0] += sign;
          e[1] += sign * v;
          if (e[0] === 0) m.delete(text);
        } else m.set(text, [sign, sign * v]);
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
  private addToCell(a: ProgAcc, prog: CompiledProgram, prs: ProgramReport[], meta: (string[] | null)[], sign: number) {
    const parts: string[] = [];
    for (const d of prog.strata) {
      if (d >= 0) {
        const values = meta[d]!;
        if (values.length === 1) parts.push(values[0]!);
        else parts.push(primaryValue(prs, d));
      } else {
        const c = -1 - d;
        const sc = a.scratch[c]!;
        let best = -1;
        for (let b = 0; b < sc.length; b++) if (sc[b]! > 0 && (best < 0 || sc[b]! > sc[best]!)) best = b;
        parts.push(best < 0 || !a.eligible[c] ? '' : prog.spec.counters[c]!.buckets[best]!);
      }
    }
    const key = parts.join(CELL_SEPARATOR);
    let cell = a.cells!.get(key);
    if (!cell) {
      cell = { n: 0, charts: prog.spec.counters.map((c) => new Float64Array(c.buckets.length + 1)), meta: [new Map(), new Map(), new Map(), new Map()] };
      a.cells!.set(key, cell);
    }
    cell.n += sign;
    for (let c = 0; c < prog.spec.counters.length; c++) if (a.eligible[c]) cell.charts[c]![0]! += sign;
    // Only charts with counts this report can have buckets to count.
    for (const c of a.touched) {
      const cc = cell.charts[c]!;
      const sc = a.scratch[c]!;
      for (let b = 0; b < sc.length; b++) if (sc[b]! > 0) cc[b + 1]! += sign;
    }
    for (let m = 0; m < 4; m++) {
      const values = meta[m];
      if (!values) continue;
      const mm = cell.meta[m]!;
      for (const v of values) mm.set(v, (mm.get(v) ?? 0) + sign);
    }
  }

  private unknownCounter(prog: CompiledProgram, name: string, sign: number) {
    const colon = name.indexOf(':');
    const chart = colon < 0 ? name : name.slice(0, colon);
    this.exclude(prog.counterCharts.has(chart) ? REASON.unknownBucket : REASON.unknownCounter, name, sign);
  }

  toPartial(specId: string, sha256: string): DayPartial {
    const programs = dict<ProgramPartial>();
    for (const prog of this.compiled.spec.programs) {
      const a = this.progs.get(prog.program);
      if (!a || a.part.reports === 0) continue;
      const out = a.part;
      prog.counters.forEach((c, ci) => {
        const ch = a.counters[ci]!;
        const buckets = dict<number[]>();
        c.buckets.forEach((b, bi) => {
          const s = Array.from(ch.stats.subarray(bi * STATS, (bi + 1) * STATS));
          if (s.some((v) => v !== 0)) buckets[b] = s;
        });
        out.charts[c.chart] = { ...ch.part, buckets };
      });
      prog.stacks.forEach((c, ci) => {
        const st = a.stacks[ci]!;
        out.stacks[c.chart] = { n: st.n, stacks: dictOf(st.stacks) };
      });
      if (a.cells) {
        const cells = dict<StratumCell>();
        for (const [key, cell] of a.cells) {
          if (cell.n === 0) continue;
          const charts: StratumCell['charts'] = dict();
          prog.counters.forEach((c, ci) => {
            const cc = cell.charts[ci]!;
            if (cc[0] === 0) return;
            const x = dict<number>();
            c.buckets.forEach((b, bi) => {
              if (cc[bi + 1] !== 0) x[b] = cc[bi + 1]!;
            });
            charts[c.chart] = { n: cc[0]!, x };
          });
          const meta: StratumCell['meta'] = dict();
          METADATA_CHARTS.forEach((m, mi) => {
            const values = [...cell.meta[mi]!].filter(([, v]) => v !== 0);
            if (values.length) meta[m] = dictOf(values);
          });
          cells[key] = { n: cell.n, charts, meta };
        }
        out.strata = { dims: prog.strata, cells };
      }
      programs[prog.program] = out;
    }
    return { pipelineVersion: PIPELINE_VERSION, spec: specId, day: this.day, sha256, ledger: this.ledger, reports: this.reports, programs };
  }
}

const META_VALUE: ((p: ProgramReport) => string)[] = [
  (p) => versionMajorMinor(p.version) || 'unknown',
  (p) => p.goos || 'unknown',
  (p) => p.goarch || 'unknown',
  (p) => goMajorMinor(p.goVersion) || 'unknown',
];

/** The metadata value of the program report with the largest counter total; ties go to the smallest value. */
function primaryValue(prs: ProgramReport[], m: number): string {
  let best = '';
  let bestTotal = -1;
  for (const pr of prs) {
    let t = 0;
    for (const v of pr.counterValues) t += v;
    const value = META_VALUE[m]!(pr);
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
    const s = (ch.buckets[v] ??= [0, 0, 0, 0, 0, 0]);
    s[X]! += sign;
    s[SUM]! += sign;
    s[SUMSQ]! += sign;
    s[CROSS]! += sign * k;
    s[FRAC]! += sign / k;
    s[FRAC2]! += sign / (k * k);
  }
}
