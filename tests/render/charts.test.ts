/** Properties every chart shares, and the golden SVGs. */
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/render/bar-chart.ts';
import type { ChartOptions } from '../../src/render/chart.ts';
import { countChart } from '../../src/render/count-chart.ts';
import { lineChart } from '../../src/render/line-chart.ts';
import { sparkline } from '../../src/render/sparkline.ts';
import { barData, countData, lineData, sparkData } from './fixtures.ts';
import { elements, expectGolden } from './svg-helpers.ts';

const EVIL = '<script>alert("x")</script> & co';

const charts: { name: string; render: (o: ChartOptions, evil?: boolean) => string }[] = [
  {
    name: 'line',
    render: (o, evil) => {
      const d = lineData();
      if (!evil) return lineChart(d, o);
      return lineChart(
        {
          ...d,
          title: EVIL,
          subtitle: EVIL,
          series: d.series.map((s, i) => (i === 0 ? { ...s, label: EVIL } : s)),
          changes: [{ ...d.changes![0]!, note: EVIL }],
        },
        o,
      );
    },
  },
  {
    name: 'bar',
    render: (o, evil) => {
      const d = barData();
      return barChart(
        evil ? { ...d, title: EVIL, subtitle: EVIL, adjustedLabel: EVIL, bars: d.bars.map((b, i) => (i === 0 ? { ...b, label: EVIL } : b)) } : d,
        o,
      );
    },
  },
  { name: 'count', render: (o, evil) => countChart(evil ? { ...countData(), title: EVIL, subtitle: EVIL, yLabel: EVIL } : countData(), o) },
  { name: 'sparkline', render: (o, evil) => sparkline(evil ? { ...sparkData(), title: EVIL, label: EVIL } : sparkData(), { width: 160, height: 36, ...o }) },
];

describe.each(charts)('$name chart', ({ name, render }) => {
  it('matches its golden SVGs (css, light and dark themes at three widths)', () => {
    const widths = name === 'sparkline' ? [160, 120, 240] : [720, 360, 1280];
    (['css', 'light', 'dark'] as const).forEach((theme, i) => {
      const width = widths[i]!;
      expectGolden(`${name}-${theme}-${width}`, render({ width, theme, id: `${name}-golden` }));
    });
  });

  it('is accessible: role, title, desc, aria-labelledby, width/height with viewBox', () => {
    const svg = render({ id: 'acc' });
    const [root] = elements(svg, 'svg');
    expect(root).toBeDefined();
    expect(root!['role']).toBe('img');
    expect(root!['aria-labelledby']).toBe('acc-title acc-desc');
    expect(root!['viewBox']).toBe(`0 0 ${root!['width']} ${root!['height']}`);
    expect(svg).toMatch(/<title id="acc-title">[^<]+<\/title>/);
    const desc = /<desc id="acc-desc">([^<]+)<\/desc>/.exec(svg)?.[1] ?? '';
    expect(desc.length).toBeGreaterThan(40);
    expect(desc).toMatch(/\d/);
  });

  it('rounds every number to at most 3 decimals', () => {
    for (const theme of ['css', 'light', 'dark'] as const) {
      for (const width of [360, 777.7777, 1280]) {
        expect(render({ width, theme }).match(/\d\.\d{4,}/g)).toBeNull();
      }
    }
  });

  it('escapes untrusted text', () => {
    const svg = render({ theme: 'light' }, true);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&amp; co');
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#)/);
  });

  it('is deterministic', () => {
    expect(render({ theme: 'dark', width: 500 })).toBe(render({ theme: 'dark', width: 500 }));
  });

  it('uses custom properties only in the css theme', () => {
    expect(render({ theme: 'css' })).toContain('var(--chart-');
    for (const theme of ['light', 'dark'] as const) {
      const svg = render({ theme });
      expect(svg).not.toContain('var(');
      // Standalone files carry their own background.
      expect(elements(svg, 'rect')[0]!['fill']).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('keeps marks inside its viewBox', () => {
    for (const width of [360, 1280]) {
      const svg = render({ width, theme: 'light' });
      const [root] = elements(svg, 'svg');
      const W = Number(root!['width']);
      const H = Number(root!['height']);
      for (const t of elements(svg, 'text')) {
        expect(Number(t['y'])).toBeLessThanOrEqual(H);
        expect(Number(t['x'])).toBeLessThanOrEqual(W);
        expect(Number(t['x'])).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('empty input', () => {
  it('says "no data" instead of drawing a made-up axis', () => {
    for (const svg of [lineChart({ title: 'e', series: [] }), countChart({ title: 'e', weeks: [] }), barChart({ title: 'e', bars: [] })]) {
      expect(svg).not.toContain('1970');
      expect(svg).toMatch(/>(no data|No data\.)</);
    }
  });
});
