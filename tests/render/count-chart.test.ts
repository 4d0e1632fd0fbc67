import { describe, expect, it } from 'vitest';
import { countChart } from '../../src/render/count-chart.ts';
import { countData } from './fixtures.ts';
import { elements, group, texts } from './svg-helpers.ts';

describe('countChart geometry', () => {
  it('uses whole-number ticks with thousands separators', () => {
    const svg = countChart(countData(), { width: 720 });
    const labels = texts(group(svg, 'axis-y')).map((t) => t.text);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    for (const l of labels) expect(l).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(labels).toContain('10,000');
    // Small counts do not produce fractional ticks.
    const small = countChart(
      {
        title: 'few',
        weeks: [
          { week: '2024-01-07', count: 3 },
          { week: '2024-01-14', count: 2 },
        ],
      },
      { width: 720 },
    );
    for (const l of texts(group(small, 'axis-y')).map((t) => t.text)) expect(l).toMatch(/^\d+$/);
  });

  it('hatches provisional weeks and leaves missing weeks empty', () => {
    const data = countData();
    const svg = countChart(data, { width: 720, id: 'cc' });
    const bars = elements(svg, 'rect', { class: /^bar/ });
    expect(bars).toHaveLength(data.weeks.length);
    const provisional = elements(svg, 'rect', { class: 'bar provisional' });
    expect(provisional).toHaveLength(data.weeks.filter((w) => w.provisional).length);
    for (const b of provisional) expect(b['fill']).toBe('url(#cc-hatch)');
    expect(svg).toContain('<pattern id="cc-hatch"');
    // Bars are evenly spaced by week, so the missing week leaves a double step.
    const xs = bars.map((b) => Number(b['x']));
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    const step = Math.min(...steps);
    expect(steps.filter((s) => Math.abs(s - 2 * step) < 0.01)).toHaveLength(1);
  });

  it('makes bar heights proportional to counts from a zero baseline', () => {
    const svg = countChart(
      {
        title: 't',
        weeks: [
          { week: '2024-01-07', count: 1000 },
          { week: '2024-01-14', count: 500 },
        ],
      },
      { width: 500 },
    );
    const [a, b] = elements(svg, 'rect', { class: 'bar' });
    expect(Number(b!['height']) / Number(a!['height'])).toBeCloseTo(0.5, 3);
    expect(Number(a!['y']) + Number(a!['height'])).toBeCloseTo(Number(b!['y']) + Number(b!['height']), 3);
  });

  it('summarises the latest final and provisional weeks in numbers', () => {
    const svg = countChart(countData(), { width: 720 });
    expect(svg).toMatch(/<desc[^>]*>[^<]*Latest final week 2024-04-28: \d{1,2},\d{3} reports\. Provisional \(uploads still arriving\): 2024-05-05 \d/);
  });
});
