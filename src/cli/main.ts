/**
 * The command line: `npm run data` runs the data pipeline; `npm run build`
 * runs it (as `npm run data`, in a child process under the build's locks)
 * and then `astro build`. Exit codes: 0 done, 1 a required input is
 * missing or unusable, the source gave no data, an output folder is refused
 * or another run holds the lock; 2 bad usage.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ConfigError } from '../config/errors.ts';
import { MissingInputError } from '../inputs.ts';
import { fromDate } from '../lib/dates.ts';
import { outProtections, PROJECT_ROOT, siteDataWrittenBefore, SourceError } from '../pipeline/outputs.ts';
import { acquireLocks, LockError, type HeldLock, sharedLocksEnv } from './lock.ts';
import { parseOptions, USAGE, UsageError, type Options } from './options.ts';
import { checkOutput, outputLockPath, OutputError, stageOutput, writtenBefore, type Protected } from './output.ts';
import { type ReusablePage, SavedSite, siteDigest, sourcesDigest } from './site-output.ts';
import type { KeptFiles } from '../site/files.ts';
import { isWeekPageRoute } from '../site/page-routes.ts';
import { PngPool, startPrerender } from '../site/prerender.ts';
import { mergeInto, writeFilesOnWorker } from '../site/write-files.ts';

const log = (line: string) => process.stderr.write(line + '\n');

/** The site folder `npm run build` replaces: dist/, or TELEMETRY_DIST (the site benchmark builds beside it). */
const DIST = process.env.TELEMETRY_DIST ? resolve(process.env.TELEMETRY_DIST) : join(PROJECT_ROOT, 'dist');
const distWrittenBefore = writtenBefore('data/index.json');

export async function main(argv: string[], withSite: boolean): Promise<number> {
  let opts: Options | null;
  try {
    opts = parseOptions(argv, availableParallelism());
  } catch (e) {
    if (e instanceof UsageError) {
      log(`error: ${e.message}\nRun with --help to see every option.`);
      return 2;
    }
    throw e;
  }
  if (opts === null) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    return await run(opts, withSite, argv);
  } catch (e) {
    const message = failure(e);
    if (message === null) throw e;
    log(`error: ${message}`);
    return 1;
  }
}

