/**
 * The text of a chart SVG turned into glyph outlines before resvg draws it.
 *
 * resvg lays out every `<text>` itself, reading the font file again for each
 * glyph: most of the cost of building an image's tree. Here each label is
 * shaped once per thread with HarfBuzz (the `harfbuzzjs` package's
 * WebAssembly build, instantiated synchronously; the same shaping resvg's
 * rustybuzz does) on the bundled DejaVu fonts, and each glyph's TrueType
 * outline is read once from the font's `glyf` table and kept, per size, as
 * relative path data; a label's path is those joined. Each `<text>` becomes a `<path>`
 * translated to where resvg would have put its first glyph (x, y plus `dy`,
 * moved left by the advance for `text-anchor` middle or end) with the same
 * fill. The pixels match resvg's own text up to the anti-aliasing of a few
 * edge pixels (tests/render/outline-text.test.ts).
 *
 * Only text this module fully understands is outlined: characters the PNG
 * font subsets hold (src/render/font-subset.ts) and the font has glyphs for,
 * no leading, trailing or repeated spaces (SVG collapses those), and only the
 * attributes the charts write (on the text and on its ancestors). Any other
 * `<text>` is left as it is, for resvg to draw.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inSubset, PNG_FONT_FILES } from './font-subset.ts';

const require = createRequire(import.meta.url);

/** The version of this module's outlines: changes whenever the outlines drawn for the same SVG, fonts and HarfBuzz may change (part of the PNG cache key). */
export const TEXT_OUTLINES = 1;

/** The HarfBuzz build shaping the text (its hash is part of the PNG cache key). */
export const HARFBUZZ_WASM: string = require.resolve('harfbuzzjs/dist/harfbuzz.wasm');

interface HarfBuzz {
  memory: WebAssembly.Memory;
  __wasm_call_ctors(): void;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_face_create(blob: number, index: number): number;
  hb_face_get_upem(face: number): number;
  hb_font_create(face: number): number;
  hb_buffer_create(): number;
  hb_buffer_clear_contents(buffer: number): void;
  hb_buffer_add_utf16(buffer: number, text: number, length: number, offset: number, itemLength: number): void;
  hb_buffer_guess_segment_properties(buffer: number): void;
  hb_buffer_get_length(buffer: number): number;
  hb_buffer_get_glyph_infos(buffer: number, length: number): number;
  hb_buffer_get_glyph_positions(buffer: number, length: number): number;
  hb_shape(font: number, buffer: number, features: number, count: number): void;
}

const HB_MEMORY_MODE_READONLY = 1;

/** One TrueType font: its HarfBuzz font and the `glyf` outlines, read when first needed. */
interface Face {
  font: number;
  upem: number;
  bytes: Buffer;
  glyf: number;
  loca: number;
  longLoca: boolean;
  glyphs: number;
  outlines: Map<number, Float64Array | null>;
  /** Relative path data of each glyph drawn so far, by size, then id (`glyphPath`). */
  paths: Map<number, Map<number, string | null>>;
}

interface Shaper {
  hb: HarfBuzz;
  buffer: number;
  text: number;
  textSize: number;
  faces: [Face, Face];
}

let shaper: Shaper | null = null;

function instantiate(): HarfBuzz {
  const module = new WebAssembly.Module(readFileSync(HARFBUZZ_WASM));
  let memory: WebAssembly.Memory | null = null;
  const fail = () => {
    throw new Error('HarfBuzz stopped');
  };
  const instance = new WebAssembly.Instance(module, {
    wasi_snapshot_preview1: { proc_exit: fail },
    env: {
      _abort_js: fail,
      _emscripten_runtime_keepalive_clear: () => {},
      _setitimer_js: () => 0,
      emscripten_resize_heap: (size: number) => {
        const m = memory!;
        const pages = Math.ceil((size - m.buffer.byteLength) / 65536);
        try {
          m.grow(pages);
          return 1;
        } catch {
          return 0;
        }
      },
    },
  });
  const hb = instance.exports as unknown as HarfBuzz;
  memory = hb.memory;
  hb.__wasm_call_ctors();
  return hb;
}

