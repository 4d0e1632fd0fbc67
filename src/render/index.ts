/**
 * Chart rendering at build time: pure functions from plain data to SVG
 * strings (no DOM, deterministic bytes), and SVG to PNG with bundled fonts.
 *
 * Inline charts in pages use `theme: 'css'` and the custom properties from
 * `chartThemeCss()`; standalone `.svg` files and PNGs use `theme: 'light'` or
 * `'dark'`. Text does not grow when an SVG is scaled down, so render at the
 * width the chart is shown (e.g. one 360 px and one 1280 px variant).
 */
export { barChart, type BarDatum } from './bar-chart.ts';
export { countChart } from './count-chart.ts';
export { lineChart } from './line-chart.ts';
export { chartThemeCss } from './palette.ts';
export { panel } from './panel.ts';
export { svgToPng } from './png.ts';
export { sparkline } from './sparkline.ts';
export type { LineSeries, WeekEstimate } from './types.ts';
