/**
 * A content-addressed cache of rendered PNGs: `<dir>/<key>.png`, where the
 * key is the SHA-256 of the SVG text, the render options, the resvg version
 * and the bytes of the bundled fonts (and of the SVG texts themselves,
 * `<dir>/<sha256>.svg`, so a build reads them rather than drawing them twice). Equal keys mean equal inputs to a
 * deterministic renderer, so a cached file is the bytes a fresh render would
 * give. Files are written whole (a temporary name, then a rename); entries a
 * build did not use are pruned, which keeps the cache the size of one site.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { HARFBUZZ_WASM, TEXT_OUTLINES } from './outline-text.ts';
import { PNG_ENCODER, type PngOptions, pngFontFiles, svgToPng } from './png.ts';

const require = createRequire(import.meta.url);

let rendererId: string | null = null;
let written = 0;

/** What identifies the renderer: the resvg package version, a hash of each font file it loads (the subsets too), the PNG encoder and what outlines the text (src/render/outline-text.ts). */
function renderer(): string {
  if (rendererId === null) {
    const resvg = (require('@resvg/resvg-js/package.json') as { version: string }).version;
    const fonts = pngFontFiles().map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
    const harfbuzz = createHash('sha256').update(readFileSync(HARFBUZZ_WASM)).digest('hex');
    rendererId = JSON.stringify({ resvg, fonts, encoder: PNG_ENCODER, text: { outlines: TEXT_OUTLINES, harfbuzz } });
  }
  return rendererId;
}

/** The cache key of `svg` rendered with `options`. */
export function pngKey(svg: string, options: PngOptions = {}): string {
  const o = JSON.stringify({ width: options.width ?? null, background: options.background ?? null });
  return createHash('sha256').update(renderer()).update('\0').update(o).update('\0').update(svg).digest('hex');
}

/** The key of an SVG file kept in the cache: the SHA-256 of its text. */
function svgKey(svg: string): string {
  return createHash('sha256').update(svg).digest('hex');
}

const KEY = /^[0-9a-f]{64}\.(png|svg)$/;

export class ImageCache {
  constructor(readonly dir: string) {}

  path(key: string, ext: 'png' | 'svg' = 'png'): string {
    return join(this.dir, `${key}.${ext}`);
  }

  /** The cached bytes, or null when there are none. */
  async get(key: string, ext: 'png' | 'svg' = 'png'): Promise<Buffer | null> {
    return readFile(this.path(key, ext)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
  }

  async put(key: string, bytes: Uint8Array | string, ext: 'png' | 'svg' = 'png'): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path(key, ext)}.${process.pid}-${threadId}-${written++}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.path(key, ext));
  }

  /** Keeps the text of `svg` (named by its hash, so an existing file already holds it); returns its key. */
  async keepSvg(svg: string): Promise<string> {
    const key = svgKey(svg);
    const there = await stat(this.path(key, 'svg')).then(
      () => true,
      () => false,
    );
    if (!there) await this.put(key, svg, 'svg');
    return key;
  }

  /**
   * Makes sure the cache holds the PNG of `svg` (rendered now and stored when
   * it does not), without reading it: a rebuild finds most of its images
   * there, and reading them all would only fill memory.
   */
  async ensurePng(svg: string, options: PngOptions = {}): Promise<{ key: string; hit: boolean }> {
    const key = pngKey(svg, options);
    const there = await stat(this.path(key)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (there) return { key, hit: true };
    await this.put(key, svgToPng(svg, options));
    return { key, hit: false };
  }

  /** The PNG of `svg`: from the cache when it is there, otherwise rendered now and stored. */
  async png(svg: string, options: PngOptions = {}): Promise<{ bytes: Buffer; key: string; hit: boolean }> {
    const key = pngKey(svg, options);
    const cached = await this.get(key);
    if (cached) return { bytes: cached, key, hit: true };
    const bytes = svgToPng(svg, options);
    await this.put(key, bytes);
    return { bytes, key, hit: false };
  }

  /** Removes every entry whose key is not in `keep` (and leftover temporary files); returns how many were removed. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    let removed = 0;
    for (const name of names) {
      if (KEY.test(name) && keep.has(name.slice(0, 64))) continue;
      await rm(join(this.dir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }
}

/** Writes a manifest of [route, PNG key, SVG key, page key or null] entries (whole or not at all). */
export async function writeImageManifest(path: string, entries: [string, string, string, string | null][]): Promise<void> {
  const tmp = `${path}.${process.pid}-${threadId}-${written++}.tmp`;
  await writeFile(tmp, JSON.stringify(entries));
  await rename(tmp, path);
}

/** A manifest written by `writeImageManifest`: route -> its PNG and SVG keys and the page key they were made under (null when none was given, or in an older manifest). */
export function readImageManifest(path: string): Map<string, { png: string; svg: string; page: string | null }> {
  const entries = JSON.parse(readFileSync(path, 'utf8')) as [string, string, string, string | null | undefined][];
  return new Map(entries.map(([route, png, svg, page]) => [route, { png, svg, page: typeof page === 'string' ? page : null }]));
}