function table(bytes: Buffer, tag: string): number {
  const count = bytes.readUInt16BE(4);
  for (let i = 0; i < count; i++) if (bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i) === tag) return bytes.readUInt32BE(20 + 16 * i);
  throw new Error(`the font has no ${tag} table`);
}

function openFace(hb: HarfBuzz, path: string): Face {
  const bytes = readFileSync(path);
  // The font's bytes stay in HarfBuzz's memory for as long as the process runs.
  const data = hb.malloc(bytes.length);
  new Uint8Array(hb.memory.buffer).set(bytes, data);
  const blob = hb.hb_blob_create(data, bytes.length, HB_MEMORY_MODE_READONLY, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  const head = table(bytes, 'head');
  return {
    font: hb.hb_font_create(face),
    upem: hb.hb_face_get_upem(face),
    bytes,
    glyf: table(bytes, 'glyf'),
    loca: table(bytes, 'loca'),
    longLoca: bytes.readInt16BE(head + 50) === 1,
    glyphs: bytes.readUInt16BE(table(bytes, 'maxp') + 4),
    outlines: new Map(),
    paths: new Map(),
  };
}

function load(): Shaper {
  if (shaper) return shaper;
  const hb = instantiate();
  shaper = { hb, buffer: hb.hb_buffer_create(), text: 0, textSize: 0, faces: [openFace(hb, PNG_FONT_FILES[0]!), openFace(hb, PNG_FONT_FILES[1]!)] };
  return shaper;
}

// Path commands of an outline, in font units: MOVE x y, LINE x y, QUAD cx cy x y, CLOSE.
const MOVE = 0;
const LINE = 1;
const QUAD = 2;
const CLOSE = 3;

/** The outline of glyph `id` as path commands in font units (y up), or null when it cannot be read. */
function outline(face: Face, id: number, depth = 0): Float64Array | null {
  const known = face.outlines.get(id);
  if (known !== undefined) return known;
  const out: number[] = [];
  const ok = id < face.glyphs && depth < 8 && readGlyph(face, id, out, depth);
  const result = ok ? Float64Array.from(out) : null;
  face.outlines.set(id, result);
  return result;
}

function glyphRange(face: Face, id: number): [number, number] {
  const b = face.bytes;
  if (face.longLoca) return [b.readUInt32BE(face.loca + 4 * id), b.readUInt32BE(face.loca + 4 * id + 4)];
  return [b.readUInt16BE(face.loca + 2 * id) * 2, b.readUInt16BE(face.loca + 2 * id + 2) * 2];
}

function readGlyph(face: Face, id: number, out: number[], depth: number): boolean {
  const b = face.bytes;
  const [start, end] = glyphRange(face, id);
  if (end === start) return true; // no outline (a space)
  const at = face.glyf + start;
  const contours = b.readInt16BE(at);
  return contours >= 0 ? simpleGlyph(b, at, contours, out) : compositeGlyph(face, at + 10, out, depth);
}

function simpleGlyph(b: Buffer, at: number, contours: number, out: number[]): boolean {
  let p = at + 10;
  const ends: number[] = [];
  for (let i = 0; i < contours; i++, p += 2) ends.push(b.readUInt16BE(p));
  const points = contours === 0 ? 0 : ends[contours - 1]! + 1;
  p += 2 + b.readUInt16BE(p); // the instructions
  const flags = new Uint8Array(points);
  for (let i = 0; i < points; ) {
    const f = b[p++]!;
    flags[i++] = f;
    if (f & 8) for (let r = b[p++]!; r > 0; r--) flags[i++] = f;
  }
  const xs = new Float64Array(points);
  const ys = new Float64Array(points);
  for (const [coords, short, same] of [
    [xs, 2, 16],
    [ys, 4, 32],
  ] as const) {
    let v = 0;
    for (let i = 0; i < points; i++) {
      const f = flags[i]!;
      if (f & short) v += f & same ? b[p++]! : -b[p++]!;
      else if (!(f & same)) {
        v += b.readInt16BE(p);
        p += 2;
      }
      coords[i] = v;
    }
  }
  let first = 0;
  for (const last of ends) {
    contour(xs, ys, flags, first, last, out);
    first = last + 1;
  }
  return true;
}

/** One closed contour of points first..last, on-curve points joined by lines and off-curve ones by quadratic curves. */
function contour(xs: Float64Array, ys: Float64Array, flags: Uint8Array, first: number, last: number, out: number[]): void {
  const n = last - first + 1;
  if (n <= 0) return;
  const on = (i: number) => (flags[first + (i % n)]! & 1) === 1;
  const x = (i: number) => xs[first + (i % n)]!;
  const y = (i: number) => ys[first + (i % n)]!;
  // Start on an on-curve point; with none, halfway between the first two off-curve points.
  let s = 0;
  while (s < n && !on(s)) s++;
  let sx: number;
  let sy: number;
  if (s === n) {
    sx = (x(0) + x(1)) / 2;
    sy = (y(0) + y(1)) / 2;
    s = 0;
  } else {
    sx = x(s);
    sy = y(s);
  }
  out.push(MOVE, sx, sy);
  let cx = 0;
  let cy = 0;
  let pending = false;
  for (let k = 1; k <= n; k++) {
    const i = s + k;
    const px = k === n && on(s) ? sx : x(i);
    const py = k === n && on(s) ? sy : y(i);
    if (on(i)) {
      if (pending) out.push(QUAD, cx, cy, px, py);
      else out.push(LINE, px, py);
      pending = false;
    } else {
      if (pending) out.push(QUAD, cx, cy, (cx + px) / 2, (cy + py) / 2);
      cx = px;
      cy = py;
      pending = true;
    }
  }
  if (pending) out.push(QUAD, cx, cy, sx, sy);
  out.push(CLOSE);
}

function compositeGlyph(face: Face, at: number, out: number[], depth: number): boolean {
  const b = face.bytes;
  let p = at;
  for (;;) {
    const flags = b.readUInt16BE(p);
    const id = b.readUInt16BE(p + 2);
    p += 4;
    // Only offsets (not point matching) place the components of the charts' fonts.
    if (!(flags & 2)) return false;
    let dx: number;
    let dy: number;
    if (flags & 1) {
      dx = b.readInt16BE(p);
      dy = b.readInt16BE(p + 2);
      p += 4;
    } else {
      dx = b.readInt8(p);
      dy = b.readInt8(p + 1);
      p += 2;
    }
    let a = 1;
    let bb = 0;
    let c = 0;
    let d = 1;
    const f2 = (o: number) => b.readInt16BE(o) / 16384;
    if (flags & 8) {
      a = d = f2(p);
      p += 2;
    } else if (flags & 0x40) {
      a = f2(p);
      d = f2(p + 2);
      p += 4;
    } else if (flags & 0x80) {
      a = f2(p);
      bb = f2(p + 2);
      c = f2(p + 4);
      d = f2(p + 6);
      p += 8;
    }
    const part = outline(face, id, depth + 1);
    if (part === null) return false;
    for (let i = 0; i < part.length; ) {
      const op = part[i++]!;
      out.push(op);
      const pairs = op === QUAD ? 2 : op === CLOSE ? 0 : 1;
      for (let k = 0; k < pairs; k++, i += 2) out.push(a * part[i]! + c * part[i + 1]! + dx, bb * part[i]! + d * part[i + 1]! + dy);
    }
    if (!(flags & 0x20)) return true;
  }
}

/** `v` rounded to 3 decimals. */
const r3 = (v: number): number => Math.round(v * 1000) / 1000;

/** A number of path data: `v` at 3 decimals, without a trailing `.0` or a `-0`. */
const n3 = (v: number): string => {
  const r = r3(v);
  return r === 0 ? '0' : String(r);
};

/**
 * The outline of glyph `id` at `size` px as relative path data that starts
 * and ends at the glyph's origin (y down), or null when it cannot be read.
 * Every point is rounded to 3 decimals first and the steps are taken between
 * rounded points, so the rounding does not add up along a contour.
 */
function glyphPath(face: Face, id: number, size: number): string | null {
  let sized = face.paths.get(size);
  if (sized === undefined) {
    sized = new Map();
    face.paths.set(size, sized);
  }
  const known = sized.get(id);
  if (known !== undefined) return known;
  const o = outline(face, id);
  let d: string | null = null;
  if (o !== null) {
    const scale = size / face.upem;
    const parts: string[] = [];
    let px = 0;
    let py = 0;
    let sx = 0;
    let sy = 0;
    const step = (x: number, y: number) => {
      const ax = r3(x * scale);
      const ay = r3(-y * scale);
      parts.push(n3(ax - px), ',', n3(ay - py));
      px = ax;
      py = ay;
    };
    for (let i = 0; i < o.length; ) {
      const op = o[i++]!;
      if (op === CLOSE) {
        parts.push('z');
        px = sx;
        py = sy;
      } else if (op === QUAD) {
        // Both points of a relative curve are taken from where the curve starts.
        const cx = r3(o[i]! * scale);
        const cy = r3(-o[i + 1]! * scale);
        parts.push('q', n3(cx - px), ',', n3(cy - py), ' ');
        step(o[i + 2]!, o[i + 3]!);
        i += 4;
      } else {
        parts.push(op === MOVE ? 'm' : 'l');
        step(o[i]!, o[i + 1]!);
        i += 2;
        if (op === MOVE) {
          sx = px;
          sy = py;
        }
      }
    }
    if (px !== 0 || py !== 0) parts.push('m', n3(-px), ',', n3(-py));
    d = parts.join('');
  }
  sized.set(id, d);
  return d;
}

/** A label shaped: each glyph's id and origin (x from the start of the label, y up) in font units, and the whole advance. */
interface Run {
  ids: Uint32Array;
  xs: Int32Array;
  ys: Int32Array;
  advance: number;
}

const runs = new Map<string, Run | null>();
/** The shaped labels kept are forgotten all at once when there are this many (a 52-week site has about 8,000). */
const MAX_RUNS = 100_000;

/** `s` shaped with the regular or the bold font; null when a character has no glyph. */
function shapeRun(s: string, bold: boolean): Run | null {
  const key = `${bold ? 'b' : 'r'}${s}`;
  const known = runs.get(key);
  if (known !== undefined) return known;
  const sh = load();
  const { hb } = sh;
  const face = sh.faces[bold ? 1 : 0];
  if (sh.textSize < s.length) {
    if (sh.text) hb.free(sh.text);
    sh.textSize = Math.max(64, s.length * 2);
    sh.text = hb.malloc(sh.textSize * 2);
  }
  const u16 = new Uint16Array(hb.memory.buffer, sh.text, s.length);
  for (let i = 0; i < s.length; i++) u16[i] = s.charCodeAt(i);
  hb.hb_buffer_clear_contents(sh.buffer);
  hb.hb_buffer_add_utf16(sh.buffer, sh.text, s.length, 0, -1);
  hb.hb_buffer_guess_segment_properties(sh.buffer);
  hb.hb_shape(face.font, sh.buffer, 0, 0);
  const count = hb.hb_buffer_get_length(sh.buffer);
  const infos = new Uint32Array(hb.memory.buffer, hb.hb_buffer_get_glyph_infos(sh.buffer, 0), count * 5);
  const positions = new Int32Array(hb.memory.buffer, hb.hb_buffer_get_glyph_positions(sh.buffer, 0), count * 5);
  const run: Run = { ids: new Uint32Array(count), xs: new Int32Array(count), ys: new Int32Array(count), advance: 0 };
  let pen = 0;
  let ok = true;
  for (let g = 0; g < count; g++) {
    const id = infos[g * 5]!;
    if (id === 0) ok = false;
    run.ids[g] = id;
    run.xs[g] = pen + positions[g * 5 + 2]!;
    run.ys[g] = positions[g * 5 + 3]!;
    pen += positions[g * 5]!;
  }
  run.advance = pen;
  if (runs.size >= MAX_RUNS) runs.clear();
  runs.set(key, ok ? run : null);
  return ok ? run : null;
}

interface Shaped {
  /** Path data of the label with its baseline's start at the origin. */
  d: string;
  /** Its advance in px. */
  width: number;
}

/** `s` at `size` px, bold or not, as path data at the origin; null when a character has no glyph or outline. */
function shape(s: string, size: number, bold: boolean): Shaped | null {
  const run = shapeRun(s, bold);
  if (run === null) return null;
  const face = load().faces[bold ? 1 : 0];
  const scale = size / face.upem;
  const parts: string[] = ['M0,0'];
  let px = 0;
  let py = 0;
  for (let g = 0; g < run.ids.length; g++) {
    const glyph = glyphPath(face, run.ids[g]!, size);
    if (glyph === null) return null;
    if (glyph === '') continue;
    const x = r3(run.xs[g]! * scale);
    const y = r3(-run.ys[g]! * scale);
    if (x !== px || y !== py) parts.push('m', n3(x - px), ',', n3(y - py));
    parts.push(glyph);
    px = x;
    py = y;
  }
  return { d: parts.join(''), width: run.advance * scale };
}

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** The text of escaped content, or null when it holds anything but the five named entities escapeXml writes. */
function unescapeXml(raw: string): string | null {
  if (!raw.includes('&')) return raw;
  let bad = false;
  const s = raw.replace(/&([a-z]*);?/g, (m, name: string) => {
    const c = m.endsWith(';') ? ENTITIES.get(name) : undefined;
    if (c === undefined) bad = true;
    return c ?? '';
  });
  return bad ? null : s;
}

/** True when every character of `s` is one the font subsets hold and SVG's whitespace rules leave `s` as it is. */
function plainText(s: string): boolean {
  if (s.length === 0 || s[0] === ' ' || s[s.length - 1] === ' ' || s.includes('  ')) return false;
  for (let i = 0; i < s.length; i++) if (!inSubset(s.charCodeAt(i))) return false;
  return true;
}

/** Text settings inherited from the ancestors of a `<text>`; `ok` false once an ancestor sets anything else that may change text. */
interface TextStyle {
  size: number | null;
  bold: boolean;
  anchor: 'start' | 'middle' | 'end';
  ok: boolean;
}

/** Attributes of an ancestor that do not change how text is laid out, besides the three read here. */
const NEUTRAL = new Set([
  'xmlns',
  'id',
  'class',
  'width',
  'height',
  'viewBox',
  'role',
  'aria-labelledby',
  'aria-label',
  'aria-hidden',
  'font-family',
  'fill',
  'fill-opacity',
  'opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'transform',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'd',
  'cx',
  'cy',
  'r',
  'points',
  'preserveAspectRatio',
]);

/** Attributes of a `<text>` kept on its path. */
const KEPT = new Set(['fill', 'fill-opacity', 'opacity']);

const ATTR = /\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"/g;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

function attributes(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of s.matchAll(ATTR)) m.set(a[1]!, a[2]!);
  return m;
}

