import { describe, expect, it } from 'vitest';
import { timeTicks } from '../../src/render/axis.ts';
import { formatCount, formatPct, formatShareWithInterval } from '../../src/render/format.ts';
import { dodge } from '../../src/render/labels.ts';
import { textWidth, truncateText } from '../../src/render/measure.ts';
import { attrs, escapeXml, num, safeId } from '../../src/render/svg.ts';
import { scaleUtc } from 'd3-scale';

describe('svg helpers', () => {
  it('escapes markup and quotes, and shows characters XML forbids and bidi controls as their code points', () => {
    expect(escapeXml(`<script>alert("x")</script> & 'co'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;');
    expect(escapeXml('a\u0000b\u001bc')).toBe('a&lt;U+0000&gt;b&lt;U+001B&gt;c');
    expect(escapeXml('admin\u202Etxt.exe\u2066')).toBe('admin&lt;U+202E&gt;txt.exe&lt;U+2066&gt;');
    expect(escapeXml('a\tb\nc')).toBe('a\tb\nc');
    expect(attrs({ title: '"><script>', x: 1.23456, skip: null, off: false })).toBe(' title="&quot;&gt;&lt;script&gt;" x="1.235"');
  });

  it('rounds to 3 decimals without negative zero', () => {
    expect(num(1.23456)).toBe('1.235');
    expect(num(-0.0001)).toBe('0');
    expect(num(2)).toBe('2');
    expect(num(1e-7)).toBe('0');
  });

  it('makes ids safe', () => {
    expect(safeId('gopls/client:2024')).toBe('gopls-client-2024');
    expect(safeId('1x')).toBe('c-1x');
  });
});

describe('format', () => {
  it('formats shares, intervals and counts', () => {
    expect(formatShareWithInterval(0.421, 0.408, 0.434)).toBe('42.1% (40.8–43.4)');
    expect(formatShareWithInterval(0.004, 0, 0.017)).toBe('0.40% (0.00–1.70)');
    expect(formatPct(1)).toBe('100.0%');
    expect(formatPct(-0.00001)).toBe('0.0%');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('measure', () => {
  it('estimates DejaVu Sans widths and truncates with an ellipsis', () => {
    expect(textWidth('0', 10)).toBeCloseTo(6.36, 2);
    expect(textWidth('iii', 10)).toBeLessThan(textWidth('WWW', 10));
    const t = truncateText('a very long bucket name that does not fit', 80, 12);
    expect(t.endsWith('…')).toBe(true);
    expect(textWidth(t, 12)).toBeLessThanOrEqual(80);
    expect(truncateText('short', 80, 12)).toBe('short');
  });
});

describe('dodge', () => {
  it('keeps labels that do not collide where they are', () => {
    expect(dodge([10, 50, 90], 12, 0, 100)).toEqual([10, 50, 90]);
  });

  it('spreads colliding labels symmetrically and keeps the minimum gap', () => {
    const out = dodge([50, 50, 50], 10, 0, 100);
    expect(out.slice().sort((a, b) => a - b)).toEqual([40, 50, 60]);
  });

  it('keeps input order, bounds and gaps for a crowded set', () => {
    const targets = [95, 3, 97, 2, 50, 96, 1, 98];
    const out = dodge(targets, 12, 0, 100);
    const order = targets.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 1; k < order.length; k++) expect(out[order[k]![1]]! - out[order[k - 1]![1]]!).toBeGreaterThanOrEqual(12 - 1e-9);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(100);
  });

  it('is least-squares optimal for two labels pushed apart', () => {
    // Both move half the overlap.
    expect(dodge([20, 24], 10, 0, 100)).toEqual([17, 27]);
  });

  it('handles no labels', () => {
    expect(dodge([], 10, 0, 100)).toEqual([]);
  });
});

describe('time ticks', () => {
  it('ticks at week dates on short spans and names the year once', () => {
    const x = scaleUtc()
      .domain([new Date('2024-01-04'), new Date('2024-02-28')])
      .range([0, 600]);
    const ticks = timeTicks(x, 0, 600);
    expect(ticks[0]!.label).toBe('Jan 7, 2024');
    expect(ticks[1]!.label).toBe('Jan 14');
  });

  it('drops to months and years on long spans and narrow widths', () => {
    const x = scaleUtc()
      .domain([new Date('2022-06-01'), new Date('2024-06-01')])
      .range([0, 300]);
    const labels = timeTicks(x, 0, 300).map((t) => t.label);
    expect(labels).toContain('2023');
    expect(labels.length).toBeLessThanOrEqual(6);
  });
});
