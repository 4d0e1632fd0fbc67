// Chart pages stay light: at most 100 KB of HTML each (charts inline, so this bounds the SVGs too).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DIST } from './site.ts';

test('every chart page and week permalink weighs at most 100 KB', () => {
  const heavy: string[] = [];
  let pages = 0;
  const charts = join(DIST, 'charts');
  for (const p of readdirSync(charts)) {
    if (!statSync(join(charts, p)).isDirectory()) continue;
    for (const c of readdirSync(join(charts, p))) {
      const dir = join(charts, p, c);
      if (!statSync(dir).isDirectory()) continue;
      const files = [
        join(dir, 'index.html'),
        ...readdirSync(dir)
          .filter((w) => /^\d{4}-\d{2}-\d{2}$/.test(w))
          .map((w) => join(dir, w, 'index.html')),
      ];
      for (const f of files) {
        pages++;
        const size = statSync(f).size;
        if (size > 100 * 1024) heavy.push(`${f}: ${(size / 1024).toFixed(1)} KB`);
      }
    }
  }
  expect(pages).toBeGreaterThan(10);
  expect(heavy).toEqual([]);
});