/** `style` for text inside an element with attributes `a` under `parent`. */
function inherit(parent: TextStyle, a: Map<string, string>, name: string): TextStyle {
  if (a.size === 0) return parent;
  const out = { ...parent };
  for (const [k, v] of a) {
    if (k === 'font-size') {
      out.size = NUMBER.test(v) ? Number(v) : null;
      if (out.size === null) out.ok = false;
    } else if (k === 'font-weight') {
      if (v === 'bold' || v === '700') out.bold = true;
      else if (v === 'normal' || v === '400') out.bold = false;
      else out.ok = false;
    } else if (k === 'text-anchor') {
      if (v === 'start' || v === 'middle' || v === 'end') out.anchor = v;
      else out.ok = false;
    } else if (k === 'style') {
      // The outer <svg> of a file sizes itself fluidly; nothing else is allowed in a style.
      if (name !== 'svg' || !/^(max-width|width|height):[^;:]*(;(max-width|width|height):[^;:]*)*;?$/.test(v)) out.ok = false;
    } else if (!NEUTRAL.has(k)) out.ok = false;
  }
  return out;
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*)\s*(\/?)>/g;

/**
 * `svg` with every `<text>` it can outline replaced by a `<path>` of its
 * glyphs (see the module comment); the rest of the SVG byte for byte as it
 * was. SVG it cannot follow (comments, CDATA, processing instructions, style
 * sheets or unquoted attributes) comes back unchanged.
 */