async function run(opts: Options, withSite: boolean, argv: string[]): Promise<number> {
  // Every refusal comes before a lock, a download or a written byte.
  const protect: Protected[] = outProtections(opts);
  if (withSite) protect.push({ what: 'the site folder dist/', path: DIST, noInside: true });
  await checkOutput('--out', opts.out, protect, siteDataWrittenBefore);
  if (withSite) await checkOutput('the site folder', DIST, [], distWrittenBefore);
  const cache = resolve(opts.cache);
  const s = await stat(cache).catch(() => null);
  if (s && !s.isDirectory()) throw new MissingInputError(`--cache ${cache} is a file, not a folder`);
  await mkdir(cache, { recursive: true });

  // Started with the data step when the site is built (see below), stopped unless the images need them.
  let pngThreads: PngPool | null = null;
  const locks = await acquireLocks([
    { what: `the cache ${cache}`, lockPath: join(cache, '.lock') },
    { what: `the output folder ${resolve(opts.out)}`, lockPath: await outputLockPath(opts.out) },
    ...(withSite ? [{ what: `the site folder ${DIST}`, lockPath: await outputLockPath(DIST) }] : []),
  ]);
  try {
    if (!withSite) {
      // Loaded here: `npm run build` runs the pipeline in a process of its own, as `npm run data`.
      const { runPipeline } = await import('../pipeline/run.ts');
      const r = await runPipeline(opts, { log, progress: 'auto', today: () => fromDate(new Date()) });
      log(
        `data: ${r.weeks} weeks, ${r.reports} reports; ${r.days.present} day files (${r.days.absent} without reports, ${r.days.missing} missing); ` +
          `${r.reduced} reduced now in ${r.seconds.reduce.toFixed(1)} s; total ${r.seconds.total.toFixed(1)} s`,
      );
      checkLocks(locks);
      return 0;
    }
    const images = { dir: join(cache, 'images'), manifest: join(cache, 'images-manifest.json') };
    const threads = Math.max(1, Math.min(opts.jobs, availableParallelism()));
    // The PNG threads load their code while the data step runs: they read the site data only
    // with their first task, once it is written. A build with nothing to draw stops them.
    pngThreads = new PngPool(threads, { siteData: resolve(opts.out), cacheDir: images.dir });
    // The data step runs as `npm run data`, in a process of its own under this run's locks: its
    // memory is gone before the site step starts, and its code is the bundle, not compiled now.
    const dataCode = await dataStep(argv);
    if (dataCode !== 0) return dataCode;
    checkLocks(locks);
    const staged = await stageOutput('the site folder', DIST, [], distWrittenBefore);
    try {
      const siteUrl = siteUrlOf(opts);
      // Everything that reaches the pages besides the site data: the project files and the options.
      const sources = await sourcesDigest(PROJECT_ROOT, { base: opts.base, siteUrl, nodeEnv: process.env.NODE_ENV ?? null });
      const digest = await siteDigest(sources, resolve(opts.out));
      const saved = new SavedSite(cache);
      const kept = await saved.restore(digest, DIST, staged.dir);
      if (kept === 'current') {
        log('site: nothing changed since dist/ was built (site data, site sources and options); dist/ is kept as it is');
        return 0;
      }
      if (kept === 'restored') {
        checkLocks(locks);
        await staged.commit();
        log(`site: nothing changed since the last build (site data, site sources and options); its copy in ${saved.dir} was put in dist/`);
        return 0;
      }
      // Chart-week pages whose inputs are those of the kept copy of the last site are copied from it, not drawn again.
      let pageKeys: [string, string][] | null = null;
      let reused: ReusablePage[] = [];
      let keptFiles: KeptFiles | null = null;
      const skipFile = join(cache, 'skip-pages.json');
      await rm(skipFile, { force: true });
      // The week images are drawn while Astro builds the pages: the pages do not use them, only the file writer does.
      const pre = startPrerender(resolve(opts.out), images.dir, threads, images.manifest, sources, pngThreads);
      // The prerender stops them when it is done.
      pngThreads = null;
      const prepared = pre.done.then(
        (p) => {
          log(
            `site: ${p.images} week PNGs: ${p.hits} from the image cache (${p.kept} of them by an unchanged page key, not drawn again), ` +
              `${p.rendered} rendered on ${threads} worker thread${threads === 1 ? '' : 's'} ` +
              `in ${p.seconds.toFixed(1)} s; ${p.pruned} unused removed from the cache`,
          );
        },
        async (e: unknown) => {
          // The file writer then draws every image itself: the same bytes, only slower.
          await rm(images.manifest, { force: true });
          log(`site: the week images could not be prepared (${e instanceof Error ? e.message : String(e)}); they are drawn as the files are written`);
        },
      );
      // Without keys (the workers failed first) every page is built.
      pageKeys = await pre.pageKeys.catch(() => null);
      if (pageKeys) {
        try {
          const found = await saved.reusablePages(pageKeys);
          if (found.length > 0) {
            await writeFile(skipFile, JSON.stringify(found.map((r) => r.route)));
            reused = found;
            // The csv, json, svg and png of those pages are made from the same inputs: the writer takes them too.
            keptFiles = await saved.reusableFiles(found);
            const reusedWeeks = reused.filter((r) => isWeekPageRoute(r.route)).length;
            const allWeeks = pageKeys.filter(([route]) => isWeekPageRoute(route)).length;
            log(
              `site: ${reused.length - reusedWeeks} of ${pageKeys.length - allWeeks} chart-week pages and ${reusedWeeks} of ${allWeeks} week pages are as in the last build and are taken from its copy in ${saved.dir}`,
            );
          }
        } catch (e) {
          // Every page is then built: the same bytes, only slower.
          log(`site: the pages of the last build could not be checked (${e instanceof Error ? e.message : String(e)}); every page is built`);
        }
      }
      checkLocks(locks);
      log(`site: building the pages with Astro${opts.base === '/' ? '' : ` under ${opts.base}`}${siteUrl ? ` for ${siteUrl}` : ''}`);
      // The non-HTML files are written on a worker thread into the staged site, once the images
      // are ready, while Astro builds the pages into a folder of their own (it empties its output
      // folder); the pages, the smaller tree, are then moved in. The pages taken from the last
      // build's copy are placed meanwhile: Astro does not build them, and placing them is mostly
      // making their folders, which costs the file system, not the processor.
      const pagesDir = await mkdtemp(staged.dir.replace(/[A-Za-z0-9]{6}$/, ''));
      const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
      try {
        const t = performance.now();
        const [{ code, routes }, files, placed] = await Promise.all([
          astroBuild(opts, pagesDir, reused.length > 0 ? skipFile : null),
          prepared
            .then(() => writeFilesOnWorker(staged.dir, { siteData: resolve(opts.out), base: opts.base, siteUrl, images, kept: keptFiles }))
            .then((written) => ({ ...written, seconds: (performance.now() - t) / 1000 }), asError),
          saved.placePages(reused, staged.dir).then(() => null, asError),
        ]);
        if (code !== 0) {
          log(`error: astro build failed (exit ${code}); dist/ is unchanged`);
          return 1;
        }
        if (files instanceof Error) {
          log(`error: the site's data files could not be written (${files.message}); dist/ is unchanged`);
          return 1;
        }
        if (placed) {
          log(`error: the pages of the last build could not be placed (${placed.message}); dist/ is unchanged`);
          return 1;
        }
        await mergeInto(pagesDir, staged.dir);
        checkLocks(locks);
        // The kept copy's hashes: the writer's, taken from the bytes it wrote, and those of the pages taken from the copy.
        const known = new Map(files.hashes);
        for (const r of reused) known.set(r.file, r.sha256);
        await saved.save(digest, staged.dir, pageKeys ?? undefined, known);
        await staged.commit();
        log(
          `site: Astro built ${routeSummary(routes)}; ${routeSummary(files.counts)} written beside it` +
            `${files.kept > 0 ? ` (${files.kept} of them taken from the last build's copy)` : ''} in ${files.seconds.toFixed(1)} s; all in dist/`,
        );
      } finally {
        await rm(pagesDir, { recursive: true, force: true });
      }
      log(`site: view it with \`npm run preview\` (then open the address it prints${opts.base === '/' ? '' : `, under ${opts.base}`})`);
      return 0;
    } finally {
      await staged.discard();
    }
  } finally {
    await pngThreads?.close();
    for (const l of [...locks].reverse()) await l.release();
  }
}

/** Runs `npm run data` with the same arguments (it prints its own log and errors); its exit code. */
function dataStep(argv: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts/data.mjs'), ...argv], {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: process.cwd(),
      env: { ...process.env, ...sharedLocksEnv() },
    });
    child.on('error', (e) => {
      log(`error: the data step could not be started (${e.message})`);
      done(1);
    });
    child.on('close', (code, signal) => {
      if (signal) log(`error: the data step was stopped by ${signal}; nothing was written to dist/`);
      done(code ?? 1);
    });
  });
}

