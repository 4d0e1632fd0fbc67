// Pages stay light: at most 100 KB of HTML each (charts inline, so this bounds the SVGs too), every page of the site.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { htmlFiles } from './html-files.ts';
import { DIST } from './site.ts';

test('every page weighs at most 100 KB', () => {
  const heavy: string[] = [];
  let pages = 0;
  let permalinks = 0;
  for (const p of htmlFiles(DIST)) {
    pages++;
    if (/^charts\/[^/]+\/[^/]+\/\d{4}-\d{2}-\d{2}\/index\.html$/.test(relative(DIST, p))) permalinks++;
    const size = statSync(p).size;
    if (size > 100 * 1024) heavy.push(`${relative(DIST, p)}: ${(size / 1024).toFixed(1)} KB`);
  }
  // Chart pages, week permalinks, program pages, week pages and the rest.
  expect(permalinks).toBeGreaterThan(100);
  expect(pages).toBeGreaterThan(permalinks + 20);
  expect(heavy).toEqual([]);
});