export function outlineText(svg: string): string {
  // Style sheets may lay out text in ways this reader does not follow.
  if (!svg.includes('<text') || /<!|<\?|<style/.test(svg)) return svg;
  const stack: TextStyle[] = [{ size: null, bold: false, anchor: 'start', ok: true }];
  let out = '';
  let copied = 0;
  let seen = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(svg); m !== null; m = TAG.exec(svg)) {
    // A `<` between two tags read here is markup this reader does not follow.
    if (svg.lastIndexOf('<', m.index - 1) >= seen && m.index > seen) return svg;
    seen = TAG.lastIndex;
    const [, close, name, rest, self] = m;
    if (close) {
      if (stack.length === 1) return svg;
      stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1]!;
    if (self) continue;
    // Text is drawn inside these containers only; inside anything else it is left to resvg.
    if (name !== 'text' && name !== 'g' && name !== 'svg' && name !== 'a') {
      stack.push(parent.ok ? { ...parent, ok: false } : parent);
      continue;
    }
    const a = attributes(rest!);
    if (name === 'text') {
      const style = inherit(parent, new Map([...a].filter(([k]) => k === 'font-size' || k === 'font-weight' || k === 'text-anchor')), name);
      const end = svg.indexOf('</text>', seen);
      const raw = end < 0 ? '<' : svg.slice(seen, end);
      const path = raw.includes('<') ? null : textPath(unescapeXml(raw), style, a);
      if (path !== null) {
        out += svg.slice(copied, m.index) + path;
        copied = end + '</text>'.length;
        seen = copied;
        TAG.lastIndex = copied;
        continue;
      }
      stack.push(style);
      continue;
    }
    stack.push(inherit(parent, a, name!));
  }
  if (svg.indexOf('<', seen) >= 0) return svg;
  return copied === 0 ? svg : out + svg.slice(copied);
}