function checkLocks(locks: HeldLock[]): void {
  const lost = locks.find((l) => l.lost !== null);
  if (lost) throw new LockError(`${lost.lost}; nothing more was written`);
}

function siteUrlOf(opts: Options): string | null {
  return opts.siteUrl ?? (process.env.TELEMETRY_SITE_URL || null);
}

/** Files written, by extension (html, png, svg, csv, json, ...). */
type RouteCounts = Map<string, number>;

function routeSummary(routes: RouteCounts): string {
  const total = [...routes.values()].reduce((a, b) => a + b, 0);
  const parts = [...routes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ext, n]) => `${n} ${ext}`);
  return `${total} files (${parts.join(', ')})`;
}

/**
 * Astro's progress lines that the summary replaces: one per generated route
 * and the routine steps of a build. Anything else it prints (warnings,
 * errors, stack traces, new messages) is passed through whole.
 */
const ROUTINE = [
  /^(\d\d:\d\d:\d\d)?\s*[├└]─ \S+/,
  /^(\d\d:\d\d:\d\d )?[λ▶] src\/pages\//,
  /^(\d\d:\d\d:\d\d )?\[(content|types)\] /,
  /^(\d\d:\d\d:\d\d )?\[vite\] (Re-optimizing dependencies|✓ built in)/,
  /^(\d\d:\d\d:\d\d )?\[build\] (output|mode|directory|Collecting build info|✓ Completed in|Building static entrypoints|Complete!)/,
  /^(\d\d:\d\d:\d\d )?✓ Completed in /,
  /^\s*generating static routes\s*$/,
  /^\s*$/,
];

