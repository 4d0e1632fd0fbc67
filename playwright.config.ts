/**
 * Browser tests against the built site in dist/ (they never build it:
 * `npm test` and CI build first). Debian's Chromium, no network beyond
 * 127.0.0.1; results as a list and as JSON (PLAYWRIGHT_JSON_OUTPUT_NAME).
 * The site is served on E2E_PORT, or on a free port picked here: the config
 * is evaluated again in every worker, and workers inherit the environment,
 * so the port chosen on the first evaluation is kept in E2E_PORT.
 */
import { defineConfig } from '@playwright/test';
import { freePort } from './tests/e2e/port.ts';

process.env.E2E_PORT ||= String(await freePort());
export const PORT = Number(process.env.E2E_PORT);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // A test that needs a second attempt is a failure to fix, not to hide.
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
      ],
    },
  },
  webServer: {
    command: `node --import tsx tests/e2e/server.ts dist ${PORT} /`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
