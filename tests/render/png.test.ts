import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { type ChartOptions, FONT_FAMILY } from '../../src/render/chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { lineChart } from '../../src/render/line-chart.ts';
import { PNG_FONT_FILES, svgToPng } from '../../src/render/png.ts';
import { sparkline } from '../../src/render/sparkline.ts';
import { barData, countData, lineData, sparkData } from './fixtures.ts';

/** Width and height from the PNG's IHDR chunk (after the 8-byte signature and the chunk header). */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

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