function astroBuild(opts: Options, outDir: string, skipPages: string | null): Promise<{ code: number; routes: RouteCounts }> {
  const routes: RouteCounts = new Map();
  const siteUrl = siteUrlOf(opts);
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules/astro/astro.js'), 'build', '--outDir', outDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ASTRO_TELEMETRY_DISABLED: '1',
        TELEMETRY_SITE_DATA: resolve(opts.out),
        TELEMETRY_BASE: opts.base,
        ...(skipPages ? { TELEMETRY_SKIP_PAGES: skipPages } : {}),
        ...(siteUrl ? { TELEMETRY_SITE_URL: siteUrl } : {}),
      },
    });
    let rest = '';
    const onLine = (raw: string) => {
      // Colour codes would defeat the patterns; the terminal gets the line as Astro wrote it.
      const line = stripVTControlCharacters(raw);
      const route = /^(?:\d\d:\d\d:\d\d)?\s*[├└]─ (\S+)/.exec(line);
      if (route) {
        const ext = /\.([a-z0-9]+)$/i.exec(route[1]!)?.[1]?.toLowerCase() ?? 'other';
        routes.set(ext, (routes.get(ext) ?? 0) + 1);
      }
      const page = /^(?:\d\d:\d\d:\d\d )?[λ▶] (src\/pages\/\S+)/.exec(line);
      if (page) log(`site: generating ${page[1]}`);
      else if (!ROUTINE.some((r) => r.test(line))) log(raw);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    child.on('error', () => done({ code: 1, routes }));
    child.on('close', (code) => {
      if (rest) onLine(rest);
      done({ code: code ?? 1, routes });
    });
  });
}

const ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  mkdtemp: 'create a folder in',
  rename: 'rename',
  rmdir: 'remove',
  rm: 'remove',
  unlink: 'remove',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  realpath: 'resolve',
  utime: 'update',
  copyfile: 'copy',
  access: 'access',
};

/** The one-line message for an input or environment error, or null for a bug (which keeps its stack trace). */
export function failure(e: unknown): string | null {
  if (e instanceof MissingInputError || e instanceof ConfigError || e instanceof SourceError || e instanceof OutputError || e instanceof LockError)
    return e.message;
  const err = e as NodeJS.ErrnoException & { dest?: string };
  if (!(e instanceof Error) || typeof err.code !== 'string' || !/^E[A-Z0-9]+$/.test(err.code)) return null;
  const reason = /^E[A-Z0-9]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message;
  if (err.path === undefined) return `${reason} (${err.code})`;
  const action = (err.syscall && ACTIONS[err.syscall]) ?? err.syscall ?? 'use';
  const path = err.syscall === 'mkdtemp' ? dirname(err.path) : err.path;
  return `cannot ${action} ${path}${err.dest ? ` to ${err.dest}` : ''}: ${reason} (${err.code})`;
}
