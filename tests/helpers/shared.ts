/**
 * Fixtures that live outside the repository, in a folder beside it
 * (`../shared` by default; TELEMETRY_SHARED_DIR names another): Go's real
 * chart and upload configs, and an independent table of statistics
 * reference values. They are read from there and never copied in. A test
 * that needs one checks `available` and skips when it is absent, after one
 * line saying what is missing:
 *
 *   skipped: needs ../shared/fixtures/go-telemetry/config.txt (Go's real chart config)
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const configured = process.env['TELEMETRY_SHARED_DIR'];
/** The shared folder: TELEMETRY_SHARED_DIR (absolute, or relative to the project root), else ../shared. */
const SHARED_DIR = resolve(PROJECT_ROOT, configured || '../shared');

/** A path under the shared folder as a person would type it: ../shared/... by default, else absolute. */
export function sharedDisplayPath(file: string): string {
  const full = resolve(SHARED_DIR, file);
  return configured && isAbsolute(configured) ? full : relative(PROJECT_ROOT, full);
}

export interface SharedFixture {
  /** Every file is present and readable. */
  available: boolean;
  /** Absolute path of one of the files. */
  path(file: string): string;
  /** Text of one of the files. */
  read(file: string): string;
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of a file under the shared folder. */
export function sharedPath(file: string): string {
  return resolve(SHARED_DIR, file);
}

/** The files of `files` that are absent or unreadable under the shared folder. */
export function missingShared(files: readonly string[]): string[] {
  return files.filter((f) => !readable(sharedPath(f)));
}

/**
 * Files under the shared folder that one test file needs, described in a few
 * words (`what`). When any is missing, prints the one skip line and returns
 * `available: false`.
 */
export function sharedFixture(what: string, files: string[]): SharedFixture {
  const missing = missingShared(files);
  if (missing.length > 0) console.log(`skipped: needs ${missing.map(sharedDisplayPath).join(' and ')} (${what})`);
  return {
    available: missing.length === 0,
    path: sharedPath,
    read: (file) => readFileSync(sharedPath(file), 'utf8'),
  };
}

export const GO_CHART_CONFIG = 'fixtures/go-telemetry/config.txt';
export const GO_UPLOAD_CONFIG = 'fixtures/go-telemetry/config.json';
export const STATISTICS_REFERENCE = 'fixtures/statistics/reference-values.json';
