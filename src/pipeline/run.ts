/**
 * The data pipeline, end to end: fetch day files, reduce each day (reusing
 * cached partials), estimate every week bin, and write the site data. The
 * command line composes options and effects; this module holds the flow.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Options } from '../cli/options.ts';
import { checkOutput, stageOutput, type Staged } from '../cli/output.ts';
import { outProtections, PROJECT_ROOT, siteDataWrittenBefore, SourceError } from './outputs.ts';
import { codeIdentity, DiskPartsCache, weekPartsKey } from './parts-cache.ts';
import { parseChartConfig, type ChartRecord } from '../config/chart-config.ts';
import { parseUploadConfig } from '../config/upload-config.ts';
import { ensureDemo } from '../demo/ensure.ts';
import { type FlaggedChange, type FlaggedComparison, publishWeeks, smallCellPolicy, type SmallCellOptions } from '../estimate/publish.ts';
import { ESTIMATE_VERSION, type WeekEstimates } from '../estimate/weekly.ts';
import { createProgress, formatBytes, formatDayRanges, type Progress } from '../fetch/progress.ts';
import { isFinal, syncDays, type Source } from '../fetch/source.ts';
import { parseReference } from '../skew/reference.ts';
import { GO_CHART_CONFIG_URL, GO_UPLOAD_CONFIG_URL, MissingInputError, publicLocation, readInput } from '../inputs.ts';
import { addDays, dayRange, isDay, mondayOf, weekOf, type Day, type WeekName } from '../lib/dates.ts';
import { bucketOrderForChart, orderBuckets } from '../lib/order.ts';
import { chartKey } from '../lib/keys.ts';
import type { Ledger } from '../reduce/partial.ts';
import { startWeekPool, type WeekPool } from './pool.ts';
import { pruneSuperseded } from './prune.ts';
import { findSuspectDays } from './suspect.ts';
import {
  type DayOutcome,
  type DayTask,
  hasPartial,
  partialPath,
  processWeek,
  readWeekCache,
  readWeekHead,
  type WeekHead,
  type WeekOutcome,
  type WeekTask,
  WEEK_CACHE_FORMAT,
} from './week-task.ts';
import { buildReduceSpec, compileSpec, METADATA_CHART_TEXT, METADATA_CHARTS, PIPELINE_VERSION, specHash, type ReduceSpec } from '../reduce/spec.ts';
import { SlugSet } from '../sitedata/slug.ts';
import { keptWeeks } from '../sitedata/contents.ts';
import type { ChartInfo, DayQuality, ProgramInfo, SiteWeek, WeekInfo } from '../sitedata/schema.ts';
import { writeSiteData } from '../sitedata/write.ts';

/** `2026-11-01..2026-11-03 (HTTP 503); 2026-11-05 (offline and not cached)`: days grouped by reason. */
function daysAndReasons(days: { day: Day; reason: string }[]): string {
  const byReason = new Map<string, Day[]>();
  for (const d of days) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d.day]);
  const groups = [...byReason].map(([reason, ds]) => `${formatDayRanges(ds)} (${reason})`);
  return groups.length > 6 ? `${groups.slice(0, 6).join('; ')}; and ${groups.length - 6} more reasons` : groups.join('; ');
}

/** Waits for the files, then swaps the staged folder in; on failure the output is untouched and the staged folder removed. */
async function swapIn(staged: Staged, writing: Promise<unknown>, out: string): Promise<void> {
  try {
    await writing;
    await staged.commit();
  } catch (e) {
    // Name the file as it would have been in --out, not in the staging folder.
    const err = e as NodeJS.ErrnoException;
    if (typeof err.path === 'string' && err.path.startsWith(staged.dir + sep)) err.path = join(resolve(out), relative(staged.dir, err.path));
    throw e;
  } finally {
    await staged.discard();
  }
}

export interface RunEffects {
  log: (line: string) => void;
  progress: 'auto' | 'never';
  /** Today's UTC date; used only to default --as-of for HTTP sources. */
  today: () => Day;
}

