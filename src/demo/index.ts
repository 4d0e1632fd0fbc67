/**
 * The demo archive generator: a seeded simulation of opted-in telemetry
 * installations written in the exact public archive format, with its ground
 * truth. See README.md beside this file for the output files and formats.
 */
export { generateDemo, arrivalProbability, referenceCensus, GENERATOR, POPULATION_SIZE, type DemoOptions, type DemoManifest, type ReferenceCensus } from './archive.ts';
export { ensureDemo, type DemoLocation, type EnsureDemoOptions } from './ensure.ts';
export { generateLarge, type LargeOptions, type LargeManifest } from './large.ts';
export { generateWeekSample, type WeekSampleOptions, type WeekSample } from './week-sample.ts';
export { goReportLine, goString, goCountMap, goFloat, type GoReport, type GoProgramReport } from './gojson.ts';
export { compareVersions, atLeast, majorMinor } from './versions.ts';
export { MALFORMED_KINDS, UNCONFIGURED_COUNTER, type MalformedKind, type PlantedLine, type PlantedDuplicate, type PlantedUnconfigured } from './plant.ts';
export { type Selection } from './model.ts';
export { buildModel, CONFIG_VERSION, SAMPLE_RATE, DEFAULT_END, DEFAULT_WEEKS, GOPLS, CMD_GO, CMD_COMPILE, GOVULNCHECK, DLV } from './model.ts';
export { demoChartConfig, demoUploadConfig } from './config-text.ts';
export { type ChartInfo, type ChartWeekTruth, type ProgramWeekTruth, type Composition } from './truth.ts';
