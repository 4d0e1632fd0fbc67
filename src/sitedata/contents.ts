/**
 * The site data as file contents: a pure function of SiteData, so the same
 * build gives the same bytes, and tests read the files without a disk.
 * Everything published follows the small-cell rule (estimate/publish.ts).
 */
import { type CompositionShift, type PublishedBucket, type PublishedChart, type PublishedWeek, UNTESTED_CHANGE } from '../estimate/publish.ts';
import type { WeekName } from '../lib/dates.ts';
import { releaseView } from '../estimate/release.ts';
import { type StackEstimate, zeroBucket } from '../estimate/weekly.ts';
import { quantileFigure, withNEff } from './figures.ts';
import { stableJson, stableJsonWith } from './json.ts';
import type {
  ChangesFile,
  ChartFile,
  ChartInfo,
  ChartWeek,
  CounterChartWeek,
  IndexFile,
  ProgramFile,
  ProgramFileWeek,
  ProgramInfo,
  PublicBucket,
  PublishedStack,
  QualityFile,
  SiteData,
  StackChartWeek,
  WeekInfo,
} from './schema.ts';
import { csvHeader, formatRecordLines } from '../lib/csv.ts';
import { chartPartsId, type ChartWeekParts, type PartsCache, type WeekDigest } from './parts.ts';
import { BREAKDOWN_COLUMNS, breakdownRows, ESTIMATE_COLUMNS, estimateRows, STACK_COLUMNS, stackRows } from './tables.ts';

/** Paths of files in the site data, relative to its folder. */
export type SitePath = string;

/** The path of a chart's file, from the slugs the build handed out (unique per program, see SlugSet). */
function chartPath(program: Pick<ProgramInfo, 'slug'>, chart: Pick<ChartInfo, 'slug'>): SitePath {
  return `charts/${program.slug}/${chart.slug}.json`;
}

function programPath(program: Pick<ProgramInfo, 'slug'>): SitePath {
  return `programs/${program.slug}.json`;
}

/**
 * Whether a bucket of the week before is published: one that week's chart
 * does not hold had no reports, and is published as a true zero (allBuckets).
 * So whether a change is shown depends on this week and the week before
 * only, never on the week before that (whose values publishWeeks may have
 * added to the week before's chart as zeros).
 */
function publishedBefore(previous: PublishedBucket | undefined): boolean {
  return previous === undefined || previous.status === 'published';
}

/**
 * A bucket as published: grouped and hidden buckets carry their name and
 * status only. With suppress-complements, a change from a week where the
 * bucket was withheld is left out: its difference would give that week's
 * count away.
 */
function publicBucket(b: PublishedBucket, previous: PublishedBucket | undefined, suppress: boolean): PublicBucket {
  const { status, eventsHidden, events, meanEvents, eventShare, composition, eventsMedian, eventsP90, meanApproximate, ...figures } = b;
  if (status !== 'published') return { bucket: b.bucket, status };
  if (suppress && figures.change && !publishedBefore(previous)) figures.change = null;
  if (figures.adjusted) figures.adjusted = withNEff(figures.adjusted);
  if (eventsHidden) return { ...figures, status, eventsHidden };
  const tails = meanApproximate === undefined ? {} : { eventsMedian: quantileFigure(eventsMedian), eventsP90: quantileFigure(eventsP90), meanApproximate };
  return { ...figures, status, events, meanEvents, eventShare, composition, ...tails };
}

/**
 * Every bucket of the chart in its order; metadata values seen only in other
 * weeks appear as true zeros. A value seen the week before is in the chart
 * already, with its change (publishWeeks compares both weeks' values); one
 * seen in neither week has no change, unless the week is untested, where
 * every bucket's change says so.
 */
function allBuckets(c: PublishedChart, meta: ChartInfo): PublishedBucket[] {
  const byBucket = new Map(c.buckets.map((b) => [b.bucket, b]));
  const untested = c.buckets.some((b) => b.change === UNTESTED_CHANGE);
  return meta.buckets.map((b) => byBucket.get(b) ?? { ...zeroBucket(b, c.n), status: 'published' as const, ...(untested ? { change: UNTESTED_CHANGE } : {}) });
}

/** The chart of a published week, by name and kind. */
function chartOf(week: SiteData['weeks'][number] | undefined, program: string, meta: ChartInfo): PublishedChart | undefined {
  return week?.published?.programs.find((x) => x.program === program)?.charts.find((x) => x.chart === meta.chart && x.kind === meta.kind);
}

