// Every page type at phone and desktop widths, light and dark: no sideways scrolling, and a screenshot to look at
// (test-results/screenshots/<page>-<width>-<scheme>.png).
import { expect, test } from '@playwright/test';
import { PAGES } from './site.ts';

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${width}px ${scheme}`, () => {
      test.use({ viewport: { width, height: 800 }, colorScheme: scheme });
      for (const { name, path } of PAGES) {
        test(`${name}`, async ({ page }) => {
          await page.goto(path);
          // Tables and code scroll inside their boxes; the page itself never scrolls sideways.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(0);
          // The visible chart variant fits the viewport.
          for (const svg of await page.locator('main svg.chart:visible').all()) {
            const box = (await svg.boundingBox())!;
            expect(box.x + box.width).toBeLessThanOrEqual(width);
          }
          await page.screenshot({ path: `test-results/screenshots/${name}-${width}-${scheme}.png`, fullPage: true });
        });
      }
    });
  }
}
