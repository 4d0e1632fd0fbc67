import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import { textWidth } from '../../src/render/measure.ts';
import { OTHER } from '../../src/render/palette.ts';
import { barData } from './fixtures.ts';
import { elements, texts } from './svg-helpers.ts';

describe('barChart geometry', () => {
  it('draws one row per bucket whose labels never overlap', () => {
    for (const width of [360, 720, 1280]) {
      const data = barData();
      const svg = barChart(data, { width });
      const rects = elements(svg, 'rect', { class: /^bar\b/ });
      expect(rects).toHaveLength(data.bars.filter((b) => b.estimate !== null).length);
      const labels = texts(svg).filter((t) =>
        data.bars.some((b) => t.text === (b.label ?? b.bucket).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
      );
      expect(labels).toHaveLength(data.bars.length);
      const ys = labels.map((t) => Number(t.attrs['y']));
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(20);
    }
  });

  it('writes value labels with the interval and keeps them inside the chart', () => {
    for (const width of [360, 1280]) {
      const svg = barChart(barData(), { width });
      // A bar with a second (adjusted) marker names its figure after ◇.
      const values = texts(svg).filter((t) => /^\d+\.\d+% \(\d+\.\d+–\d+\.\d+\)( ◇ \d+(\.\d+)?%)?$/.test(t.text));
      expect(values.map((t) => t.text.split(' ◇ ')[0])).toContain('61.2% (60.3–62.1)');
      expect(values.some((t) => / ◇ \d/.test(t.text))).toBe(true);
      expect(values).toHaveLength(6);
      for (const v of values) {
        const x = Number(v.attrs['x']);
        const w = textWidth(v.text, 12);
        const left = v.attrs['text-anchor'] === 'end' ? x - w : x;
        expect(left).toBeGreaterThanOrEqual(0);
        expect(left + w).toBeLessThanOrEqual(width);
      }
      expect(texts(svg).map((t) => t.text)).toContain('no data');
    }
  });

  it('scales bar lengths to the estimates, with whiskers from lower to upper', () => {
    const data = { ...barData(), provisional: false };
    const svg = barChart(data, { width: 900 });
    const rects = elements(svg, 'rect', { class: 'bar' });
    const ratio = Number(rects[1]!['width']) / Number(rects[0]!['width']);
    expect(ratio).toBeCloseTo(data.bars[1]!.estimate! / data.bars[0]!.estimate!, 2);
    const whisker = elements(svg, 'path', { class: 'whisker' })[0]!['d']!;
    const [x0, x1] = /^M([\d.]+),[\d.]+H([\d.]+)/.exec(whisker)!.slice(1).map(Number);
    const left = Number(rects[0]!['x']);
    const perUnit = Number(rects[0]!['width']) / data.bars[0]!.estimate!;
    expect(x0).toBeCloseTo(left + perUnit * data.bars[0]!.lower!, 1);
    expect(x1).toBeCloseTo(left + perUnit * data.bars[0]!.upper!, 1);
  });

  it('draws a provisional week hollow, a final week filled, with a legend entry only when provisional', () => {
    const data = barData();
    const prov = barChart(data, { width: 720, theme: 'light' });
    const hollow = elements(prov, 'rect', { class: 'bar provisional-bar' });
    expect(hollow).toHaveLength(data.bars.filter((b) => b.estimate !== null).length);
    for (const r of hollow) {
      expect(Number(r['fill-opacity'])).toBeLessThan(0.2);
      expect(r['stroke']).toBe(r['fill']);
    }
    expect(texts(prov).map((t) => t.text)).toContain('provisional (uploads still arriving)');
    const final = barChart({ ...data, provisional: false }, { width: 720, theme: 'light' });
    expect(elements(final, 'rect', { class: 'bar provisional-bar' })).toHaveLength(0);
    expect(elements(final, 'rect', { class: 'bar' }).every((r) => r['fill-opacity'] === '0.85' && r['stroke'] === undefined)).toBe(true);
    expect(texts(final).map((t) => t.text)).not.toContain('provisional (uploads still arriving)');
  });

  it('gives every bar a <title> with bucket, week, share, interval and n', () => {
    const svg = barChart({ ...barData(), week: '2024-03-03', n: 2971 }, { width: 720 });
    const bars = svg.match(/<rect class="bar[^"]*"[^>]*>(.*?)<\/rect>/g) ?? [];
    expect(bars).toHaveLength(barData().bars.filter((b) => b.estimate !== null).length);
    for (const b of bars) expect(b).toMatch(/<title>.+, week 2024-03-03 \(provisional\): \d+\.\d+% \(\d+\.\d+–\d+\.\d+\) of 2,971 eligible reports<\/title>/);
  });

  it('colours only the buckets drawn as lines beside it, each its own colour; the rest grey', () => {
    const data = { ...barData(), provisional: false };
    const buckets = data.bars.map((b) => b.bucket);
    const svg = barChart({ ...data, coloured: buckets.slice(0, 2) }, { width: 720, theme: 'light' });
    const fills = elements(svg, 'rect', { class: 'bar' }).map((r) => r['fill']);
    expect(new Set(fills.slice(0, 2)).size).toBe(2);
    expect(fills.slice(0, 2)).not.toContain(OTHER.light);
    for (const f of fills.slice(2)) expect(f).toBe(OTHER.light);
  });

  it('draws the adjusted value as a second, hollow marker with a legend entry', () => {
    const data = barData();
    const svg = barChart(data, { width: 720, theme: 'light' });
    const adjusted = elements(svg, 'path', { class: 'adjusted' });
    expect(adjusted).toHaveLength(data.bars.filter((b) => typeof b.adjusted === 'number').length);
    expect(adjusted[0]!['fill']).toBe('#ffffff');
    expect(texts(svg).map((t) => t.text)).toContain('adjusted for opt-in skew');
    expect(svg).toMatch(/<desc[^>]*>[^<]*Hollow diamonds \(◇\): adjusted for opt-in skew\.[^<]*vscode 61\.2% \(60\.3–62\.1\), ◇ \d/);
  });

  it('zooms to the data by default and shows 0–100 with xDomain full', () => {
    const tickLabels = (svg: string) =>
      texts(svg)
        .filter((t) => t.attrs['text-anchor'] === 'middle')
        .map((t) => t.text);
    expect(tickLabels(barChart(barData(), { width: 720 }))).not.toContain('100');
    expect(tickLabels(barChart({ ...barData(), xDomain: 'full' }, { width: 720 }))).toContain('100');
  });
});
