import { describe, expect, it } from 'vitest';
import { lineChart, type LineChartData } from '../../src/render/line-chart.ts';
import { formatPct, formatShareWithInterval } from '../../src/render/format.ts';
import { textWidth } from '../../src/render/measure.ts';
import { NEUTRAL } from '../../src/render/palette.ts';
import { PROVISIONAL_FROM, WEEKS, lineData } from './fixtures.ts';
import { elements, group, subpaths, texts } from './svg-helpers.ts';

/** y of the 0 and 100 gridlines of the y axis. */
function yAxisExtent(svg: string): { y0: number; y100: number } {
  const axis = group(svg, 'axis-y');
  const lines = elements(axis, 'line');
  const labels = texts(axis);
  const at = (label: string) => Number(lines[labels.findIndex((t) => t.text === label)]!['y1']);
  return { y0: at('0'), y100: at('100') };
}

function flat(value: number, weeks = WEEKS): LineChartData {
  return { title: 'flat', series: [{ bucket: 'a', points: weeks.map((week) => ({ week, estimate: value, lower: value - 0.05, upper: value + 0.05 })) }] };
}

describe('lineChart geometry', () => {
  it('puts a 50% point at the middle of the plot area', () => {
    const svg = lineChart(flat(0.5), { width: 640, height: 360 });
    const { y0, y100 } = yAxisExtent(svg);
    expect(y0).toBeGreaterThan(y100);
    const [line] = elements(svg, 'path', { class: /\bline\b/ });
    for (const [, y] of subpaths(line!['d']!)[0]!) expect(y).toBeCloseTo((y0 + y100) / 2, 2);
  });

  it('draws the interval band around the line', () => {
    const data = lineData();
    const svg = lineChart({ ...data, series: [data.series[0]!], provisionalFrom: null }, { width: 800 });
    const band = subpaths(elements(svg, 'path', { class: /\bband\b/ })[0]!['d']!)[0]!;
    const line = subpaths(elements(svg, 'path', { class: /\bline\b/ })[0]!['d']!)[0]!;
    // d3.area walks y1 (the lower bound) left to right, then y0 (the upper bound) back.
    const n = line.length;
    expect(band.length).toBe(2 * n);
    line.forEach(([x, y], i) => {
      const [lx, ly] = band[i]!;
      const [ux, uy] = band[2 * n - 1 - i]!;
      expect(ux).toBeCloseTo(x, 3);
      expect(lx).toBeCloseTo(x, 3);
      expect(uy).toBeLessThanOrEqual(y + 1e-9);
      expect(ly).toBeGreaterThanOrEqual(y - 1e-9);
    });
  });

  it('breaks the line where a week has no data instead of interpolating', () => {
    const data = lineData();
    const svg = lineChart({ ...data, provisionalFrom: null }, { width: 800 });
    const neovim = elements(svg, 'path', { class: 'line series series-1' });
    expect(neovim).toHaveLength(1);
    const parts = subpaths(neovim[0]!['d']!);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.length + parts[1]!.length).toBe(WEEKS.length - 2);
    // The band breaks too.
    expect(subpaths(elements(svg, 'path', { class: 'band series series-1' })[0]!['d']!)).toHaveLength(2);
  });

  it('draws provisional weeks dashed with hollow points over a shaded region', () => {
    const svg = lineChart(lineData(), { width: 800, theme: 'light' });
    const dashed = elements(svg, 'path', { class: /provisional-line/ });
    expect(dashed).toHaveLength(6);
    for (const d of dashed) expect(d['stroke-dasharray']).toBe('4 3');
    // The dashed tail starts at the first provisional week: provisional weeks are drawn apart from the final line.
    const solid = subpaths(elements(svg, 'path', { class: 'line series series-0' })[0]!['d']!)[0]!;
    const tail = subpaths(dashed[0]!['d']!)[0]!;
    expect(tail[0]![0]).toBeGreaterThan(solid.at(-1)![0]!);
    expect(tail).toHaveLength(WEEKS.length - WEEKS.indexOf(PROVISIONAL_FROM));
    const hollow = elements(svg, 'g', { class: /provisional-point/ });
    expect(hollow).toHaveLength(6);
    for (const g of hollow) expect(g['fill']).toBe(NEUTRAL.light.provisional);
    const hollowPoints = svg.match(/<g class="point provisional-point"[^>]*>(.*?)<\/g>/g)!.flatMap((g) => g.match(/<path /g) ?? []);
    expect(hollowPoints).toHaveLength(6 * 3);
    expect(group(svg, 'provisional')).toContain('<rect');
    expect(texts(group(svg, 'legend')).map((t) => t.text)).toContain('provisional (uploads still arriving)');
  });

  it('marks flagged changes with ▲/▼ and names them in the summary', () => {
    const svg = lineChart(lineData(), { width: 800 });
    expect(elements(svg, 'path', { class: 'change change-up' })).toHaveLength(1);
    expect(elements(svg, 'path', { class: 'change change-down' })).toHaveLength(1);
    expect(svg).toMatch(/<desc[^>]*>[^<]*Significant changes: vscode up in week 2024-03-31 \(\+2\.1 points\); neovim down in week 2024-04-21/);
  });

  it('keeps end labels at least the minimum gap apart, with leader lines when moved', () => {
    // Six series packed near 2-4%: labels must dodge.
    const weeks = WEEKS.slice(0, 6);
    const series = Array.from({ length: 6 }, (_, k) => ({ bucket: `b${k}`, points: weeks.map((week) => ({ week, estimate: 0.02 + k * 0.004 })) }));
    const svg = lineChart({ title: 'packed', series }, { width: 900, height: 400 });
    const labels = texts(svg).filter((t) => /^b\d /.test(t.text));
    expect(labels).toHaveLength(6);
    const ys = labels.map((t) => Number(t.attrs['y'])).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(15 - 1e-6);
    expect(elements(svg, 'path', { class: 'leader' }).length).toBeGreaterThan(0);
    // Labels stay inside the chart.
    for (const t of labels) expect(Number(t.attrs['x']) + textWidth(t.text, 12)).toBeLessThanOrEqual(900);
  });

  it('does not move end labels that do not collide', () => {
    const series = [0.1, 0.5, 0.9].map((v, k) => ({ bucket: `s${k}`, points: WEEKS.map((week) => ({ week, estimate: v })) }));
    const svg = lineChart({ title: 'spread', series }, { width: 900 });
    expect(elements(svg, 'path', { class: 'leader' })).toHaveLength(0);
  });

  it('uses a legend instead of end labels on narrow charts', () => {
    const svg = lineChart(lineData(), { width: 360 });
    expect(texts(svg).some((t) => /^vscode \d/.test(t.text))).toBe(false);
    const legendText = texts(group(svg, 'legend')).map((t) => t.text);
    expect(legendText).toContain('vscode');
    expect(legendText).toContain('emacs &lt;eglot&gt; &amp; co');
  });

  it('adapts the number of x ticks to the width without overlapping labels', () => {
    const count = (w: number) => texts(group(lineChart(lineData(), { width: w }), 'axis-x')).length;
    expect(count(360)).toBeLessThan(count(1280));
    for (const w of [360, 640, 1280]) {
      const ticks = texts(group(lineChart(lineData(), { width: w }), 'axis-x'));
      for (let i = 1; i < ticks.length; i++) {
        const a = ticks[i - 1]!;
        const b = ticks[i]!;
        expect(Number(b.attrs['x']) - textWidth(b.text, 11) / 2).toBeGreaterThan(Number(a.attrs['x']) + textWidth(a.text, 11) / 2);
      }
    }
  });

  it('labels the y axis with its unit and zooms with yDomain auto', () => {
    const svg = lineChart(flat(0.02), { width: 640 });
    expect(texts(svg).map((t) => t.text)).toContain('share of reporting installations (%)');
    const auto = lineChart({ ...flat(0.02), yDomain: 'auto' }, { width: 640 });
    expect(texts(group(auto, 'axis-y')).map((t) => t.text)).not.toContain('100');
  });

  it('draws a single week as points, not as nothing', () => {
    const svg = lineChart(flat(0.3, [WEEKS[0]!]), { width: 640 });
    expect(svg.match(/<g class="point"[^>]*><path d="[^"]+"><title>/g)).toHaveLength(1);
  });

  it('gives every plotted point its own <title> with bucket, week, share, interval and n', () => {
    const data = lineData();
    const withN = { ...data, series: data.series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, n: 1234 })) })) };
    const svg = lineChart(withN, { width: 900 });
    const pts = group(svg, 'points');
    const paths = pts.match(/<path [^>]*>/g) ?? [];
    const titled = pts.match(/<path [^>]*><title>[^<]+<\/title><\/path>/g) ?? [];
    expect(paths.length).toBeGreaterThan(WEEKS.length);
    expect(titled).toHaveLength(paths.length);
    const first = withN.series[0]!;
    const p = first.points.find((x) => x.estimate !== null && typeof x.lower === 'number' && x.week < PROVISIONAL_FROM)!;
    expect(pts).toContain(`<title>${first.label ?? first.bucket} · ${p.week}: ${formatShareWithInterval(p.estimate!, p.lower, p.upper)}, n = 1,234</title>`);
    expect(pts).toMatch(/ · \d{4}-\d{2}-\d{2} \(provisional\): /);
  });

  it('labels line ends with the latest final week, not a provisional one', () => {
    const svg = lineChart(lineData(), { width: 900 });
    const data = lineData();
    const final = data.series[0]!.points.filter((p) => p.week < PROVISIONAL_FROM && p.estimate !== null).at(-1)!;
    const labels = texts(svg).map((t) => t.text);
    expect(labels).toContain(`${data.series[0]!.label ?? data.series[0]!.bucket} ${formatPct(final.estimate!)}`);
    expect(elements(svg, 'desc')[0]).toBeDefined();
    expect(svg).toMatch(new RegExp(`Latest final week ${final.week}: `));
  });

  it('never dashes a final line, and gives each series its own colour past 8 canonical buckets', () => {
    const canonical = Array.from({ length: 12 }, (_, i) => `b${i}`);
    const drawn = ['b0', 'b3', 'b8', 'b11'];
    const svg = lineChart(
      { title: 't', buckets: canonical, series: drawn.map((bucket, k) => ({ bucket, points: WEEKS.map((week) => ({ week, estimate: 0.1 * (k + 1) })) })) },
      { width: 900, theme: 'light' },
    );
    const lines = elements(svg, 'path', { class: /^line series/ });
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l['stroke'])).size).toBe(4);
    for (const l of lines) expect(l['stroke-dasharray']).toBeUndefined();
  });

  it('rejects a malformed week name', () => {
    expect(() => lineChart({ title: 't', series: [{ bucket: 'a', points: [{ week: '2024-13-01', estimate: 0.1 }] }] })).toThrow(RangeError);
  });
});
