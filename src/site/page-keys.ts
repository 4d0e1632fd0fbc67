/**
 * Keys of the pages of one week, for rebuilds that draw only the pages whose
 * inputs changed: the chart-week permalinks and the week pages.
 *
 * A site has one permalink per chart and week (most of its pages) and one
 * week page per week, and a new day of the archive changes the figures of
 * one or two weeks. The key of such a page is the SHA-256 of everything its
 * HTML is made from: the site's sources and build options (`sources`, a
 * digest of src/, public/, the configs, the lockfile, the Node.js version,
 * the base path and site URL), the build facts of the index but the dates of
 * the run (`asOf`, `to`), which these pages do not show (their footer names
 * their own week, not the site's range of weeks), and the parts of the site
 * data the page reads:
 *
 * - a permalink: the chart's description and its week, the week's entry of
 *   the index and of the program file, the buckets the chart ever saw (a
 *   permalink colours the buckets of its own week), the neighbouring weeks it
 *   links to, for a single-bucket chart every week up to the page's (its mean
 *   chart), and for a stack chart the history of every stack up to the page's
 *   week (its stack table draws it);
 * - a week page (`/weeks/<week>/`, not `/weeks/latest/`): the week's entry of
 *   the index, the weeks before and after it that it links to, the programs
 *   of the index, and per chart its entry, its buckets, the buckets it ever
 *   saw, its smallest published cell and its figures of that week.
 *
 * `npm run build` hands Astro the routes whose key equals the one the kept
 * copy of the last site was built with (src/cli/site-output.ts) to leave out,
 * and copies their pages from that copy. A test builds the demo site cold and
 * incrementally after new days and checks the two are byte-identical.
 */
import { createHash } from 'node:crypto';
import type { ChartWeek, WeekInfo } from '../sitedata/schema.ts';
import { isSingleBucket } from './charts.ts';
import { type ChartView, findWeek, neighbours, programWeek, type SiteModel, seenBuckets, siteModel, stackHistories } from './model.ts';
import { weekPageRoute } from './page-routes.ts';
import { chartWeekRoutes, weekRouteKey } from './routes.ts';

/** Everything a permalink's HTML is made from, as one value (see the module comment). */
function pageInputs(model: SiteModel, view: ChartView, week: ChartWeek): unknown {
  const { weeks: _weeks, ...chart } = view.file;
  return {
    build: shownBuild(model),
    notCollected: model.index.notCollected,
    info: model.weeks.find((w) => w.week === week.week) ?? null,
    program: view.program,
    programWeek: programWeek(view.program, week.week) ?? null,
    entry: view.entry,
    chart,
    buckets: view.buckets,
    seen: seenBuckets(view),
    neighbours: neighbours(view, week.week),
    // A single bucket's week is drawn as its mean per installation in every week up to it.
    upTo: isSingleBucket(view) ? view.file.weeks.filter((w) => w.week <= week.week) : null,
    // A stack table draws each stack's installations in every week up to the page's.
    stacks: view.entry.kind === 'stack' ? [...stackHistories(view, week.week)] : null,
    week,
  };
}

/** The key of a page made from `inputs`, for the site built from sources with digest `sources`. */
function pageKey(sources: string, inputs: unknown): string {
  return createHash('sha256').update(sources).update('\0').update(JSON.stringify(inputs)).digest('hex');
}

/** The index's build facts but the dates of the run, which pages of one week do not show. */
function shownBuild(model: SiteModel): unknown {
  const { asOf: _asOf, to: _to, ...build } = model.index.build;
  return build;
}

/**
 * Every chart-week route (`program/chart/week`, as in the image manifest) and
 * the key of its page, in the order of `chartWeekRoutes()`; with `part` and
 * `parts`, only the part-th of `parts` consecutive slices of them (threads
 * share the work so).
 */
export function chartWeekPageKeys(sources: string, part = 0, parts = 1): [string, string][] {
  const model = siteModel();
  const routes = chartWeekRoutes();
  const size = Math.ceil(routes.length / parts);
  return routes.slice(part * size, (part + 1) * size).map((r) => [weekRouteKey(r.params), pageKey(sources, pageInputs(model, r.props.view, r.props.week))]);
}

/** Everything a week page's HTML is made from, as one value (see the module comment). */
function weekPageInputs(model: SiteModel, info: WeekInfo, i: number): unknown {
  return {
    build: shownBuild(model),
    info,
    prev: model.weeks[i - 1]?.week ?? null,
    next: model.weeks[i + 1]?.week ?? null,
    programs: model.index.programs,
    charts: model.charts.map((v) => ({
      program: v.program.program,
      entry: v.entry,
      buckets: v.buckets,
      seen: seenBuckets(v),
      minCell: v.file.minCell,
      week: findWeek(v, info.week) ?? null,
    })),
  };
}

/** Every week page's route (`weeks/<week>`, src/site/page-routes.ts) and the key of its page, in week order. */
export function weekPageKeys(sources: string): [string, string][] {
  const model = siteModel();
  return model.weeks.map((info, i) => [weekPageRoute(info.week), pageKey(sources, weekPageInputs(model, info, i))]);
}
