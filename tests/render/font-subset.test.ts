/** Font subsets for the PNGs: small, deterministic, the same pixels as the full fonts, and the full fonts for other characters. */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { SUBSET_DIR, subsetFont, subsetFontFile } from '../../src/render/font-subset.ts';
import { encodeOpaquePng, PNG_FONT_FILES, pngFontFiles, subsetCovers, svgToPng } from '../../src/render/png.ts';
import { barData } from './fixtures.ts';

const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');

/** RGBA pixels of `svg` at 960 px drawn with the font files `files`. */
function pixels(svg: string, files: readonly string[]): Buffer {
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: 960 },
    font: { loadSystemFonts: false, fontFiles: [...files], defaultFontFamily: 'DejaVu Sans' },
    logLevel: 'off',
  }).render().pixels;
}

describe('font subsets', () => {
  it('are deterministic and a small part of the full fonts', () => {
    for (const f of PNG_FONT_FILES) {
      const full = readFileSync(f);
      const a = subsetFont(full);
      expect(a.equals(subsetFont(full))).toBe(true);
      expect(a.length).toBeGreaterThan(10_000);
      expect(a.length).toBeLessThan(full.length / 8);
      const file = subsetFontFile(f);
      expect(file.startsWith(SUBSET_DIR)).toBe(true);
      expect(readFileSync(file).equals(a)).toBe(true);
      expect(subsetFontFile(f)).toBe(file);
    }
  });

  it('are listed before the full fonts', () => {
    const files = pngFontFiles();
    expect(files.slice(2)).toEqual(PNG_FONT_FILES);
    for (const f of files.slice(0, 2)) expect(statSync(f).size).toBeLessThan(100_000);
  });

  it('cover the characters of the ranges only', () => {
    expect(subsetCovers('<text>amd64 47.1% (44.6–49.6) ◇ 66.6% · ≥ 10 → “Zürich” ćž</text>')).toBe(true);
    expect(subsetCovers('<text>Ω</text>')).toBe(false);
    expect(subsetCovers('<text>Ж</text>')).toBe(false);
    expect(subsetCovers('<text>😀</text>')).toBe(false);
    expect(subsetCovers('<text>&#937;</text>')).toBe(false);
    expect(subsetCovers('<text>\u007f</text>')).toBe(false);
  });

  it('draw a chart exactly as the full fonts do', () => {
    const svg = barChart(barData(), { width: 480, theme: 'light' });
    expect(pixels(svg, pngFontFiles()).equals(pixels(svg, PNG_FONT_FILES))).toBe(true);
  });

  it('are not used for an SVG with a character they lack: it is drawn with the full fonts alone, bold text staying bold', () => {
    const text = (s: string, weight: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="24"><rect width="200" height="24" fill="#fff"/><text x="2" y="17" font-size="14" font-weight="${weight}">${s}</text></svg>`;
    for (const weight of ['normal', 'bold']) {
      const outside = text('Ωμέγα Жж ∞ ★ go1.22', weight);
      const png = svgToPng(outside);
      const full = new Resvg(outside, {
        font: { loadSystemFonts: false, fontFiles: [...PNG_FONT_FILES], defaultFontFamily: 'DejaVu Sans' },
        logLevel: 'off',
      }).render();
      expect(png.equals(encodeOpaquePng(full.width, full.height, full.pixels))).toBe(true);
      // The subsets alone would draw it otherwise.
      expect(pixels(outside, pngFontFiles().slice(0, 2)).equals(pixels(outside, PNG_FONT_FILES))).toBe(false);
    }
  });
});