/**
 * With suppress-complements, a stack's Version groups of fewer than k
 * installations are left out, and when that would leave out only one, the
 * smallest other one too, so that no group's count follows from the stack's
 * total and the rest.
 */
function suppressedVersions(t: StackEstimate, k: number): PublishedStack {
  if (!t.versions) return t;
  const hidden = new Set(t.versions.filter((v) => v.x < k));
  if (hidden.size === 1) {
    const shown = t.versions.filter((v) => !hidden.has(v));
    if (shown.length > 0) hidden.add(shown.reduce((a, b) => (b.x < a.x ? b : a)));
  }
  if (hidden.size === 0) return t;
  return { ...t, versions: t.versions.filter((v) => !hidden.has(v)), versionsNotShown: hidden.size };
}

/** Week `wi` of the site data with its published estimates, which every week made in this build has. */
function publishedWeek(data: SiteData, wi: number): { info: WeekInfo; published: PublishedWeek } {
  const { info, published } = data.weeks[wi]!;
  if (!published) throw new Error(`site data: week ${info.week} has no published estimates`);
  return { info, published };
}

/** One week of a chart's file: week `wi` of the site data. */
function chartWeek(data: SiteData, prog: ProgramInfo, meta: ChartInfo, wi: number): ChartWeek {
  const k = data.minCell;
  const suppress = data.smallCells === 'suppress-complements';
  const { info, published } = publishedWeek(data, wi);
  const p = published.programs.find((x) => x.program === prog.program)!;
  if (meta.kind === 'stack') {
    // Stacks are listed whatever their count (a crash seen by three installations is what gets triaged); with suppress-complements they follow k.
    const s = p.stacks.find((x) => x.chart === meta.chart)!;
    const top = suppress ? s.top.filter((t) => t.x >= k).map((t) => suppressedVersions(t, k)) : s.top;
    return { week: info.week, provisional: info.provisional, n: s.n, distinct: s.distinct, top, notShown: s.distinct - top.length } satisfies StackChartWeek;
  }
  const c = p.charts.find((x) => x.chart === meta.chart && x.kind === meta.kind)!;
  const before = new Map((chartOf(data.weeks[wi - 1], prog.program, meta)?.buckets ?? []).map((b) => [b.bucket, b]));
  return {
    week: info.week,
    provisional: info.provisional,
    n: c.n,
    nActive: c.nActiveHidden ? null : c.nActive,
    programReports: p.reports,
    sensitive: c.sensitive ?? false,
    buckets: allBuckets(c, meta).map((b) => publicBucket(b, before.get(b.bucket), suppress)),
    other: c.other,
    ...(c.breakdowns ? { breakdowns: c.breakdowns } : {}),
    ...(c.versionComparison ? { versionComparison: c.versionComparison } : {}),
  } satisfies CounterChartWeek;
}

/** A chart's file without its weeks. */
function chartHead(data: Pick<SiteData, 'minCell'>, meta: ChartInfo): Omit<ChartFile, 'weeks'> {
  return { ...meta, minCell: data.minCell };
}

/** A chart's week as written: its JSON in the chart's file and its lines of the three site-wide tables; with `raw`, the week unrounded too. */
function chartWeekParts(head: Omit<ChartFile, 'weeks'>, week: ChartWeek, raw: boolean): ChartWeekParts {
  const one: ChartFile = { ...head, weeks: [week] };
  return {
    json: stableJson(week),
    estimates: formatRecordLines(ESTIMATE_COLUMNS, estimateRows(one)),
    stacks: formatRecordLines(STACK_COLUMNS, stackRows(one)),
    breakdowns: formatRecordLines(BREAKDOWN_COLUMNS, breakdownRows(one)),
    raw: raw ? JSON.stringify(week) : '',
  };
}

/** The Version chart's weeks are read again, for the program's release view. */
const isVersionChart = (meta: ChartInfo): boolean => meta.kind === 'metadata' && meta.chart === 'Version';

/**
 * The weeks whose every chart week and digest `cache` keeps for the charts
 * of `data.programs`: the site data can take them from it whole, without
 * their published estimates (SiteWeek.kept).
 */
export function keptWeeks(cache: PartsCache, data: Pick<SiteData, 'programs' | 'minCell' | 'smallCells'>, weeks: readonly WeekName[]): Set<WeekName> {
  const ids = data.programs.flatMap((prog) => prog.charts.map((meta) => chartPartsId(chartHead(data, meta), data.smallCells)));
  return new Set(weeks.filter((week) => cache.digest(week) !== undefined && ids.every((id) => cache.has(week, id))));
}

