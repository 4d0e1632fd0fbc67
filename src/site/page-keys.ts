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
 *   links to, and for a single-bucket or a stack chart every week up to the
 *   page's (the mean chart of a single bucket and the history of each stack
 *   in a stack table are drawn from them), as a chain of digests week by week;
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
import type { ChartWeek } from '../sitedata/schema.ts';
import { isSingleBucket } from './charts.ts';
import { type ChartView, neighbours, programWeek, type SiteModel, seenBuckets, siteModel } from './model.ts';
import { weekPageRoute } from './page-routes.ts';
import { chartWeekRoutes, weekRouteKey } from './routes.ts';

/**
 * A chart's parts of its pages' keys, made once per chart: the JSON of what
 * every page of the chart reads alike, and per week the SHA-256 of its entry's
 * JSON and, for a single-bucket or stack chart, a digest of every week up to it. The
 * page keys are then hashed from these pieces, joined by NUL characters
 * (JSON text never holds one), so each week is serialised once, not once for
 * every later week's page.
 */
interface ChartParts {
  head: string;
  weeks: Map<string, { digest: string; upTo: string | null }>;
}

const sha256 = () => createHash('sha256');

/** Whether a page of the chart reads every week up to its own: a single bucket's mean chart, or a stack table. */
function readsEarlierWeeks(view: ChartView): boolean {
  return isSingleBucket(view) || view.entry.kind === 'stack';
}

/** Chart parts already made, by chart: one map for the permalink and week page keys of one thread's share. */
export type KeyParts = Map<ChartView, ChartParts>;

function chartParts(model: SiteModel, view: ChartView, made: KeyParts): ChartParts {
  const memo = made.get(view);
  if (memo) return memo;
  const { weeks: all, ...chart } = view.file;
  const head = JSON.stringify({
    build: shownBuild(model),
    notCollected: model.index.notCollected,
    program: view.program,
    entry: view.entry,
    chart,
    buckets: view.buckets,
    seen: seenBuckets(view),
  });
  const weeks = new Map<string, { digest: string; upTo: string | null }>();
  const chained = readsEarlierWeeks(view);
  // The weeks up to a page's are the list's first weeks when it is in week order, as the site data writes it.
  const ordered = all.every((w, i) => i === 0 || all[i - 1]!.week < w.week);
  let chain = '';
  for (const w of all) {
    const json = JSON.stringify(w);
    const digest = sha256().update(json).digest('hex');
    let upTo: string | null = null;
    if (chained) {
      chain = ordered
        ? sha256().update(chain).update('\0').update(digest).digest('hex')
        : sha256()
            .update(JSON.stringify(all.filter((x) => x.week <= w.week)))
            .digest('hex');
      upTo = chain;
    }
    weeks.set(w.week, { digest, upTo });
  }
  const parts = { head, weeks };
  made.set(view, parts);
  return parts;
}

/**
 * The key of a permalink: everything its HTML is made from (see the module
 * comment). Beside the chart's parts: the week's entry of the index and of
 * the program file, the neighbouring weeks it links to, and the week itself
 * with, where the page reads them, the weeks before it.
 */
function pageKey(sources: string, model: SiteModel, view: ChartView, parts: ChartParts, week: ChartWeek): string {
  const own = parts.weeks.get(week.week)!;
  const rest = JSON.stringify({
    info: model.weeks.find((w) => w.week === week.week) ?? null,
    programWeek: programWeek(view.program, week.week) ?? null,
    neighbours: neighbours(view, week.week),
    upTo: own.upTo,
  });
  return sha256().update(sources).update('\0').update(parts.head).update('\0').update(rest).update('\0').update(own.digest).digest('hex');
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
 * share the work so). `made` keeps the charts' parts for `weekPageKeys` on
 * the same thread.
 */
export function chartWeekPageKeys(sources: string, part = 0, parts = 1, made: KeyParts = new Map()): [string, string][] {
  const model = siteModel();
  const routes = chartWeekRoutes();
  const size = Math.ceil(routes.length / parts);
  return routes.slice(part * size, (part + 1) * size).map((r) => {
    const { view, week } = r.props;
    return [weekRouteKey(r.params), pageKey(sources, model, view, chartParts(model, view, made), week)];
  });
}

/**
 * The key of each week page (`/weeks/<week>/`, src/site/page-routes.ts), in
 * week order: everything its HTML is made from (see the module comment), the
 * week's entry of the index, the weeks before and after it that it links to,
 * the programs of the index, and per chart its entry, buckets, buckets ever
 * seen, smallest published cell and its entry of that week.
 */
export function weekPageKeys(sources: string, made: KeyParts = new Map()): [string, string][] {
  const model = siteModel();
  const head = JSON.stringify({ build: shownBuild(model), programs: model.index.programs });
  const charts = model.charts.map((v) => ({
    json: JSON.stringify({ program: v.program.program, entry: v.entry, buckets: v.buckets, seen: seenBuckets(v), minCell: v.file.minCell }),
    weeks: chartParts(model, v, made).weeks,
  }));
  return model.weeks.map((info, i) => {
    const h = sha256().update(sources).update('\0').update(head).update('\0');
    h.update(JSON.stringify({ info, prev: model.weeks[i - 1]?.week ?? null, next: model.weeks[i + 1]?.week ?? null }));
    // A chart without that week is the empty text, which no JSON value is.
    for (const c of charts)
      h.update('\0')
        .update(c.json)
        .update('\0')
        .update(c.weeks.get(info.week)?.digest ?? '');
    return [weekPageRoute(info.week), h.digest('hex')];
  });
}