/** The `<path>` standing for a `<text>` with attributes `a` and content `s` under `style`, or null to leave it. */
function textPath(s: string | null, style: TextStyle, a: Map<string, string>): string | null {
  if (s === null || !style.ok || style.size === null || !(style.size > 0) || !plainText(s)) return null;
  let x = 0;
  let y = 0;
  let dy = 0;
  let kept = '';
  for (const [k, v] of a) {
    if (k === 'x' || k === 'y') {
      if (!NUMBER.test(v)) return null;
      if (k === 'x') x = Number(v);
      else y = Number(v);
    } else if (k === 'dy') {
      const em = v.endsWith('em');
      const n = em ? v.slice(0, -2) : v;
      if (!NUMBER.test(n)) return null;
      dy = em ? Number(n) * style.size : Number(n);
    } else if (KEPT.has(k)) kept += ` ${k}="${v}"`;
    else if (k !== 'class' && k !== 'font-size' && k !== 'font-weight' && k !== 'text-anchor') return null;
  }
  const shaped = shape(s, style.size, style.bold);
  if (shaped === null) return null;
  if (style.anchor === 'middle') x -= shaped.width / 2;
  else if (style.anchor === 'end') x -= shaped.width;
  return `<path transform="translate(${n3(x)} ${n3(y + dy)})"${kept} d="${shaped.d}"/>`;
}
