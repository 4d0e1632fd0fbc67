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
    expect(elements(svg, 'path', { class: 'last' })[0]!['fill']).toBe('#15171c');
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
