/**
 * The site data as file contents: a pure function of SiteData, so the same
 * build gives the same bytes, and tests read the files without a disk.
 * Everything published follows the small-cell rule (estimate/publish.ts).
 */
import type { PublishedBucket, PublishedChart } from '../estimate/publish.ts';
import { zeroBucket } from '../estimate/weekly.ts';
import { quantileFigure, withNEff } from './figures.ts';
import { stableJson } from './json.ts';
import type {
  ChangesFile,
  ChartFile,
  ChartInfo,
  ChartWeek,
  CounterChartWeek,
  IndexFile,
  ProgramFile,
  ProgramInfo,
  PublicBucket,
  QualityFile,
  SiteData,
  StackChartWeek,
} from './schema.ts';
import { chartsTable, ESTIMATE_COLUMNS, estimateRows, STACK_COLUMNS, stackRows, tableCsv } from './tables.ts';

/** Paths of files in the site data, relative to its folder. */
export type SitePath = string;

/** The path of a chart's file, from the slugs the build handed out (unique per program, see SlugSet). */
function chartPath(program: Pick<ProgramInfo, 'slug'>, chart: Pick<ChartInfo, 'slug'>): SitePath {
  return `charts/${program.slug}/${chart.slug}.json`;
}

function programPath(program: Pick<ProgramInfo, 'slug'>): SitePath {
  return `programs/${program.slug}.json`;
}

/** A bucket as published: grouped and hidden buckets carry their name and status only. */
function publicBucket(b: PublishedBucket): PublicBucket {
  const { status, eventsHidden, events, meanEvents, eventShare, composition, eventsMedian, eventsP90, meanApproximate, ...figures } = b;
  if (status !== 'published') return { bucket: b.bucket, status };
  if (figures.adjusted) figures.adjusted = withNEff(figures.adjusted);
  if (eventsHidden) return { ...figures, status, eventsHidden };
  const tails = meanApproximate === undefined ? {} : { eventsMedian: quantileFigure(eventsMedian), eventsP90: quantileFigure(eventsP90), meanApproximate };
  return { ...figures, status, events, meanEvents, eventShare, composition, ...tails };
}

/** Every bucket of the chart in its order; metadata values seen only in other weeks appear as true zeros. */
function allBuckets(c: PublishedChart, meta: ChartInfo): PublishedBucket[] {
  const byBucket = new Map(c.buckets.map((b) => [b.bucket, b]));
  return meta.buckets.map((b) => byBucket.get(b) ?? { ...zeroBucket(b, c.n), status: 'published' as const });
}

function chartFile(data: SiteData, prog: ProgramInfo, meta: ChartInfo): ChartFile {
  const k = data.minCell;
  const weeks = data.weeks.map(({ info, published }): ChartWeek => {
    const p = published.programs.find((x) => x.program === prog.program)!;
    if (meta.kind === 'stack') {
      const s = p.stacks.find((x) => x.chart === meta.chart)!;
      const top = s.top.filter((t) => t.x >= k);
      return { week: info.week, provisional: info.provisional, n: s.n, distinct: s.distinct, top, notShown: s.distinct - top.length } satisfies StackChartWeek;
    }
    const c = p.charts.find((x) => x.chart === meta.chart && x.kind === meta.kind)!;
    return {
      week: info.week,
      provisional: info.provisional,
      n: c.n,
      nActive: c.nActive,
      programReports: p.reports,
      sensitive: c.sensitive ?? false,
      buckets: allBuckets(c, meta).map(publicBucket),
      other: c.other,
    } satisfies CounterChartWeek;
  });
  return { ...meta, minCell: k, weeks };
}

function programFile(data: SiteData, prog: ProgramInfo): ProgramFile {
  return {
    program: prog.program,
    slug: prog.slug,
    weeks: data.weeks.map(({ info, published }) => {
      const p = published.programs.find((x) => x.program === prog.program)!;
      return {
        week: info.week,
        provisional: info.provisional,
        reports: p.reports,
        skew: p.skew,
        adjustment: withNEff(p.adjustment) ?? null,
        compositionShifts: p.compositionShifts,
      };
    }),
  };
}

const json = (value: unknown): string => stableJson(value) + '\n';

/**
 * Every file of the site data, by path: index.json (which lists them all),
 * estimates.csv, stacks.csv, a JSON file per chart and per program,
 * changes.json, quality.json and the inputs as read under config/.
 */
export function siteDataContents(data: SiteData): Map<SitePath, string> {
  const files = new Map<SitePath, string>();
  const charts: ChartFile[] = [];
  for (const prog of data.programs) {
    for (const meta of prog.charts) {
      const file = chartFile(data, prog, meta);
      charts.push(file);
      files.set(chartPath(prog, meta), json(file));
    }
    files.set(programPath(prog), json(programFile(data, prog)));
  }
  // The site-wide tables hold the chart files' rows, week by week.
  files.set('estimates.csv', tableCsv(chartsTable(charts.flatMap(estimateRows)), ESTIMATE_COLUMNS));
  files.set('stacks.csv', tableCsv(chartsTable(charts.flatMap(stackRows)), STACK_COLUMNS));
  files.set('changes.json', json({ minCell: data.minCell, changes: data.flagged } satisfies ChangesFile));
  files.set('quality.json', json({ days: data.quality } satisfies QualityFile));

  const { chartConfig, uploadConfig, reference, ...build } = data.build;
  files.set('config/chart-config.txt', chartConfig.text);
  files.set('config/upload-config.json', uploadConfig.text);
  if (reference) files.set('config/reference.json', reference.text);
  const finalWeeks = data.weeks.filter((w) => !w.info.provisional);
  const index: IndexFile = {
    build: {
      ...build,
      minCell: data.minCell,
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
    files: [...files.keys(), 'index.json'].sort(),
  };
  files.set('index.json', json(index));
  return files;
}
