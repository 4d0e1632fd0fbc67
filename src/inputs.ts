/**
 * Reads an input file (chart config, upload config, reference population)
 * from a path or an http(s) URL. URL inputs are cached beside the archive
 * cache so that `--offline` builds keep working; a missing input stops the
 * build with one message naming it and where it was looked for.
 */
import { findProjectRoot } from './lib/project-root.ts';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { cacheNameFor } from './fetch/cache.ts';
import { tempPathFor, writeFileAtomic } from './lib/atomic-write.ts';
import { HttpClient } from './fetch/http.ts';

export class MissingInputError extends Error {
  override name = 'MissingInputError';
}

export interface InputText {
  /** Where the input came from, as the site shows it (`publicLocation`). */
  location: string;
  text: string;
  sha256: string;
}

/** Go's own published configs, used with `--source go`. */
export const GO_CHART_CONFIG_URL = 'https://go.googlesource.com/telemetry/+/refs/heads/master/internal/chartconfig/config.txt?format=TEXT';
export const GO_UPLOAD_CONFIG_URL = 'https://go.googlesource.com/telemetry/+/refs/heads/master/config/config.json?format=TEXT';

export async function readInput(what: string, location: string, opts: { cacheDir: string; offline: boolean; log: (l: string) => void }): Promise<InputText> {
  const text = /^https?:\/\//i.test(location) ? await readUrl(what, location, opts) : await readPath(what, location);
  return { location: publicLocation(location), text, sha256: createHash('sha256').update(text).digest('hex') };
}

const PROJECT_ROOT = findProjectRoot();

/**
 * Where an input came from, in words fit to publish: an http(s) URL as given
 * (without a user name or password in it); a file inside the project as its
 * path relative to the project (`.cache/demo/config.txt`); any other file by
 * its base name alone, so no folder of the build machine reaches the site.
 */
export function publicLocation(location: string, root = PROJECT_ROOT): string {
  if (/^https?:\/\//i.test(location)) {
    try {
      const u = new URL(location);
      u.username = '';
      u.password = '';
      return u.href === new URL(location).href ? location : u.href;
    } catch {
      return location;
    }
  }
  const rel = relative(resolve(root), resolve(location));
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return basename(location);
}

async function readPath(what: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MissingInputError(`${what} not found: ${resolve(path)}`);
    if (code === 'EISDIR') throw new MissingInputError(`${what} ${resolve(path)} is a folder, not a file`);
    if (code === 'ENOTDIR') throw new MissingInputError(`${what} not found: ${resolve(path)} (a part of the path is a file, not a folder)`);
    const reason = /^E[A-Z0-9]+: ([^,]+)/.exec((e as Error).message)?.[1] ?? (e as Error).message;
    throw new MissingInputError(`${what} ${resolve(path)} cannot be read: ${reason}${code ? ` (${code})` : ''}`);
  }
}

async function readUrl(what: string, url: string, opts: { cacheDir: string; offline: boolean; log: (l: string) => void }): Promise<string> {
  const dir = join(opts.cacheDir, 'inputs');
  const cached = join(dir, cacheNameFor(url));
  if (!opts.offline) {
    await mkdir(dir, { recursive: true });
    const tmp = tempPathFor(cached);
    const client = new HttpClient({ maxSockets: 1, maxAttempts: 4, timeoutMs: 30_000, backoffBaseMs: 500 });
    try {
      const r = await client.get({ url, tmpPath: tmp, seed: url });
      if (r.kind === 'body') {
        let text = await readFile(tmp, 'utf8');
        // Gitiles serves raw files base64-encoded with ?format=TEXT.
        if (/[?&]format=TEXT\b/.test(url)) text = Buffer.from(text, 'base64').toString('utf8');
        await writeFileAtomic(cached, text);
        return text;
      }
      opts.log(`${what}: ${url} ${r.kind === 'not-found' ? 'was not found (404)' : r.kind === 'failed' ? r.reason : r.kind}; trying the cached copy`);
    } finally {
      client.close();
      await rm(tmp, { force: true });
    }
  }
  try {
    return await readFile(cached, 'utf8');
  } catch {
    throw new MissingInputError(
      `${what} not available: ${url} could not be ${opts.offline ? 'read offline (no cached copy in ' + resolve(dir) + ')' : 'downloaded and has no cached copy'}`,
    );
  }
}
