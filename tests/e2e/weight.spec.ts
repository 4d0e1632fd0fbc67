// Pages stay light: at most 100 KB of HTML each (charts inline, so this bounds the SVGs too), every page of the site.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { DIST } from './site.ts';

test('every page weighs at most 100 KB', () => {
  const heavy: string[] = [];
  let pages = 0;
  let permalinks = 0;
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.html')) {
        pages++;
        if (/^charts\/[^/]+\/[^/]+\/\d{4}-\d{2}-\d{2}\/index\.html$/.test(relative(DIST, p))) permalinks++;
        const size = statSync(p).size;
        if (size > 100 * 1024) heavy.push(`${relative(DIST, p)}: ${(size / 1024).toFixed(1)} KB`);
      }
    }
  };
  walk(DIST);
  // Chart pages, week permalinks, program pages, week pages and the rest.
  expect(permalinks).toBeGreaterThan(100);
  expect(pages).toBeGreaterThan(permalinks + 20);
  expect(heavy).toEqual([]);
});
