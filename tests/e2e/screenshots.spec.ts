// Every page type at phone and desktop widths, light and dark: no sideways scrolling, and a screenshot to look at
// (test-results/screenshots/<page>-<width>-<scheme>.png).
import { expect, test, type Page } from '@playwright/test';
import { PAGES } from './site.ts';

/**
 * Waits until the page is settled for a capture: loaded with nothing in
 * flight, fonts ready, and two animation frames painted since then, so the
 * compositor has a finished frame of the final layout. (A capture requested
 * before the first frame of a freshly laid-out page is what headless
 * Chromium refuses with "Unable to capture screenshot".)
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  });
}

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${width}px ${scheme}`, () => {
      test.use({ viewport: { width, height: 800 }, colorScheme: scheme, deviceScaleFactor: 1 });
      for (const { name, path } of PAGES) {
        test(`${name}`, async ({ page }) => {
          await page.goto(path);
          await settle(page);
          // Tables and code scroll inside their boxes; the page itself never scrolls sideways.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(0);
          // The visible chart variant fits the viewport.
          for (const svg of await page.locator('main svg.chart:visible').all()) {
            const box = (await svg.boundingBox())!;
            expect(box.x + box.width).toBeLessThanOrEqual(width);
          }
          await page.screenshot({
            path: `test-results/screenshots/${name}-${width}-${scheme}.png`,
            fullPage: true,
            animations: 'disabled',
            caret: 'hide',
            scale: 'css',
          });
        });
      }
    });
  }
}
