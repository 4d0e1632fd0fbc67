/**
 * SVG to PNG with resvg, drawing text only with the DejaVu fonts shipped in
 * the `dejavu-fonts-ttf` package (system fonts are never loaded), so the PNG
 * bytes are the same on every machine.
 *
 * An opaque image (every week chart: it draws its own background, and is
 * drawn on an opaque background colour, so its pixels need no check) is encoded
 * here from resvg's pixels with Node's zlib at a fixed fast level: about three
 * times cheaper than resvg's own encoder, and smaller. An image with any
 * transparent pixel goes through resvg's encoder (its pixels are
 * premultiplied).
 */
import { createRequire } from 'node:module';
import { crc32, deflateSync } from 'node:zlib';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { inSubset, PNG_FONT_FILES, subsetFontFile } from './font-subset.ts';
import { outlineText } from './outline-text.ts';

const require = createRequire(import.meta.url);

export { PNG_FONT_FILES };

let subsets: readonly string[] | null = null;

/**
 * The font files resvg may load: a subset of each bundled font
 * (src/render/font-subset.ts; resvg reads a font file again for every glyph,
 * so a small file makes text several times cheaper), then the bundled fonts
 * themselves. An SVG is drawn with the subsets when every character in it is
 * one they hold (the same pixels as the full fonts), otherwise with the full
 * fonts alone (resvg's fallback to another font would not keep bold text bold).
 */
export function pngFontFiles(): readonly string[] {
  subsets ??= PNG_FONT_FILES.map(subsetFontFile);
  return [...subsets, ...PNG_FONT_FILES];
}

/** True when the subsets hold every character of `svg` (a character reference `&#...;` counts as one they lack). */
export function subsetCovers(svg: string): boolean {
  if (svg.includes('&#')) return false;
  for (let i = 0; i < svg.length; i++) {
    const c = svg.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (!inSubset(c)) return false;
  }
  return true;
}

function fontFiles(svg: string): string[] {
  const all = pngFontFiles();
  return subsetCovers(svg) ? all.slice(0, PNG_FONT_FILES.length) : [...PNG_FONT_FILES];
}

export interface PngOptions {
  /** Output width in px; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  width?: number;
  /** Background colour behind transparent areas (default: none; the light/dark charts draw their own). */
  background?: string;
}

/** resvg's options for `drawn`, the outlined text of `svg`: fonts only when some text is left to lay out, chosen by the characters of `svg`. */
function renderOptions(svg: string, drawn: string, options: PngOptions): ResvgRenderOptions {
  return {
    fitTo: options.width === undefined ? { mode: 'original' } : { mode: 'width', value: Math.round(options.width) },
    ...(options.background === undefined ? {} : { background: options.background }),
    font: {
      loadSystemFonts: false,
      fontFiles: drawn.includes('<text') ? fontFiles(svg) : [],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans',
      cursiveFamily: 'DejaVu Sans',
      fantasyFamily: 'DejaVu Sans',
    },
    logLevel: 'off',
  };
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | null = null;

/** The zlib level of the PNGs encoded here. */
const PNG_ZLIB_LEVEL = 3;

/** What identifies the encoder of opaque images (zlib's bytes at one level may differ between zlib versions). */
export const PNG_ENCODER = { format: 'rgba8-filter0-one-idat', zlib: process.versions.zlib ?? null, level: PNG_ZLIB_LEVEL };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const b = Buffer.alloc(12 + data.length);
  b.writeUInt32BE(data.length, 0);
  b.write(type, 4, 'latin1');
  data.copy(b, 8);
  b.writeUInt32BE(crc32(b.subarray(4, 8 + data.length)), 8 + data.length);
  return b;
}

let scratch = Buffer.alloc(0);

/** A colour that is opaque whatever it is: `#rgb` or `#rrggbb`. */
const OPAQUE_COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** True when every pixel of RGBA `pixels` is fully opaque. */
function opaque(pixels: Buffer): boolean {
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 255) return false;
  return true;
}

/**
 * An 8-bit RGBA PNG of opaque `pixels` (width x height, row after row): one
 * IDAT, filter type 0 on every row, deflated at PNG_ZLIB_LEVEL.
 */
export function encodeOpaquePng(width: number, height: number, pixels: Buffer): Buffer {
  const row = width * 4;
  if (pixels.length !== row * height) throw new Error(`expected ${row * height} bytes of pixels, got ${pixels.length}`);
  // The filtered rows go to one scratch buffer reused from call to call (deflateSync is done with it on return).
  if (scratch.length < (row + 1) * height) scratch = Buffer.allocUnsafe((row + 1) * height);
  const raw = scratch.subarray(0, (row + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (row + 1);
    raw[o] = 0;
    pixels.copy(raw, o + 1, y * row, (y + 1) * row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: PNG_ZLIB_LEVEL })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Renders `svg` to PNG bytes. Every font family falls back to DejaVu Sans.
 * The text resvg would lay out glyph by glyph is handed to it as outlines
 * where src/render/outline-text.ts can do so.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  // Loaded on first use: the data pipeline, which bundles this module with the command line, never renders.
  resvg ??= require('@resvg/resvg-js') as ResvgModule;
  const drawn = outlineText(svg);
  const image = new resvg.Resvg(drawn, renderOptions(svg, drawn, options)).render();
  const pixels = image.pixels;
  // Drawn on an opaque background, every pixel is opaque; otherwise each is looked at (about 1 ms at 1200 px).
  const solid = options.background !== undefined && OPAQUE_COLOUR.test(options.background);
  return solid || opaque(pixels) ? encodeOpaquePng(image.width, image.height, pixels) : image.asPng();
}