export interface RunResult {
  out: string;
  weeks: number;
  days: { present: number; absent: number; missing: number };
  /** Day files reduced now (the rest came from the partial cache). */
  reduced: number;
  reducedBytes: number;
  reports: number;
  linesFast: number;
  linesStrict: number;
  seconds: { fetch: number; reduce: number; estimate: number; write: number; total: number };
}

interface Resolved {
  source: Source;
  /** How the site names the source (never a folder of the build machine). */
  label: string;
  /** Where the source is, for messages to whoever runs the build. */
  where: string;
  reference: string | null;
  chartConfig: string;
  uploadConfig: string;
  asOf: Day;
  from: Day;
  to: Day;
}

async function resolveInputs(opts: Options, fx: RunEffects): Promise<Resolved> {
  if (opts.source.kind === 'demo') {
    const demo = await ensureDemo(join(opts.cache, 'demo'), opts.seed, fx.log);
    return {
      source: { kind: 'dir', dir: demo.archiveDir },
      label: `demo archive (seed ${opts.seed})`,
      where: `demo archive (seed ${opts.seed})`,
      reference: opts.reference ?? demo.reference,
      chartConfig: opts.chartConfig ?? demo.chartConfig,
      uploadConfig: opts.uploadConfig ?? demo.uploadConfig,
      asOf: opts.asOf ?? demo.asOf,
      from: opts.from ?? demo.firstDay,
      to: opts.to ?? opts.asOf ?? demo.lastDay,
    };
  }
  const source = opts.source;
  const isGo = opts.sourceSpec === 'go';
  const chartConfig = opts.chartConfig ?? (isGo ? GO_CHART_CONFIG_URL : null);
  const uploadConfig = opts.uploadConfig ?? (isGo ? GO_UPLOAD_CONFIG_URL : null);
  if (!chartConfig || !uploadConfig) {
    throw new MissingInputError(
      `--source ${opts.sourceSpec} needs ${[!chartConfig && '--chart-config', !uploadConfig && '--upload-config'].filter(Boolean).join(' and ')} (only the demo and --source go have defaults)`,
    );
  }
  if (source.kind === 'dir') {
    let days: Day[];
    try {
      days = (await readdir(source.dir))
        .map((f) => f.replace(/\.json$/, ''))
        .filter(isDay)
        .sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new MissingInputError(`archive folder ${source.dir} is a file, not a folder`);
      if (code === 'ENOENT') throw new MissingInputError(`archive folder not found: ${source.dir}`);
      throw new MissingInputError(`archive folder ${source.dir} cannot be read (${code ?? (e as Error).message})`);
    }
    if (days.length === 0 && !(opts.from && opts.to))
      throw new MissingInputError(`archive folder ${source.dir} has no day files (named YYYY-MM-DD or YYYY-MM-DD.json)`);
    const asOf = opts.asOf ?? addDays(days[days.length - 1]!, 1);
    return {
      source,
      // The site names a folder as it names a config file: never a folder of the build machine.
      label: publicLocation(opts.sourceSpec),
      where: opts.sourceSpec,
      reference: opts.reference,
      chartConfig,
      uploadConfig,
      asOf,
      from: opts.from ?? days[0]!,
      to: opts.to ?? days[days.length - 1]!,
    };
  }
  const asOf = opts.asOf ?? fx.today();
  if (!opts.asOf) fx.log(`--as-of not given: using today's date ${asOf} (pass --as-of for a reproducible build)`);
  const to = opts.to ?? asOf;
  return {
    source,
    label: source.baseUrl,
    where: source.baseUrl,
    reference: opts.reference,
    chartConfig,
    uploadConfig,
    asOf,
    from: opts.from ?? mondayOf(addDays(to, -7 * 26 + 1)),
    to,
  };
}

export async function runPipeline(opts: Options, fx: RunEffects): Promise<RunResult> {
  const pools: WeekPool[] = [];
  try {
    return await pipeline(opts, fx, pools);
  } finally {
    // Workers started early are stopped whatever happened.
    await Promise.all(pools.map((p) => p.close()));
  }
}

