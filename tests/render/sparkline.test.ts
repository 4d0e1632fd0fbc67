import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/render/sparkline.ts';
import { sparkData } from './fixtures.ts';
import { elements, subpaths } from './svg-helpers.ts';

describe('sparkline', () => {
  it('is small by default and breaks at missing weeks', () => {
    const svg = sparkline({ ...sparkData(), provisionalFrom: null });
    const [root] = elements(svg, 'svg');
    expect(root!['width']).toBe('120');
    expect(root!['height']).toBe('32');
    expect(subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!)).toHaveLength(2);
  });

  it('dashes the provisional tail and leaves the last point hollow', () => {
    const svg = sparkline(sparkData(), { theme: 'dark' });
    expect(elements(svg, 'path', { class: 'line provisional-line' })[0]!['stroke-dasharray']).toBe('3 2');
    expect(elements(svg, 'path', { class: 'last point' })[0]!['fill']).toBe('#15171c');
  });

  it('spans its own range, so a small steady share is not a flat line at the bottom', () => {
    const pts = [0.03, 0.034, 0.029, 0.04].map((v, i) => ({ week: `2024-01-${String(7 + 7 * i).padStart(2, '0')}`, estimate: v }));
    const svg = sparkline({ title: 't', bucket: 'a', points: pts });
    const ys = subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!)[0]!.map((p) => p[1]!);
    // The 32 px box leaves 3 px each side: the lowest and highest points reach its edges.
    expect(Math.max(...ys)).toBeCloseTo(29, 0);
    expect(Math.min(...ys)).toBeCloseTo(3, 0);
  });

  it('puts the dot on the week it is told to mark, not on a later provisional week', () => {
    const pts = ['2024-01-07', '2024-01-14', '2024-01-21'].map((week, i) => ({ week, estimate: [0.2, 0.3, 0.5][i]! }));
    const svg = sparkline({ title: 't', bucket: 'a', points: pts, provisionalFrom: '2024-01-21', markWeek: '2024-01-14' }, { theme: 'light' });
    const dot = svg.match(/<path class="last point"[^>]*>(.*?)<\/path>/)!;
    expect(dot[1]).toBe('<title>a, week 2024-01-14: 30.0%</title>');
    const solid = subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!)[0]!;
    const [dx, dy] = /d="M([\d.]+),([\d.]+)/.exec(dot[0])!.slice(1).map(Number);
    expect(dx! + 2.5).toBeCloseTo(solid.at(-1)![0]!, 0);
    expect(dy).toBeCloseTo(solid.at(-1)![1]!, 0);
  });

  it('shares a y scale across small multiples through yMax', () => {
    const base = { title: 't', bucket: 'a' };
    const pts = (v: number) => [
      { week: '2024-01-07', estimate: v },
      { week: '2024-01-14', estimate: v },
    ];
    const y = (svg: string) => subpaths(elements(svg, 'path', { class: 'line' })[0]!['d']!)[0]![0]![1];
    expect(y(sparkline({ ...base, points: pts(0.2), yMax: 0.4 }))).toBeCloseTo(y(sparkline({ ...base, bucket: 'b', points: pts(0.2), yMax: 0.4 })), 6);
    expect(y(sparkline({ ...base, points: pts(0.2), yMax: 0.4 }))).toBeGreaterThan(y(sparkline({ ...base, points: pts(0.4), yMax: 0.4 })));
  });

  it('says "no data" for an empty series', () => {
    expect(sparkline({ title: 't', bucket: 'a', points: [] })).toContain('<desc id="');
    expect(sparkline({ title: 't', bucket: 'a', points: [] })).toMatch(/a: no data\./);
  });
});
