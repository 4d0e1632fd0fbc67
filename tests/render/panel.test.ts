import { describe, expect, it } from 'vitest';
import { panel } from '../../src/render/panel.ts';
import { OTHER } from '../../src/render/palette.ts';
import { elements, subpaths, texts } from './svg-helpers.ts';

const WEEKS = ['2024-01-07', '2024-01-14', '2024-01-21', '2024-01-28', '2024-02-04'];
const small = WEEKS.map((week, i) => ({ week, estimate: [0.02, 0.025, 0.03, 0.028, 0.031][i]!, lower: 0.015, upper: 0.035, n: 500 }));

describe('panel', () => {
  it('draws a small bucket on its own zero-based scale, labelled at 0 and its top', () => {
    const svg = panel({ title: 't', bucket: 'zed', points: small }, { theme: 'light' });
    expect(texts(svg).map((t) => t.text)).toEqual(['0%', '4%']);
    const ys = subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!)[0]!.map((p) => p[1]!);
    const [bottom, top] = elements(svg, 'line').map((l) => Number(l['y1']));
    // 3.1% of a 4% scale reaches three quarters of the way up, not the bottom tenth as on a 0-40% axis.
    expect((bottom! - Math.min(...ys)) / (bottom! - top!)).toBeCloseTo(0.031 / 0.04, 1);
  });

  it('shows provisional weeks apart, and a titled dot on the marked week', () => {
    const svg = panel({ title: 't', bucket: 'zed', points: small, weeks: WEEKS, provisionalFrom: '2024-01-28' }, { theme: 'light' });
    const solid = subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!);
    expect(solid).toEqual([expect.any(Array)]);
    expect(solid[0]).toHaveLength(3);
    expect(elements(svg, 'path', { class: 'line provisional-line' })[0]!['stroke-dasharray']).toBe('3 2');
    expect(elements(svg, 'rect', { class: 'provisional' })).toHaveLength(1);
    const titles = [...svg.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toContain('zed · 2024-01-21: 3.0% (1.5–3.5), n = 500');
    expect(titles).toContain('zed · 2024-02-04 (provisional): 3.1% (1.5–3.5), n = 500');
  });

  it('says there is no share rather than drawing an empty frame', () => {
    const svg = panel({ title: 't', bucket: 'freebsd', points: WEEKS.map((week) => ({ week, estimate: null })) });
    expect(texts(svg).map((t) => t.text)).toContain('no share in these weeks');
    expect(elements(svg, 'path', { class: 'line' })).toHaveLength(0);
  });

  it('is grey unless its bucket is one of the coloured ones', () => {
    expect(
      elements(panel({ title: 't', bucket: 'zed', points: small, coloured: ['vscode'] }, { theme: 'light' }), 'path', { class: 'line' })[0]!['stroke'],
    ).toBe(OTHER.light);
    expect(
      elements(panel({ title: 't', bucket: 'zed', points: small, coloured: ['zed'] }, { theme: 'light' }), 'path', { class: 'line' })[0]!['stroke'],
    ).not.toBe(OTHER.light);
  });
});
