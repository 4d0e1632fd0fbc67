/**
 * What the reducer needs to know from the configs: which programs, versions,
 * charts and buckets to count, and under which sampling rates.
 */
import { createHash } from 'node:crypto';
import type { ChartRecord, ChartType } from '../config/chart-config.ts';
import type { UploadConfig } from '../config/upload-config.ts';
import { isToolchainProgram, versionAtLeast } from '../lib/versions.ts';
import { chartKey } from '../lib/keys.ts';

/** Bumped whenever the partial format or the reduce semantics change; old cached partials are then ignored. */
export const PIPELINE_VERSION = 9;

/**
 * The charts every program gets from report metadata, besides the charts of
 * the configs: the program's version (grouped to major.minor; not for the Go
 * toolchain, whose version is its Go version), GOOS, GOARCH and the Go
 * version it was built with (grouped to go1.N).
 */
export const METADATA_CHARTS = ['Version', 'GOOS', 'GOARCH', 'GoVersion'] as const;
export type MetadataChart = (typeof METADATA_CHARTS)[number];

/**
 * The dimensions counter charts are broken down by: a report's program
 * reports grouped as the metadata chart of that name groups them (Version to
 * major.minor, GoVersion to go1.N). The Go toolchain has no Version.
 */
export const BREAKDOWN_DIMENSIONS = ['Version', 'GOOS', 'GoVersion'] as const satisfies readonly MetadataChart[];
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** The title and description of each metadata chart, as the site shows them (the configs' charts have theirs in the chart config). */
export const METADATA_CHART_TEXT: Record<MetadataChart, { title: string; description: string }> = {
  Version: { title: 'Program versions (major.minor)', description: 'The program version each report names, grouped to major.minor.' },
  GOOS: { title: 'Operating systems (GOOS)', description: 'The operating system each report names.' },
  GOARCH: { title: 'Architectures (GOARCH)', description: 'The processor architecture each report names.' },
  GoVersion: { title: 'Go versions used to build the program (go1.N)', description: 'The Go version the program was built with, grouped to go1.N.' },
};

export interface ChartSpec {
  /** Chart name, e.g. `gopls/client`. */
  chart: string;
  /** The counter expression in the upload config. */
  expression: string;
  buckets: string[];
  rate: number;
  /** min(SampleRate, Rate): a report is eligible for the chart only when X <= this. */
  threshold: number;
  /** First program version that can carry the chart's counters, or "" for all. */
  minVersion: string;
  /** Display type from the chart config ("partition" when the chart config does not list it). */
  type: ChartType;
}

export interface ProgramSpec {
  program: string;
  /**
   * Dimensions reports are classified by for skew adjustment (metadata fields
   * and chart names of the reference population that apply to the program),
   * sorted; empty when there is no reference.
   */
  strata: string[];
  /** Versions in the upload config; empty means any version is accepted. */
  versions: string[];
  toolchain: boolean;
  counters: ChartSpec[];
  stacks: ChartSpec[];
}

export interface ReduceSpec {
  sampleRate: number;
  programs: ProgramSpec[];
}

export function buildReduceSpec(upload: UploadConfig, charts: ChartRecord[], referenceDimensions: readonly string[] = []): ReduceSpec {
  const byKey = new Map(charts.map((c) => [chartKey(c.program, c.chart), c]));
  const chartSpec =
    (program: string) =>
    (c: UploadConfig['programs'][number]['counters'][number]): ChartSpec => {
      const rec = byKey.get(chartKey(program, c.chart));
      return {
        chart: c.chart,
        expression: c.name,
        buckets: c.buckets,
        rate: c.rate,
        threshold: Math.min(upload.sampleRate, c.rate),
        minVersion: rec?.version ?? '',
        type: rec?.type ?? 'partition',
      };
    };
  return {
    sampleRate: upload.sampleRate,
    programs: upload.programs.map((p) => ({
      program: p.name,
      strata: [...new Set(referenceDimensions)]
        .filter((d) => (d === 'Version' ? !isToolchainProgram(p.name) : isMetadataChart(d) || p.counters.some((c) => c.chart === d)))
        .sort(),
      versions: p.versions,
      toolchain: isToolchainProgram(p.name),
      counters: p.counters.map(chartSpec(p.name)),
      stacks: p.stacks.map(chartSpec(p.name)),
    })),
  };
}

function isMetadataChart(name: string): name is MetadataChart {
  return (METADATA_CHARTS as readonly string[]).includes(name);
}

/** Identifies a spec in the partial cache: a partial is reused only under the same spec and pipeline version. */
export function specHash(spec: ReduceSpec): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: PIPELINE_VERSION, spec }))
    .digest('hex')
    .slice(0, 16);
}

/** Where a counter is counted: its chart's index in ProgramSpec.counters and its bucket's index in that chart's buckets. */
interface BucketKey {
  readonly chart: number;
  readonly bucket: number;
}

/** A dimension reports are classified by for skew adjustment: a metadata chart, or a counter chart by its index in ProgramSpec.counters. */
type StratumDimension = { readonly kind: 'metadata'; readonly chart: MetadataChart } | { readonly kind: 'counter'; readonly counter: number };

/** Lookup tables built once per process from a ReduceSpec, for the hot path. */
export interface CompiledProgram {
  index: number;
  /** ProgramSpec.strata, resolved. */
  strata: StratumDimension[];
  spec: ProgramSpec;
  versions: Set<string> | null;
  /** Full counter name (`chart:bucket`, or `chart` for a counter without buckets) -> where it is counted. */
  counterIndex: Map<string, BucketKey>;
  /** Chart name -> chart index, to tell unconfigured buckets of a known chart apart from unknown counters. */
  counterCharts: Map<string, number>;
  stackCharts: Map<string, number>;
  /** Version -> per counter chart, may it carry the chart (version >= the chart's minVersion). */
  versionOk: Map<string, Uint8Array>;
}

export interface CompiledSpec {
  spec: ReduceSpec;
  programs: Map<string, CompiledProgram>;
}

export function compileSpec(spec: ReduceSpec): CompiledSpec {
  const programs = new Map<string, CompiledProgram>();
  spec.programs.forEach((p, index) => {
    const counterIndex = new Map<string, BucketKey>();
    p.counters.forEach((c, chart) => {
      c.buckets.forEach((b, bucket) => counterIndex.set(c.expression.includes(':') ? `${c.chart}:${b}` : c.chart, { chart, bucket }));
    });
    programs.set(p.program, {
      index,
      strata: p.strata.map(
        (d): StratumDimension =>
          isMetadataChart(d) ? { kind: 'metadata', chart: d } : { kind: 'counter', counter: p.counters.findIndex((c) => c.chart === d) },
      ),
      spec: p,
      versions: p.versions.length ? new Set(p.versions) : null,
      counterIndex,
      counterCharts: new Map(p.counters.map((c, ci) => [c.chart, ci])),
      stackCharts: new Map(p.stacks.map((c, ci) => [c.chart, ci])),
      versionOk: new Map(),
    });
  });
  return { spec, programs };
}

/** Per counter chart of `prog`, whether program version `version` can carry it. Memoised. */
export function versionEligibility(prog: CompiledProgram, version: string): Uint8Array {
  let ok = prog.versionOk.get(version);
  if (!ok) {
    ok = new Uint8Array(prog.spec.counters.length + prog.spec.stacks.length);
    const all = [...prog.spec.counters, ...prog.spec.stacks];
    all.forEach((c, i) => (ok![i] = c.minVersion === '' || versionAtLeast(version, c.minVersion) ? 1 : 0));
    prog.versionOk.set(version, ok);
  }
  return ok;
}
