/** Small readers for chart SVG strings in tests, plus the golden-file check. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/**
 * Compares `svg` with golden/<name>.svg. The file is (re)written only when
 * UPDATE_GOLDEN=1; a missing golden fails otherwise, so CI never creates one.
 */
export function expectGolden(name: string, svg: string): void {
  const file = join(GOLDEN_DIR, `${name}.svg`);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, svg);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run the tests with UPDATE_GOLDEN=1 to create it`);
  expect(svg, `differs from ${file}; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`).toBe(readFileSync(file, 'utf8'));
}

/** Attributes of every `<name ...>` start tag whose attributes include all of `where`. */
export function elements(svg: string, name: string, where: Record<string, string | RegExp> = {}): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${name}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/?>`, 'g'))) {
    const a: Record<string, string> = {};
    for (const am of m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) a[am[1]!] = am[2]!;
    const ok = Object.entries(where).every(([k, v]) => (typeof v === 'string' ? a[k] === v : a[k] !== undefined && v.test(a[k]!)));
    if (ok) out.push(a);
  }
  return out;
}

/** Text contents of `<text>` elements with their attributes. */
export function texts(svg: string): { text: string; attrs: Record<string, string> }[] {
  const out: { text: string; attrs: Record<string, string> }[] = [];
  for (const m of svg.matchAll(/<text((?:\s+[\w:-]+="[^"]*")*)>([^<]*)<\/text>/g)) {
    const a: Record<string, string> = {};
    for (const am of m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) a[am[1]!] = am[2]!;
    out.push({ text: m[2]!, attrs: a });
  }
  return out;
}

/** Subpaths of path data made of M/L commands with absolute coordinates (what d3 line/area emit). */
export function subpaths(d: string): [number, number][][] {
  return d
    .split('M')
    .filter((s) => s.length > 0)
    .map((s) =>
      s
        .replace(/Z$/, '')
        .split('L')
        .map((p) => p.split(',').map(Number) as [number, number]),
    );
}

/** The contents of the group `<g class="...">` whose class list includes `cls` (first match, non-nested text only). */
export function group(svg: string, cls: string): string {
  const start = svg.search(new RegExp(`<g class="(?:[^"]* )?${cls}(?: [^"]*)?">`));
  if (start < 0) return '';
  let depth = 0;
  const re = /<g\b[^>]*>|<\/g>/g;
  re.lastIndex = start;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    depth += m[0] === '</g>' ? -1 : 1;
    if (depth === 0) return svg.slice(start, m.index + 4);
  }
  return svg.slice(start);
}