async function pipeline(opts: Options, fx: RunEffects, pools: WeekPool[]): Promise<RunResult> {
  const t0 = performance.now();
  const protect = outProtections(opts);
  // Refuse an unusable --out before any download.
  await checkOutput('--out', opts.out, protect, siteDataWrittenBefore);
  const r = await resolveInputs(opts, fx);
  const inputOpts = { cacheDir: opts.cache, offline: opts.offline, log: fx.log };
  const chartText = await readInput('chart config', r.chartConfig, inputOpts);
  const uploadText = await readInput('upload config', r.uploadConfig, inputOpts);
  const charts = parseChartConfig(chartText.text, r.chartConfig);
  const upload = parseUploadConfig(uploadText.text, r.uploadConfig);
  const referenceText = r.reference ? await readInput('reference population', r.reference, inputOpts) : null;
  const reference = referenceText
    ? parseReference(referenceText.text, r.reference!, new Set(upload.programs.flatMap((p) => p.counters.map((c) => c.chart))))
    : null;
  const spec = buildReduceSpec(upload, charts, reference ? Object.keys(reference.dimensions) : []);
  const specId = specHash(spec);

  // Whole week bins from --from to --to, but no day after --as-of.
  const first = mondayOf(r.from);
  const lastBin = weekOf(r.to < r.asOf ? r.to : r.asOf);
  const last = lastBin <= r.asOf ? lastBin : r.asOf;
  const days = dayRange(first, last);
  fx.log(`source: ${r.where}; weeks ${weekOf(first)} to ${lastBin} (${days.length} days), as of ${r.asOf}`);

  // Without cached partials of this spec nearly every day is reduced: the
  // workers start now and load their code while the day files are hashed.
  const partialDir = join(opts.cache, 'partials', specId);
  const earlyPool = existsSync(partialDir) ? null : startWeekPool(spec, specId, reference, Math.min(opts.jobs, Math.ceil(days.length / 7)));
  if (earlyPool) pools.push(earlyPool);

  const sync = await syncDays({
    source: r.source,
    days,
    cacheDir: opts.cache,
    asOf: r.asOf,
    finalityDays: opts.finalityDays,
    offline: opts.offline,
    concurrency: opts.concurrency,
    log: fx.log,
    progress: fx.progress,
    // With the workers started early, a folder file the hash memo does not know is hashed by the worker that reduces it, in the same read.
    hashLater: earlyPool !== null,
  });
  const t1 = performance.now();
  const stopIfMissing = () => {
    const notFetched = sync.files.filter((f) => f.status === 'missing');
    if (notFetched.length > 0 && !opts.allowMissing) {
      throw new SourceError(
        `${notFetched.length} of ${days.length} days could not be fetched from ${r.where}: ${daysAndReasons(notFetched.map((f) => ({ day: f.day, reason: f.error ?? 'unknown reason' })))}; ` +
          `nothing was written (--allow-missing publishes without them)`,
      );
    }
  };
  stopIfMissing();

  let reduced = 0;
  let reducedBytes = 0;
  let linesFast = 0;
  let linesStrict = 0;
  const unreadable = new Map<Day, string>();
  let progress: Progress | null = null;
  const onDay = (o: DayOutcome) => {
    if (o.unreadable) unreadable.set(o.unreadable.day, o.unreadable.error);
    if (o.reduced) {
      reduced++;
      reducedBytes += o.reduced.bytes;
      linesFast += o.reduced.stats.fastLines;
      linesStrict += o.reduced.stats.strictLines;
    }
    progress?.tick(reducedBytes);
  };
  const byDay = new Map(sync.files.map((f) => [f.day, f]));
  // Without cached partials (the early pool) every present day is reduced
  // now, the largest files first so the workers finish together, those
  // without a hash hashed as they are read; the week tasks come after.
  if (earlyPool) {
    const early: DayTask[] = sync.files.flatMap((f) => (f.status === 'present' ? [{ day: f.day, path: f.path!, sha256: f.sha256 ?? null, partialDir }] : []));
    const size = (d: DayTask) => byDay.get(d.day)?.size ?? 0;
    early.sort((a, b) => size(b) - size(a) || (a.day < b.day ? -1 : 1));
    progress = createProgress({ total: early.length, label: 'reduce', unit: 'day files', mode: fx.progress, log: fx.log });
    const remembering: Promise<void>[] = [];
    await earlyPool.run(
      early,
      [],
      (o) => {
        const f = byDay.get(o.day)!;
        if (f.sha256 === undefined) {
          if (o.hashed) remembering.push(sync.remember(f, o.hashed, o.hashed.sha256));
          else if (o.unreadable) {
            // A file that could not be read to be hashed is missing, as when the hash memo cannot read it.
            sync.markMissing(f, o.unreadable.error);
            return onDay({ ...o, unreadable: null });
          }
        }
        onDay(o);
      },
      () => {},
    );
    await Promise.all(remembering);
    stopIfMissing();
  }

  // Week bins. A week whose days (files and spec) are unchanged reuses its
  // cached estimates; the others merge their days' partials, which come from
  // the partial cache or are reduced now.
  const bins: { week: WeekName; binDays: Day[]; key: string; cachePath: string; listed: boolean }[] = [];
  for (let monday = first; monday <= last; monday = addDays(monday, 7)) {
    const week: WeekName = addDays(monday, 6);
    const binDays = dayRange(monday, week < last ? week : last);
    const key = weekKey(
      specId,
      referenceText?.sha256 ?? null,
      binDays.map((d) => [d, byDay.get(d)?.status ?? 'missing', byDay.get(d)?.sha256 ?? null]),
    );
    const cachePath = weekCachePath(opts.cache, specId, week, key);
    bins.push({ week, binDays, key, cachePath, listed: existsSync(cachePath) });
  }
  // Every week's head; the estimates only of the weeks reduced now, until the weeks to publish are known.
  const heads = new Map<WeekName, WeekHead>();
  const estimatesOf = new Map<WeekName, WeekEstimates>();
  const taskOf = (bin: (typeof bins)[number]): WeekTask => {
    const present = bin.binDays.flatMap((day) => {
      const f = byDay.get(day);
      return f?.status === 'present' ? [{ day, path: f.path!, sha256: f.sha256! }] : [];
    });
    return { week: bin.week, key: bin.key, days: present, partialDir, cachePath: bin.cachePath };
  };
  // The weeks without a cached entry are worked on first; the heads of the cached entries are read meanwhile.
  const tasks: WeekTask[] = bins.filter((b) => !b.listed).map(taskOf);
  const toReduce: DayTask[] = tasks.flatMap((t) => t.days.filter((d) => !hasPartial(partialDir, d.day, d.sha256)).map((d) => ({ ...d, partialDir })));
  // Without a day file to reduce, the weeks merge cached partials in place; with one (a rebuild after a new day) or more, worker threads reduce and merge while this thread reads the cached weeks.
  const inPlace = earlyPool === null && toReduce.length === 0;
  progress ??= inPlace
    ? createProgress({ total: tasks.length, label: 'reduce', unit: 'weeks', mode: fx.progress, log: fx.log })
    : createProgress({ total: toReduce.length, label: 'reduce', unit: 'day files', mode: fx.progress, log: fx.log });
  const onDone = (o: WeekOutcome) => {
    heads.set(o.week, o.entry.head);
    estimatesOf.set(o.week, o.entry.estimates);
    for (const u of o.unreadable) unreadable.set(u.day, u.error);
    for (const d of o.reduced) {
      // A day the day phase could not read is tried again by its week: read now, it is not unreadable.
      unreadable.delete(d.day);
      reduced++;
      reducedBytes += d.bytes;
      linesFast += d.stats.fastLines;
      linesStrict += d.stats.strictLines;
    }
    if (inPlace && !progressDone) progress!.tick(reducedBytes);
  };
  let progressDone = false;
  let compiled: ReturnType<typeof compileSpec> | null = null;
  const inThisThread = (list: WeekTask[]) => {
    compiled ??= compileSpec(spec);
    for (const t of list) onDone(processWeek(t, compiled, specId, reference));
  };
  let working: Promise<void> = Promise.resolve();
  if (inPlace) inThisThread(tasks);
  else {
    const pool = earlyPool ?? startWeekPool(spec, specId, reference, Math.min(opts.jobs, toReduce.length));
    if (!earlyPool) pools.push(pool);
    // The largest files first, so the last ones handed out are short and the workers finish together.
    const size = (d: DayTask) => byDay.get(d.day)?.size ?? 0;
    toReduce.sort((a, b) => size(b) - size(a) || (a.day < b.day ? -1 : 1));
    working = pool.run(toReduce, tasks, onDay, onDone).finally(() => pool.close());
  }
  // Of a cached entry only its head is read now. One that cannot be read, or is of another key, is made again once the workers are done.
  const unusable: WeekTask[] = [];
  const reading = (async () => {
    for (const bin of bins) {
      if (!bin.listed) continue;
      const head = await readWeekHead(bin.cachePath, bin.key);
      if (head) heads.set(bin.week, head);
      else unusable.push(taskOf(bin));
    }
  })();
  await Promise.all([working, reading]);
  if (unusable.length > 0) inThisThread(unusable);
  progressDone = true;
  progress.finish(
    `reduce: ${reduced} day file(s) parsed (${formatBytes(reducedBytes)}); ${bins.length - tasks.length - unusable.length} of ${bins.length} weeks unchanged since the last build`,
  );
  const t2 = performance.now();
  const stopIfUnreadable = () => {
    if (unreadable.size > 0 && !opts.allowMissing) {
      throw new SourceError(
        `${unreadable.size} day file(s) could not be read: ${daysAndReasons([...unreadable].map(([day, reason]) => ({ day, reason })))}; nothing was written (--allow-missing publishes without them)`,
      );
    }
  };
  stopIfUnreadable();

  const ledgers = new Map<Day, Ledger>();
  for (const { week } of bins) for (const [d, l] of Object.entries(heads.get(week)!.ledgers)) ledgers.set(d as Day, l);
  // Days without a file between days with reports, where a quiet day is unlikely, make their week incomplete.
  const suspect = findSuspectDays(
    days.map((day) => {
      const status = unreadable.has(day) ? 'unreadable' : (byDay.get(day)?.status ?? 'missing');
      return { day, status, reports: status === 'present' ? (ledgers.get(day)?.accepted ?? null) : null };
    }),
  );
  const suspectSet = new Set(suspect.map((s) => s.day));
  const weeks: { info: WeekInfo }[] = [];
  for (const { week, binDays } of bins) {
    const head = heads.get(week)!;
    const present = binDays.filter((d) => byDay.get(d)?.status === 'present' && !unreadable.has(d));
    const absent = binDays.filter((d) => byDay.get(d)?.status === 'absent');
    const missing = binDays.filter((d) => !present.includes(d) && !absent.includes(d));
    const suspectDays = absent.filter((d) => suspectSet.has(d));
    const complete = missing.length === 0 && suspectDays.length === 0;
    const provisional = !isFinal(week, r.asOf, opts.finalityDays) || !complete || binDays.length < 7;
    if (suspectDays.length > 0) {
      const why = suspect.filter((s) => suspectDays.includes(s.day)).map((s) => `${s.day} (median ${s.medianReports} reports around it)`);
      fx.log(`week ${week} is incomplete and stays provisional: no reports on ${why.join(', ')}`);
    }
    weeks.push({ info: { week, days: binDays, present, absent, missing, suspectDays, complete, provisional, reports: head.reports } });
  }
  const t3 = performance.now();
  const reports = weeks.reduce((a, w) => a + w.info.reports, 0);
  if (reports === 0) throw new SourceError(`no reports in ${first}..${last} from ${r.where}; nothing was written`);

  const quality: DayQuality[] = sync.files.map((f) => {
    const bad = unreadable.get(f.day);
    return {
      day: f.day,
      status: bad ? 'unreadable' : f.status,
      origin: f.origin,
      error: bad ?? f.error ?? null,
      sha256: f.sha256 ?? null,
      ledger: ledgers.get(f.day) ?? null,
    };
  });
  const programs = programInfos(
    spec,
    charts,
    bins.map((b) => heads.get(b.week)!),
  );
  const collected = new Set(spec.programs.flatMap((p) => [...p.counters, ...p.stacks].map((c) => chartKey(p.program, c.chart))));
  for (const w of weeks) {
    for (const [program, why] of heads.get(w.info.week)!.fallbacks) fx.log(`adjusted estimates for ${program}, week ${w.info.week}: ${why}`);
  }
  const cells: SmallCellOptions = { minCell: opts.minCell, suppressComplements: opts.suppressComplements };
  const staged = await stageOutput('--out', opts.out, protect, siteDataWrittenBefore);
  // Chart weeks whose inputs did not change since the last build are taken from it as text (src/pipeline/parts-cache.ts).
  const code = codeIdentity(PROJECT_ROOT);
  const parts =
    code === null
      ? undefined
      : await DiskPartsCache.open(
          join(opts.cache, 'site-parts', specId),
          new Map(
            weeks.map((w, i) => [
              w.info.week,
              weekPartsKey({ code, weeks: [bins[i - 1]?.key ?? null, bins[i]!.key], infos: [weeks[i - 1]?.info ?? null, w.info], cells }),
            ]),
          ),
        );
  // A week whose chart weeks and digest are all kept is taken from the parts whole; the others are published now, each with the week before it.
  const kept = parts
    ? keptWeeks(
        parts,
        { programs, minCell: opts.minCell, smallCells: smallCellPolicy(cells) },
        weeks.map((w) => w.info.week),
      )
    : new Set<WeekName>();
  const made = (i: number) => i < weeks.length && !kept.has(weeks[i]!.info.week);
  const load = weeks.map((_, i) => made(i) || made(i + 1));
  for (let i = 0; i < bins.length; i++) {
    const bin = bins[i]!;
    if (!load[i] || estimatesOf.has(bin.week)) continue;
    const entry = await readWeekCache(bin.cachePath, bin.key);
    if (entry) estimatesOf.set(bin.week, entry.estimates);
    // Its head was read; its estimates cannot be: the week is made again (the same head, as the key is the same).
    else inThisThread([taskOf(bin)]);
  }
  // A week made again here that could not read a day file (its partial gone too) stops the build as above.
  stopIfUnreadable();
  const untested = new Set(weeks.filter((w) => w.info.provisional).map((w) => w.info.week));
  const siteWeeks: SiteWeek[] = weeks.map((w) => (kept.has(w.info.week) ? { info: w.info, kept: true } : { info: w.info }));
  const flagged: FlaggedChange[] = [];
  const comparisons: FlaggedComparison[] = [];
  // Each run of consecutive weeks to load is published on its own: a week's figures depend on it and the week before only.
  for (let i = 0; i < weeks.length; ) {
    if (!load[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < weeks.length && load[end + 1]) end++;
    const run = weeks.slice(i, end + 1).map((w) => ({ week: w.info.week, estimates: estimatesOf.get(w.info.week)! }));
    const published = publishWeeks(run, cells, { untested });
    published.weeks.forEach((p, j) => {
      siteWeeks[i + j]!.published = p;
    });
    flagged.push(...published.flagged.filter((f) => !kept.has(f.week)));
    comparisons.push(...published.comparisons.filter((c) => !kept.has(c.week)));
    i = end + 1;
  }
  const loaded = load.filter(Boolean).length;
  const writing = writeSiteData(
    staged.dir,
    {
      weeks: siteWeeks,
      flagged,
      comparisons,
      minCell: opts.minCell,
      smallCells: smallCellPolicy(cells),
      build: {
        source: r.label,
        asOf: r.asOf,
        from: first,
        to: last,
        finalityDays: opts.finalityDays,
        pipelineVersion: PIPELINE_VERSION,
        spec: specId,
        sampleRate: spec.sampleRate,
        chartConfig: chartText,
        uploadConfig: uploadText,
        reference:
          referenceText && reference
            ? { ...referenceText, source: reference.source, date: reference.date, size: reference.size, dimensions: reference.dimensions }
            : null,
      },
      programs,
      quality,
      suspect,
      notCollected: charts
        .filter((c) => !collected.has(chartKey(c.program, c.chart)))
        .map((c) => ({ program: c.program, chart: c.chart, title: c.title, line: c.line })),
    },
    undefined,
    parts,
  );
  await swapIn(staged, writing, opts.out);
  if (parts) {
    try {
      await parts.save();
    } catch (e) {
      // The site data is written; without the kept parts the next build makes every chart week again.
      fx.log(`site data: chart weeks not kept for the next build: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    const weekFiles = new Map(bins.map((b) => [b.week, basename(b.cachePath)]));
    const dayFiles = new Map(
      sync.files.flatMap((f) => (f.status === 'present' && f.sha256 ? [[f.day, basename(partialPath(partialDir, f.day, f.sha256))]] : [])),
    );
    const removed = (await pruneSuperseded(join(opts.cache, 'weeks', specId), weekFiles)) + (await pruneSuperseded(partialDir, dayFiles));
    if (removed > 0) fx.log(`cache: ${removed} superseded week and day file(s) removed`);
  } catch (e) {
    // The site data is written; the older files only take room.
    fx.log(`cache: superseded week and day files not removed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const t4 = performance.now();
  fx.log(
    `wrote site data for ${weeks.length} weeks and ${programs.reduce((a, p) => a + p.charts.length, 0)} charts to ${opts.out}` +
      (parts
        ? ` (${parts.reused} of ${parts.reused + parts.madeCount} chart weeks taken from the last build; ${loaded} of ${weeks.length} weeks published from their estimates)`
        : ''),
  );
  return {
    out: opts.out,
    weeks: weeks.length,
    days: { present: sync.summary.present, absent: sync.summary.absent, missing: sync.summary.missing },
    reduced,
    reducedBytes,
    reports,
    linesFast,
    linesStrict,
    seconds: { fetch: (t1 - t0) / 1000, reduce: (t2 - t1) / 1000, estimate: (t3 - t2) / 1000, write: (t4 - t3) / 1000, total: (t4 - t0) / 1000 },
  };
}

/** Identifies a week's inputs: the spec, the reference population and, per day, its status and file hash. */
function weekKey(specId: string, reference: string | null, days: [Day, string, string | null][]): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: PIPELINE_VERSION, e: ESTIMATE_VERSION, f: WEEK_CACHE_FORMAT, specId, reference, days }))
    .digest('hex')
    .slice(0, 32);
}

