/**
 * The demo archive generator: a seeded simulation of opted-in telemetry
 * installations written in the exact public archive format, with its ground
 * truth. See README.md beside this file for the output files and formats.
 */
export { generateDemo } from './archive.ts';
export { ensureDemo, type DemoLocation } from './ensure.ts';
export { generateLarge } from './large.ts';
export { generateWeekSample, type WeekSample } from './week-sample.ts';
export { buildModel, type Selection } from './model.ts';
export { demoChartConfig, demoUploadConfig } from './config-text.ts';
