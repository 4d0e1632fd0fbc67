/**
 * Browser tests against the built site in dist/ (they never build it:
 * `npm test` and CI build first). Debian's Chromium, no network beyond
 * 127.0.0.1; results as a list and as JSON (PLAYWRIGHT_JSON_OUTPUT_NAME).
 */
import { defineConfig } from '@playwright/test';

export const PORT = Number(process.env.E2E_PORT ?? 4391);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // Headless Chromium now and then fails to capture a screenshot; one retry, reported as flaky, covers it.
  retries: 1,
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
