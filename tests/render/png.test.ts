import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { type ChartOptions, FONT_FAMILY } from '../../src/render/chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { lineChart } from '../../src/render/line-chart.ts';
import { outlineText } from '../../src/render/outline-text.ts';
import { encodeOpaquePng, PNG_FONT_FILES, svgToPng } from '../../src/render/png.ts';
import { sparkline } from '../../src/render/sparkline.ts';
import { barData, countData, lineData, sparkData } from './fixtures.ts';

/** Width and height from the PNG's IHDR chunk (after the 8-byte signature and the chunk header). */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');

/** The RGBA pixels of `png`, decoded by resvg (an <image> drawn at its own size). */
function decode(png: Buffer, width: number, height: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  return new Resvg(svg, { logLevel: 'off' }).render().pixels;
}

const fontOptions = { loadSystemFonts: false, fontFiles: [...PNG_FONT_FILES], defaultFontFamily: 'DejaVu Sans' };

describe('svgToPng', () => {
  it('loads only the bundled DejaVu fonts', () => {
    expect(PNG_FONT_FILES.map((f) => f.split('/').at(-1))).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
  });

  it('renders at the requested width, keeping the aspect ratio', () => {
    const svg = countChart(countData(), { width: 640, theme: 'light' });
    const h = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(ihdr(svgToPng(svg, { width: 640 }))).toEqual({ width: 640, height: h });
    expect(ihdr(svgToPng(svg, { width: 1280 }))).toEqual({ width: 1280, height: 2 * h });
    expect(ihdr(svgToPng(svg))).toEqual({ width: 640, height: h });
  });

  it("encodes an opaque chart itself: a valid PNG of exactly the pixels resvg drew (its text as outlines), smaller than resvg's own", () => {
    for (const svg of [barChart(barData(), { width: 480, theme: 'light' }), lineChart(lineData(), { width: 640, theme: 'dark' })]) {
      const drawn = new Resvg(outlineText(svg), { fitTo: { mode: 'width', value: 960 }, font: fontOptions, logLevel: 'off' }).render();
      const png = svgToPng(svg, { width: 960 });
      expect(ihdr(png)).toEqual({ width: drawn.width, height: drawn.height });
      expect(png[25]).toBe(6); // colour type RGBA
      expect(png.equals(drawn.asPng())).toBe(false);
      expect(png.equals(encodeOpaquePng(drawn.width, drawn.height, drawn.pixels))).toBe(true);
      expect(decode(png, drawn.width, drawn.height).equals(drawn.pixels)).toBe(true);
      expect(png.length).toBeLessThan(drawn.asPng().length);
    }
  });

  it("leaves an image with transparent pixels to resvg's encoder", () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect x="5" y="5" width="20" height="10" fill="#2a8fc1" fill-opacity="0.5"/></svg>';
    expect(svgToPng(svg).equals(new Resvg(svg, { font: fontOptions, logLevel: 'off' }).render().asPng())).toBe(true);
    // With a background it is opaque, so encoded here, and decodes to what resvg drew.
    const drawn = new Resvg(svg, { background: '#ffffff', font: fontOptions, logLevel: 'off' }).render();
    const png = svgToPng(svg, { background: '#ffffff' });
    expect(png.equals(drawn.asPng())).toBe(false);
    expect(decode(png, 40, 20).equals(drawn.pixels)).toBe(true);
  });

  it('rejects pixels of the wrong length', () => {
    expect(() => encodeOpaquePng(2, 2, Buffer.alloc(15))).toThrow(/expected 16 bytes/);
  });

  it('is deterministic', () => {
    const svg = barChart(barData(), { width: 480, theme: 'dark' });
    expect(svgToPng(svg, { width: 480 }).equals(svgToPng(svg, { width: 480 }))).toBe(true);
  });

  it('draws text (a chart with labels differs from the same chart with empty labels)', () => {
    const svg = barChart(barData(), { width: 480, theme: 'light' });
    const blank = svg.replace(/(<text[^>]*>)[^<]*(<\/text>)/g, '$1$2');
    expect(blank).not.toBe(svg);
    expect(svgToPng(svg, { width: 480 }).equals(svgToPng(blank, { width: 480 }))).toBe(false);
    // Text with only a page font name still renders (falls back to DejaVu Sans).
    const only = (family: string) =>
      svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-family="${family}" font-size="12">Go 1.22</text></svg>`);
    const empty = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"></svg>');
    expect(only('system-ui, sans-serif').equals(empty)).toBe(false);
    expect(only('system-ui, sans-serif').equals(only('DejaVu Sans'))).toBe(true);
    expect(only(FONT_FAMILY).equals(only('DejaVu Sans'))).toBe(true);
  });
});

/**
 * Writes every chart as PNG, light and dark, at 360 and 1280 px, to
 * $CHART_PREVIEW_DIR or /tmp/chart-previews for a person to look at.
 */
describe('previews', () => {
  it('renders every chart to PNG in both themes at phone and desktop widths', () => {
    const dir = process.env['CHART_PREVIEW_DIR'] ?? '/tmp/chart-previews';
    mkdirSync(dir, { recursive: true });
    const charts: [string, (o: ChartOptions) => string][] = [
      ['line', (o) => lineChart(lineData(), o)],
      ['bar', (o) => barChart(barData(), o)],
      ['count', (o) => countChart(countData(), o)],
      ['sparkline', (o) => sparkline(sparkData(), { ...o, width: o.width === 360 ? 120 : 240, height: o.width === 360 ? 32 : 48 })],
    ];
    for (const [name, render] of charts) {
      for (const theme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const svg = render({ width, theme });
          const png = svgToPng(svg, { width: name === 'sparkline' ? 480 : width });
          expect(ihdr(png).width).toBe(name === 'sparkline' ? 480 : width);
          writeFileSync(join(dir, `${name}-${theme}-${width}.png`), png);
        }
      }
    }
  });
});
