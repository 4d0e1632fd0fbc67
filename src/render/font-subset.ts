/**
 * Small copies of the PNG fonts for the characters charts mostly draw.
 *
 * resvg reads a font file from disk again for every glyph it lays out or
 * draws, so a chart's text costs a whole read of the ~750 KB DejaVu files per
 * glyph. A subset made with HarfBuzz (hb-subset, from the `harfbuzzjs`
 * package: the same glyphs, metrics, kerning and layout features for the
 * characters kept, without hinting, which resvg does not use) is a few tens
 * of KB. It is written once to a folder under the system's temporary folder,
 * named by the SHA-256 of its bytes; the full fonts stay loaded after it, so
 * a character outside the subset is still drawn, from the full font.
 * Subsetting is deterministic: the same font, ranges and HarfBuzz give the
 * same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * The code points kept (inclusive ranges): Basic Latin, Latin-1, Latin
 * Extended-A, General Punctuation, the four plain arrows, minus, ≈, ≤, ≥ and
 * the geometric shapes (the chart marks such as ◇). The smaller the subset,
 * the cheaper each glyph.
 */
const SUBSET_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2000, 0x206f],
  [0x2190, 0x2193],
  [0x2212, 0x2212],
  [0x2248, 0x2248],
  [0x2264, 0x2265],
  [0x25a0, 0x25ff],
];

/** The bundled font files the PNGs are drawn with: DejaVu Sans regular and bold. */
export const PNG_FONT_FILES: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

/** True when the subsets hold the UTF-16 code unit `c`. */
export function inSubset(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || SUBSET_RANGES.some(([a, b]) => c >= a && c <= b);
}

interface HarfBuzz {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_set_invert(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;

let hb: HarfBuzz | null = null;

function harfbuzz(): HarfBuzz {
  if (!hb) {
    const module = new WebAssembly.Module(readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm')));
    hb = new WebAssembly.Instance(module, {}).exports as unknown as HarfBuzz;
    hb._initialize();
  }
  return hb;
}

/** The bytes of `font` (a TrueType file) cut down to the code points of `ranges`, every layout feature kept, hinting dropped. */
export function subsetFont(font: Uint8Array, ranges: readonly (readonly [number, number])[] = SUBSET_RANGES): Buffer {
  const h = harfbuzz();
  const input = h.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('HarfBuzz could not start a font subset');
  const data = h.malloc(font.byteLength);
  new Uint8Array(h.memory.buffer).set(font, data);
  const blob = h.hb_blob_create(data, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = h.hb_face_create(blob, 0);
  h.hb_blob_destroy(blob);
  let subset = 0;
  try {
    const features = h.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    h.hb_set_clear(features);
    h.hb_set_invert(features); // all of them
    h.hb_subset_input_set_flags(input, h.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_HINTING);
    const unicodes = h.hb_subset_input_unicode_set(input);
    for (const [first, last] of ranges) for (let c = first; c <= last; c++) h.hb_set_add(unicodes, c);
    subset = h.hb_subset_or_fail(face, input);
    if (subset === 0) throw new Error('HarfBuzz could not subset the font');
    const out = h.hb_face_reference_blob(subset);
    const at = h.hb_blob_get_data(out, 0);
    const length = h.hb_blob_get_length(out);
    const bytes = Buffer.from(new Uint8Array(h.memory.buffer, at, length));
    h.hb_blob_destroy(out);
    if (length === 0) throw new Error('HarfBuzz made an empty font subset');
    return bytes;
  } finally {
    if (subset !== 0) h.hb_face_destroy(subset);
    h.hb_subset_input_destroy(input);
    h.hb_face_destroy(face);
    h.free(data);
  }
}

/** The folder the subsets are written to. */
export const SUBSET_DIR = join(tmpdir(), 'telemetry-estimates-png-fonts');

let written = 0;

/**
 * The path of a file holding the subset of the font file `path`: made now
 * and written whole (a temporary name, then a rename) unless a file with its
 * content hash as name is already there with those bytes.
 */
export function subsetFontFile(path: string): string {
  const bytes = subsetFont(readFileSync(path));
  const file = join(SUBSET_DIR, `${createHash('sha256').update(bytes).digest('hex')}.ttf`);
  if (existsSync(file) && readFileSync(file).equals(bytes)) return file;
  mkdirSync(SUBSET_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}-${threadId}-${written++}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return file;
}
