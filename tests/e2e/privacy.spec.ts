// No third-party requests of any kind: every request a page makes goes to 127.0.0.1.
import { expect, test } from '@playwright/test';
import { PAGES } from './site.ts';

test('every page type loads only from 127.0.0.1', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  for (const { path } of PAGES) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  expect(requests.length).toBeGreaterThan(PAGES.length);
  const hosts = new Set(requests.filter((u) => !u.startsWith('data:')).map((u) => new URL(u).hostname));
  expect([...hosts]).toEqual(['127.0.0.1']);
  expect(failed).toEqual([]);
});

test('pages reference no outside resources (only links may leave the site)', async ({ page }) => {
  for (const { path } of PAGES) {
    await page.goto(path);
    const external = await page.evaluate(() =>
      [...document.querySelectorAll('[src], link[href], [srcset], [poster]')]
        .map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? e.getAttribute('srcset') ?? '')
        .filter((u) => /^(https?:)?\/\//i.test(u)),
    );
    expect(external, path).toEqual([]);
  }
});
