import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import type { ChartOptions } from '../../src/render/chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { lineChart } from '../../src/render/line-chart.ts';
import { outlineText } from '../../src/render/outline-text.ts';
import { PNG_FONT_FILES } from '../../src/render/png.ts';
import { sparkline } from '../../src/render/sparkline.ts';
import { barData, countData, lineData, sparkData } from './fixtures.ts';

const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
const font = { loadSystemFonts: false, fontFiles: [...PNG_FONT_FILES], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };

/** resvg's pixels of `svg` at `width` px, its text laid out by resvg itself. */
function pixels(svg: string, width: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: width }, font, logLevel: 'off' }).render().pixels;
}

/** The largest channel difference between two drawings, and the share of channels that differ by more than 32 of 255. */
function difference(a: Buffer, b: Buffer): { max: number; over: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let over = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max) max = d;
    if (d > 32) over++;
  }
  return { max, over: over / a.length };
}

/** How far the outlined drawing of `svg` is from resvg's own, at twice its width. */
function compare(svg: string): { max: number; over: number; left: number } {
  const width = 2 * Number(/width="([\d.]+)"/.exec(svg)![1]);
  const outlined = outlineText(svg);
  return { ...difference(pixels(svg, width), pixels(outlined, width)), left: (outlined.match(/<text/g) ?? []).length };
}

const svg = (body: string, attrs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" font-family="system-ui, sans-serif"${attrs}><rect width="300" height="60" fill="#ffffff"/>${body}</svg>`;

describe('outlineText', () => {
  it("draws every chart's text as resvg lays it out, up to the anti-aliasing of a few edge pixels", () => {
    const charts: [string, (o: ChartOptions) => string][] = [
      ['line', (o) => lineChart(lineData(), o)],
      ['bar', (o) => barChart(barData(), o)],
      ['count', (o) => countChart(countData(), o)],
      ['sparkline', (o) => sparkline(sparkData(), { ...o, width: 240, height: 48 })],
    ];
    for (const [name, render] of charts)
      for (const theme of ['light', 'dark'] as const) {
        const chart = render({ width: 600, theme });
        expect(chart, name).toContain('<text');
        const r = compare(chart);
        expect(r.left, `${name} ${theme}: text left as text`).toBe(0);
        expect(r.max, `${name} ${theme}`).toBeLessThanOrEqual(96);
        expect(r.over, `${name} ${theme}`).toBeLessThan(1e-4);
      }
  });

  it('places text by x, y, dy, text-anchor, size and weight, inherited or its own', () => {
    const body =
      '<g font-size="13" fill="#1f2328"><text x="150" y="20" text-anchor="middle">Middle &amp; “quoted” 1.6% (1.2–2.2)</text>' +
      '<text x="290" y="20" dy="0.35em" text-anchor="end" font-weight="bold">End, bold ◇ ≥ −4</text></g>' +
      '<g text-anchor="end" font-weight="bold" font-size="11"><text x="290" y="50" font-weight="normal" fill="#57606a">café Å ü ñ → AV To</text></g>' +
      '<text x="4" y="50" dy="3" font-size="15" font-weight="700">Wave</text>';
    const r = compare(svg(body));
    expect(r.left).toBe(0);
    expect(r.max).toBeLessThanOrEqual(96);
    expect(r.over).toBeLessThan(1e-3);
  });

  it('is a check that sees a misplaced label: the same text half a pixel off differs far more', () => {
    const body = '<text x="10" y="30" font-size="12" fill="#1f2328">go1.25 1.6% (1.2–2.2)</text>';
    const text = pixels(svg(body), 600);
    const shifted = outlineText(svg(body)).replace('translate(10 30)', 'translate(10.5 30)');
    expect(shifted).not.toBe(outlineText(svg(body)));
    expect(difference(text, pixels(shifted, 600)).over).toBeGreaterThan(1e-2);
    expect(difference(text, pixels(outlineText(svg(body)), 600)).over).toBeLessThan(1e-3);
  });

  it('leaves to resvg the text it does not fully understand', () => {
    const left = [
      '<text x="10" y="30" font-size="12">日本語 counter</text>', // characters outside the font subsets
      '<text x="10" y="30" font-size="12" letter-spacing="2">spaced</text>', // an attribute it does not read
      '<g letter-spacing="2"><text x="10" y="30" font-size="12">spaced</text></g>', // ... or on an ancestor
      '<text x="10" y="30" font-size="12"> leading</text>',
      '<text x="10" y="30" font-size="12">trailing </text>',
      '<text x="10" y="30" font-size="12">two  spaces</text>',
      '<text x="10" y="30" font-size="12">a<tspan>b</tspan></text>',
      '<text x="10 20" y="30" font-size="12">ab</text>', // a list of positions
      '<text x="10" y="30" font-size="1.2em">em</text>',
      '<text x="10" y="30" font-size="12" font-weight="600">semibold</text>',
      '<text x="10" y="30" font-size="12">&#x41;</text>', // a character reference
      '<text x="10" y="30">no size</text>',
      '<defs><text x="10" y="30" font-size="12">inside defs</text></defs>', // not drawn where it stands
    ];
    for (const body of left) {
      const out = outlineText(svg(body));
      expect(out, body).toBe(svg(body));
    }
    // Markup it does not read leaves the whole SVG as it was.
    for (const body of [
      '<!-- a comment --><text x="10" y="30" font-size="12">text</text>',
      "<text x='10' y='30' font-size='12'>text</text>",
      '<style>.big { font-size: 30px }</style><text class="big" x="10" y="30" font-size="12">text</text>',
    ])
      expect(outlineText(svg(body)), body).toBe(svg(body));
    // Next to text it leaves, the text it can outline is outlined.
    const mixed = outlineText(svg('<text x="10" y="20" font-size="12">日本</text><text x="10" y="40" font-size="12">Go</text>'));
    expect(mixed.match(/<text/g)).toHaveLength(1);
    expect(mixed).toContain('<path transform="translate(10 40)"');
  });

  it('changes nothing but the text elements, and gives the same bytes every time', () => {
    const chart = barChart(barData(), { width: 600, theme: 'light' });
    const outlined = outlineText(chart);
    expect(outlined).toBe(outlineText(chart));
    expect(outlined.replace(/<path transform="translate\([^)]*\)"[^>]*\/>/g, '')).toBe(chart.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
    expect(outlineText('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
  });
});