/**
 * A week's composition shifts as published. With suppress-complements, the
 * distance of a dimension whose chart withholds a bucket this week or the
 * week before is left out (the shift itself is still named).
 */
function publicShifts(data: SiteData, program: string, week: WeekName, shifts: CompositionShift[]): CompositionShift[] {
  if (data.smallCells !== 'suppress-complements') return shifts;
  const i = data.weeks.findIndex((w) => w.info.week === week);
  const withholds = (w: SiteData['weeks'][number] | undefined, dimension: string) =>
    w?.published?.programs
      .find((p) => p.program === program)
      ?.charts.find((c) => c.chart === dimension && c.kind === 'metadata')
      ?.buckets.some((b) => b.status !== 'published') ?? false;
  return shifts.map((s) => (withholds(data.weeks[i], s.dimension) || withholds(data.weeks[i - 1], s.dimension) ? { ...s, tvd: null } : s));
}

/** A program's entry for week `wi` in its file. */
function programWeek(data: SiteData, program: string, wi: number): ProgramFileWeek {
  const { info, published } = publishedWeek(data, wi);
  const p = published.programs.find((x) => x.program === program)!;
  return {
    week: info.week,
    provisional: info.provisional,
    reports: p.reports,
    skew: p.skew,
    adjustment: withNEff(p.adjustment) ?? null,
    compositionShifts: publicShifts(data, program, info.week, p.compositionShifts),
  };
}

function programFile(prog: ProgramInfo, digests: readonly WeekDigest[], version: ChartFile | undefined): ProgramFile {
  return {
    program: prog.program,
    slug: prog.slug,
    weeks: digests.map((d) => d.programs.find(([program]) => program === prog.program)![1]),
    ...(version ? { release: releaseView(version.weeks as CounterChartWeek[], version.buckets) } : {}),
  };
}

/**
 * Each week's digest: taken from `cache` for a kept week, else made from
 * its published estimates (and handed to `cache`). A made digest is used as
 * JSON gives it back, as a kept one is, so both give the same bytes.
 */
function weekDigests(data: SiteData, cache: PartsCache | undefined): WeekDigest[] {
  const changes = publishedChanges(data);
  return data.weeks.map(({ info, kept }, wi) => {
    if (kept) {
      const d = cache?.digest(info.week);
      if (!d) throw new Error(`site data: week ${info.week} was to be taken from the last build, which has no digest of it`);
      return d;
    }
    const made: WeekDigest = {
      programs: data.programs.map((prog) => [prog.program, programWeek(data, prog.program, wi)]),
      changes: changes.filter((f) => f.week === info.week),
      comparisons: data.comparisons.filter((c) => c.week === info.week),
    };
    const d = JSON.parse(JSON.stringify(made)) as WeekDigest;
    cache?.madeDigest(info.week, d);
    return d;
  });
}

/** The flagged changes; with suppress-complements, only those between buckets published in both weeks. */
function publishedChanges(data: SiteData): SiteData['flagged'] {
  if (data.smallCells !== 'suppress-complements') return data.flagged;
  const at = new Map(data.weeks.map((w, i) => [w.info.week, i]));
  const shown = (week: SiteData['weeks'][number] | undefined, f: SiteData['flagged'][number]) => {
    const chart = week?.published?.programs.find((p) => p.program === f.program)?.charts.find((c) => c.chart === f.chart);
    return chart !== undefined && publishedBefore(chart.buckets.find((b) => b.bucket === f.bucket));
  };
  return data.flagged
    .filter((f) => {
      const i = at.get(f.week);
      return i !== undefined && i > 0 && shown(data.weeks[i], f) && shown(data.weeks[i - 1], f);
    })
    .map((f) => ({ ...f, compositionShifts: publicShifts(data, f.program, f.week, f.compositionShifts) }));
}

const json = (value: unknown): string => stableJson(value) + '\n';

const suppressed = (data: SiteData): boolean => data.smallCells === 'suppress-complements';

/**
 * Every file of the site data, by path: index.json (which lists them all),
 * estimates.csv, stacks.csv, breakdowns.csv, a JSON file per chart and per program,
 * changes.json, quality.json and the inputs as read under config/.
 */
export function siteDataContents(data: SiteData): Map<SitePath, string> {
  return new Map(siteDataFiles(data));
}

/**
 * The files of siteDataContents one at a time, index.json last, so a writer
 * can write each and let it go before the next is made: a year of weeks is
 * about 100 MB of text, held whole only by siteDataContents.
 */
