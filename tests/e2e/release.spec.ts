// The release view of a program page and the versions column of a stack table, read in the browser against the
// site data they come from, at phone and desktop widths, light and dark (screenshots in
// test-results/screenshots/release-*.png and stack-versions-*.png).
import { expect, test } from '@playwright/test';
import { index, latestFinal, readDist } from './site.ts';

const program =
  index.programs.find((p) => p.program === 'golang.org/x/tools/gopls') ??
  index.programs.find((p) => !p.program.startsWith('cmd/') && p.charts.some((c) => c.kind === 'stack'))!;
const stack = program.charts.find((c) => c.kind === 'stack')!;

interface Milestone {
  status: string;
  week: string | null;
  weeks: number | null;
}
const release = (JSON.parse(readDist(`data/programs/${program.slug}.json`)) as { release: { group: string; firstWeek: string; milestones: Milestone[] }[] })
  .release;
const stackWeek = (JSON.parse(readDist(`data/${stack.file}`)) as { weeks: { week: string; top: { versions: { group: string; x: number }[] }[] }[] }).weeks.find(
  (w) => w.week === latestFinal,
)!;

const cell = (m: Milestone) =>
  m.status !== 'reached' ? m.status : m.weeks === 0 ? `first week (${m.week})` : `${m.weeks} week${m.weeks === 1 ? '' : 's'} (${m.week})`;

for (const width of [360, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${width}px ${scheme}`, () => {
      test.use({ viewport: { width, height: 800 }, colorScheme: scheme, deviceScaleFactor: 1 });

      test('the program page shows each version since it appeared, with a table of weeks to 25% and 50%', async ({ page }) => {
        await page.goto(`programs/${program.slug}/`);
        const section = page.locator('#releases');
        await expect(section).toBeVisible();
        const chart = page.locator('#releases figure svg.chart:visible');
        await expect(chart).toHaveCount(1);
        // Every point of the wide chart carries its figures for hovering without scripts (the narrow one marks the latest).
        const titles = await page.locator('#release-wide title').allTextContents();
        expect(titles.filter((t) => / · \d{4}-\d{2}-\d{2}.*: .*%/.test(t)).length).toBeGreaterThan(10);
        const rows = page.locator('table.releases tbody tr');
        expect(await rows.count()).toBe(release.length);
        // Newest first, figures as published.
        const newest = [...release].reverse();
        for (let i = 0; i < newest.length; i++) {
          const g = newest[i]!;
          const cells = await rows.nth(i).locator('th, td').allTextContents();
          expect(cells.slice(0, 4)).toEqual([g.group, g.firstWeek, cell(g.milestones[0]!), cell(g.milestones[1]!)]);
        }
        expect(release.some((g) => g.milestones.some((m) => m.status === 'reached'))).toBe(true);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await section.screenshot({ path: `test-results/screenshots/release-${width}-${scheme}.png`, animations: 'disabled', caret: 'hide' });
      });

      test("the stack table names each stack's versions in the week", async ({ page }) => {
        await page.goto(`charts/${program.slug}/${stack.slug}/`);
        const table = page.locator('table.stacks');
        await expect(table.locator('thead th', { hasText: 'Versions (reports)' })).toHaveCount(1);
        const cells = await table.locator('td.versions').allTextContents();
        expect(cells.length).toBeGreaterThan(0);
        cells.forEach((text, i) => {
          const v = stackWeek.top[i]!.versions;
          const want = v.slice(0, 4).map((g) => `${g.group}:\u00a0${g.x}`);
          if (v.length > 4) want.push(`${v.length - 4} more`);
          expect(text).toBe(want.length > 0 ? want.join(', ') : '—');
        });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page
          .locator('.table-wrap', { has: table })
          .screenshot({ path: `test-results/screenshots/stack-versions-${width}-${scheme}.png`, animations: 'disabled', caret: 'hide' });
      });
    });
  }
}
