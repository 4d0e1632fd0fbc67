/**
 * Output folders (the site data, dist/) are replaced whole, never edited in
 * place: a build writes into a fresh sibling folder and renames it over the
 * old one only when it is complete, so a reader sees either the previous
 * output or the new one, and a failed build leaves the previous output as it
 * was. A folder is only ever replaced if the build made it: each output
 * carries a marker file, and a non-empty folder without one is refused.
 */
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** The file that marks a folder as an output of this build. Never listed in index.json, never published. */
export const OUTPUT_MARKER = '.telemetry-estimates-output';
const MARKER_TEXT = 'This folder is an output of telemetry-estimates. Each build replaces it whole.\n';

/** An output folder that must not be written (exit 1). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** A path the output must never replace or contain. */
export interface Protected {
  /** e.g. "the cache", "the archive folder". */
  what: string;
  path: string;
  /** The output may not lie inside it either. */
  noInside?: boolean;
}

/** The nearest existing ancestor resolved through symlinks, with the rest appended. */
async function canonical(path: string): Promise<string> {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return join(p, ...rest);
      rest.unshift(basename(p));
      p = parent;
    }
  }
}

function within(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !r.startsWith(sep));
}

/**
 * Refuses an output folder that would replace something the build does not
 * own: the root folder, or a folder that is or contains a protected path (or
 * lies inside one marked `noInside`), a path that is not a folder, and a
 * non-empty folder without the marker. `label` names the option (`--out`).
 */
export async function checkOutput(label: string, out: string, protect: Protected[], legacy?: (dir: string) => Promise<boolean>): Promise<void> {
  const target = await canonical(out);
  if (dirname(target) === target) throw new OutputError(`${label} ${resolve(out)} is the root folder; pick a folder of its own, like .cache/site-data`);
  for (const p of protect) {
    const path = await canonical(p.path);
    if (within(path, target)) {
      const how = path === target ? 'is' : 'contains';
      throw new OutputError(
        `${label} ${resolve(out)} ${how} ${p.what} (${path}); each build replaces ${label} whole, so pick a folder of its own, like .cache/site-data`,
      );
    }
    if (p.noInside && within(target, path))
      throw new OutputError(`${label} ${resolve(out)} is inside ${p.what} (${path}); pick a folder of its own, like .cache/site-data`);
  }
  const s = await stat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    if (e.code === 'ENOTDIR') throw new OutputError(`${label} ${resolve(out)}: a part of the path is a file, not a folder`);
    throw e;
  });
  if (s === null) return;
  if (!s.isDirectory()) throw new OutputError(`${label} ${resolve(out)} is a file, not a folder`);
  if (await isOurs(target, legacy)) return;
  throw new OutputError(
    `${label} ${resolve(out)} is a folder this build did not create (it is not empty and has no ${OUTPUT_MARKER} file); each build replaces ${label} whole, so move its files away or pick an empty or new folder`,
  );
}

async function isOurs(dir: string, legacy?: (dir: string) => Promise<boolean>): Promise<boolean> {
  const entries = await readdir(dir);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return true;
  return legacy ? legacy(dir).catch(() => false) : false;
}

/**
 * A site data folder written before output folders carried the marker: its
 * index.json lists every file in it. `indexRel` is where the index sits
 * (`index.json` in the site data, `data/index.json` in dist/).
 */
export function writtenBefore(indexRel: string): (dir: string) => Promise<boolean> {
  return async (dir) => {
    const index = JSON.parse(await readFile(join(dir, indexRel), 'utf8')) as { build?: { pipelineVersion?: unknown }; files?: unknown };
    if (typeof index.build?.pipelineVersion !== 'string' || !Array.isArray(index.files) || !index.files.every((f) => typeof f === 'string')) return false;
    if (indexRel !== 'index.json') return true;
    const top = new Set((index.files as string[]).map((f) => f.split('/')[0]!));
    return (await readdir(dir)).every((e) => top.has(e));
  };
}

export interface Staged {
  /** The fresh folder to write into. */
  dir: string;
  /** Renames the staged folder over the output (the old one moved aside, then removed). */
  commit(): Promise<void>;
  /** Removes the staged folder; the output is untouched. */
  discard(): Promise<void>;
}

/** Where the lock of an output folder lives: `.<name>.lock` beside it (the folder itself is replaced whole). */
export async function outputLockPath(out: string): Promise<string> {
  const target = await canonical(out);
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * Makes a fresh, marked folder beside `out` (`.<name>.new-XXXXXX`), after
 * removing leftovers of earlier runs that were interrupted (sibling folders
 * named `.<name>.new-XXXXXX` or `.<name>.old-XXXXXX`). The caller holds the
 * output's lock, so no other run is using them.
 */
export async function stageOutput(label: string, out: string, protect: Protected[], legacy?: (dir: string) => Promise<boolean>): Promise<Staged> {
  await checkOutput(label, out, protect, legacy);
  const target = await canonical(out);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  const leftover = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(new|old)-[A-Za-z0-9]{6}$`);
  for (const e of await readdir(parent, { withFileTypes: true })) {
    if (e.isDirectory() && leftover.test(e.name)) await rm(join(parent, e.name), { recursive: true, force: true });
  }
  const dir = await mkdtemp(join(parent, `.${name}.new-`));
  await writeFile(join(dir, OUTPUT_MARKER), MARKER_TEXT);
  let done = false;
  return {
    dir,
    async commit() {
      if (done) throw new Error('output already committed or discarded');
      done = true;
      try {
        // The folder may have been created or replaced since the run started.
        await checkOutput(label, out, protect, legacy);
        await writeFile(join(dir, OUTPUT_MARKER), MARKER_TEXT);
        let old: string | null = null;
        if (
          await stat(target).then(
            () => true,
            () => false,
          )
        ) {
          old = await mkdtemp(join(parent, `.${name}.old-`));
          await rm(old, { recursive: true });
          await rename(target, old);
        }
        try {
          await rename(dir, target);
        } catch (e) {
          if (old) await rename(old, target);
          throw e;
        }
        if (old) await rm(old, { recursive: true, force: true });
      } finally {
        // Gone after a successful rename; removed after a failure.
        await rm(dir, { recursive: true, force: true });
      }
    },
    async discard() {
      if (done) return;
      done = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
