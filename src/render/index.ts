/**
 * Chart rendering at build time: pure functions from plain data to SVG
 * strings (no DOM, deterministic bytes), and SVG to PNG with bundled fonts.
 *
 * Inline charts in pages use `theme: 'css'` and the custom properties from
 * `chartThemeCss()`; standalone `.svg` files and PNGs use `theme: 'light'` or
 * `'dark'`. Text does not grow when an SVG is scaled down, so render at the
 * width the chart is shown (e.g. one 360 px and one 1280 px variant).
 */
export { barChart, type BarChartData, type BarDatum } from './bar-chart.ts';
export type { ChartOptions } from './chart.ts';
export { countChart, type CountChartData, type WeekCount } from './count-chart.ts';
export { formatCount, formatPct, formatShareWithInterval } from './format.ts';
export { lineChart, type LineChartData } from './line-chart.ts';
export { bucketStyle, chartThemeCss, contrastRatio, seriesStyle, type SeriesStyle, type Theme } from './palette.ts';
export { svgToPng, type PngOptions } from './png.ts';
export { sparkline, type SparklineData } from './sparkline.ts';
export type { ChangeMarker, LineSeries, WeekEstimate } from './types.ts';