export function* siteDataFiles(data: SiteData, cache?: PartsCache): Generator<[SitePath, string]> {
  const paths: SitePath[] = [];
  const named = (path: SitePath, text: string): [SitePath, string] => {
    paths.push(path);
    return [path, text];
  };
  // The site-wide tables hold the chart files' rows, week by week (in week order), and in a week chart by chart.
  const weekOrder = data.weeks
    .map((_, i) => i)
    .sort((a, b) => {
      const wa = data.weeks[a]!.info.week;
      const wb = data.weeks[b]!.info.week;
      return wa < wb ? -1 : wa > wb ? 1 : a - b;
    });
  const tables = { estimates: weekOrder.map((): string[] => []), stacks: weekOrder.map((): string[] => []), breakdowns: weekOrder.map((): string[] => []) };
  const place = new Map(weekOrder.map((wi, at) => [wi, at]));
  const digests = weekDigests(data, cache);
  for (const prog of data.programs) {
    let version: ChartFile | undefined;
    for (const meta of prog.charts) {
      const head = chartHead(data, meta);
      // The Version chart's weeks are read back for the program's release view, unrounded, kept or made.
      const isVersion = isVersionChart(meta);
      const id = cache ? chartPartsId(head, data.smallCells) : null;
      const weeks: ChartWeek[] = [];
      const texts: string[] = [];
      data.weeks.forEach(({ info, kept }, wi) => {
        let parts = id === null ? undefined : cache!.get(info.week, id);
        if (!parts) {
          if (kept) throw new Error(`site data: week ${info.week} was to be taken from the last build, which does not keep its chart ${meta.chart}`);
          parts = chartWeekParts(head, chartWeek(data, prog, meta, wi), isVersion);
          if (id !== null) cache!.made(info.week, id, parts);
        }
        if (isVersion) weeks.push(JSON.parse(parts.raw) as ChartWeek);
        texts.push(parts.json);
        const at = place.get(wi)!;
        tables.estimates[at]!.push(parts.estimates);
        tables.stacks[at]!.push(parts.stacks);
        tables.breakdowns[at]!.push(parts.breakdowns);
      });
      if (isVersion) version = { ...head, weeks };
      yield named(chartPath(prog, meta), stableJsonWith(head, 'weeks', `[${texts.join(',')}]`) + '\n');
    }
    yield named(programPath(prog), json(programFile(prog, digests, version)));
  }
  yield named('estimates.csv', csvHeader(ESTIMATE_COLUMNS) + tables.estimates.flat().join(''));
  yield named('stacks.csv', csvHeader(STACK_COLUMNS) + tables.stacks.flat().join(''));
  yield named('breakdowns.csv', csvHeader(BREAKDOWN_COLUMNS) + tables.breakdowns.flat().join(''));
  yield named(
    'changes.json',
    json({
      minCell: data.minCell,
      changes: digests.flatMap((d) => d.changes),
      comparisons: suppressed(data) ? [] : digests.flatMap((d) => d.comparisons),
    } satisfies ChangesFile),
  );
  yield named('quality.json', json({ days: data.quality, suspect: data.suspect } satisfies QualityFile));

  const { chartConfig, uploadConfig, reference, ...build } = data.build;
  yield named('config/chart-config.txt', chartConfig.text);
  yield named('config/upload-config.json', uploadConfig.text);
  if (reference) yield named('config/reference.json', reference.text);
  const finalWeeks = data.weeks.filter((w) => !w.info.provisional);
  const index: IndexFile = {
    build: {
      ...build,
      minCell: data.minCell,
      smallCells: data.smallCells,
      breakdowns: data.smallCells === 'suppress-complements' ? 'withheld' : 'published',
      chartConfig: { location: chartConfig.location, sha256: chartConfig.sha256 },
      uploadConfig: { location: uploadConfig.location, sha256: uploadConfig.sha256 },
      reference: reference && {
        location: reference.location,
        sha256: reference.sha256,
        source: reference.source,
        date: reference.date,
        size: reference.size,
        dimensions: reference.dimensions,
      },
    },
    latestFinalWeek: finalWeeks.at(-1)?.info.week ?? null,
    weeks: data.weeks.map((w) => w.info),
    programs: data.programs.map((p) => ({ ...p, file: programPath(p), charts: p.charts.map((c) => ({ ...c, file: chartPath(p, c) })) })),
    notCollected: data.notCollected,
    files: [...paths, 'index.json'].sort(),
  };
  yield ['index.json', json(index)];
}
