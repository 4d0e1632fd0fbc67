/**
 * What the data pipeline writes and must never touch, and how it fails for
 * want of data: the part of the pipeline that `npm run build` needs before it
 * starts the data step in a process of its own, kept apart from the pipeline
 * (run.ts), so the build does not load the pipeline's code for nothing.
 */
import { join } from 'node:path';
import type { Options } from '../cli/options.ts';
import { type Protected, writtenBefore } from '../cli/output.ts';
import { findProjectRoot } from '../lib/project-root.ts';

/** The source could not give the data the run asked for (exit 1); nothing was written. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** The project checkout (where package.json is). */
export const PROJECT_ROOT = findProjectRoot();

/** Folders of the cache that are not the output's to replace or hold. */
const CACHE_ENTRIES = ['archive', 'dir-sha256', 'partials', 'weeks', 'inputs', 'demo', 'images', 'site-output', 'site-parts'];

/**
 * What `--out` must never replace: the project root, the cache and the
 * archive folder (neither equal to nor an ancestor of them), and it must not
 * lie inside the archive folder or one of the cache's own folders. Inside the
 * cache is fine (the default is .cache/site-data).
 */
export function outProtections(opts: Pick<Options, 'source' | 'cache'>): Protected[] {
  const p: Protected[] = [
    { what: 'the project folder', path: PROJECT_ROOT },
    { what: 'the cache (--cache)', path: opts.cache },
    ...CACHE_ENTRIES.map((e) => ({ what: `the cache's ${e}/ folder`, path: join(opts.cache, e), noInside: true })),
  ];
  if (opts.source.kind === 'dir') p.push({ what: 'the archive folder (--source)', path: opts.source.dir, noInside: true });
  return p;
}

/** A site data folder written before output folders were marked is still recognised as one. */
export const siteDataWrittenBefore = writtenBefore('index.json');
