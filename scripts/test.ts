/**
 * npm test: everything a reviewer would run, in order, with one summary line
 * at the end (`N passed, N failed`):
 *   1. type check (tsc, and astro check for the pages)
 *   2. dead code and dependencies (knip, configured in knip.json): unused
 *      files, exports and dependencies, and imports of undeclared packages
 *   3. lint and format check (Biome, configured in biome.json)
 *   4. unit and statistical tests (vitest)
 *   5. a build of the demo site (npm run build, offline)
 *   6. browser tests against the built site (Playwright with Debian's Chromium),
 *      served on a free port chosen here (E2E_PORT)
 * Chromium is installed from apt when it is absent and this runs as root;
 * otherwise the run stops and says how to install it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../tests/e2e/port.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const reportDir = join('.cache', 'test-reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

let passed = 0;
let failed = 0;
const steps: string[] = [];

function run(name: string, cmd: string, args: string[]): boolean {
  process.stderr.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  const ok = r.status === 0;
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  return ok;
}

function step(name: string, cmd: string, args: string[]) {
  if (run(name, cmd, args)) passed++;
  else failed++;
}

function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (root && apt) {
    process.stderr.write(`\n== Chromium not found at ${CHROMIUM}: installing Debian's chromium package\n`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (existsSync(CHROMIUM)) return true;
  }
  process.stderr.write(`\nBrowser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).\n`);
  return false;
}

step('type check', 'npx', ['tsc', '--noEmit', '-p', '.']);
step('type check of the Astro pages', 'npx', ['astro', 'check']);
step('dead code and undeclared dependencies', 'npx', ['knip', '--no-progress']);
step('lint and format', 'npx', ['biome', 'check', '.']);

// Vitest counts each test; its JSON report gives the real numbers.
const vitestJson = join(reportDir, 'vitest.json');
run('unit and statistical tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: { status: string }[] };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  // A test file that fails to load has no failed test but a failed status.
  if (v.numFailedTests === 0 && v.testResults.some((t) => t.status === 'failed')) failed++;
} else failed++;

const built = run('build the demo site', 'npm', ['run', 'build', '--', '--offline']);
if (built) passed++;
else failed++;

if (built && existsSync('tests/e2e')) {
  if (ensureChromium()) {
    const pwJson = join(reportDir, 'playwright.json');
    const port = process.env['E2E_PORT'] || String(await freePort());
    spawnSync('npx', ['playwright', 'test'], { stdio: 'inherit', env: { ...env, E2E_PORT: port, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson } });
    steps.push('ran  browser tests');
    if (existsSync(pwJson)) {
      const p = JSON.parse(readFileSync(pwJson, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
      // Retries are off; a test that passed only on a second attempt would still count as failed.
      passed += p.stats.expected;
      failed += p.stats.unexpected + p.stats.flaky;
    } else failed++;
  } else failed++;
}

process.stderr.write(`\n${steps.join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