function weekCachePath(cache: string, specId: string, week: WeekName, key: string): string {
  return join(cache, 'weeks', specId, `${week}.${key}.json`);
}

function programInfos(spec: ReduceSpec, charts: ChartRecord[], weeks: readonly WeekHead[]): ProgramInfo[] {
  const record = new Map(charts.map((c) => [chartKey(c.program, c.chart), c]));
  const programSlugs = new SlugSet();
  return spec.programs.map((p): ProgramInfo => {
    const infos: ChartInfo[] = [];
    const chartSlugs = new SlugSet();
    for (const m of METADATA_CHARTS) {
      if (m === 'Version' && p.toolchain) continue;
      const seen = new Set<string>();
      for (const w of weeks) for (const b of w.seen.find(([program, chart]) => program === p.program && chart === m)?.[2] ?? []) seen.add(b);
      infos.push({
        program: p.program,
        chart: m,
        slug: chartSlugs.take(m, 'metadata'),
        kind: 'metadata',
        type: 'partition',
        title: METADATA_CHART_TEXT[m].title,
        description: METADATA_CHART_TEXT[m].description,
        issues: [],
        expression: '',
        rate: spec.sampleRate,
        minVersion: '',
        buckets: orderBuckets([...seen], bucketOrderForChart(m, 'partition', p.program)),
        inChartConfig: false,
      });
    }
    for (const [kind, list] of [
      ['counter', p.counters],
      ['stack', p.stacks],
    ] as const) {
      for (const c of list) {
        const rec = record.get(chartKey(p.program, c.chart));
        infos.push({
          program: p.program,
          chart: c.chart,
          slug: chartSlugs.take(c.chart, kind),
          kind,
          type: rec?.type ?? (kind === 'stack' ? 'stack' : 'partition'),
          title: rec?.title ?? c.chart,
          description: rec?.description ?? '',
          issues: rec?.issues ?? [],
          expression: c.expression,
          rate: c.rate,
          minVersion: c.minVersion,
          buckets:
            kind === 'stack' ? [] : orderBuckets(c.buckets, bucketOrderForChart(c.chart, rec?.type ?? 'partition', p.program), { configOrder: c.buckets }),
          inChartConfig: rec !== undefined,
        });
      }
    }
    return { program: p.program, slug: programSlugs.take(p.program), versions: p.versions, charts: infos };
  });
}
