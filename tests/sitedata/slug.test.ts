import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/random.ts';
import { MAX_SLUG_BYTES, shortSlug, slugify, SlugSet, unslugify } from '../../src/sitedata/slug.ts';

describe('slugs', () => {
  it('are readable', () => {
    expect(slugify('golang.org/x/tools/gopls')).toBe('golang.org-x-tools-gopls');
    expect(slugify('gopls/client')).toBe('gopls-client');
    expect(slugify('vscode-go/command/trigger')).toBe('vscode--go-command-trigger');
    expect(slugify('GOOS')).toBe('GOOS');
  });
  it('round-trip and never collide', () => {
    const names = ['a/b-c', 'a-b/c', 'a_b', 'a b', 'é/ü', '.', '..', '', 'x:y{z}', 'a--b', 'a//b', 'a-/b', 'a/-b', 'a---b', '-a/', '<script>'];
    const slugs = names.map(slugify);
    expect(new Set(slugs).size).toBe(names.length);
    for (const [i, n] of names.entries()) expect(unslugify(slugs[i]!)).toBe(n);
    for (const s of slugs) expect(s).toMatch(/^[A-Za-z0-9._-]+$/);
    for (const s of slugs) expect(['.', '..', '']).not.toContain(s);
  });
});

describe('slugs handed out by a build', () => {
  it('never contain "~" before a suffix: slugify cannot write it', () => {
    const rng = createRng('slug-tilde');
    for (let i = 0; i < 500; i++) {
      const name = String.fromCodePoint(...Array.from({ length: 1 + rng.int(12) }, () => (rng.next() < 0.5 ? 32 + rng.int(95) : 0x80 + rng.int(0x3000))));
      expect(slugify(name)).not.toContain('~');
    }
    expect(slugify('a~b')).toBe('a_7eb');
  });

  it('keep the plain slug for the first name and every name that does not collide', () => {
    const set = new SlugSet();
    const names = ['GOOS', 'GOARCH', 'gopls/client', 'go/build/flag/buildmode', 'vscode-go/command/trigger'];
    expect(names.map((n) => set.take(n, 'counter'))).toEqual(names.map(slugify));
  });

  it('add the kind, then a number, when a slug is taken in the same set', () => {
    const charts = new SlugSet();
    expect(charts.take('GOOS', 'metadata')).toBe('GOOS');
    // A counter chart named GOOS (counter: GOOS:{linux,darwin}) and a stack named like a counter chart.
    expect(charts.take('GOOS', 'counter')).toBe('GOOS~counter');
    expect(charts.take('go/invocations', 'counter')).toBe('go-invocations');
    expect(charts.take('go/invocations', 'stack')).toBe('go-invocations~stack');
    // Case-insensitive file systems would merge these.
    expect(charts.take('goos', 'counter')).toBe('goos~counter~2');
    expect(charts.take('GOOS', 'counter')).toBe('GOOS~counter~3');
    const programs = new SlugSet();
    expect(['cmd/go', 'CMD/GO', 'cmd/go'].map((p) => programs.take(p))).toEqual(['cmd-go', 'CMD-GO~2', 'cmd-go~3']);
  });

  it('are the same for the same names in the same order', () => {
    const names: [string, string][] = [
      ['GOOS', 'metadata'],
      ['GOOS', 'counter'],
      ['x'.repeat(300), 'counter'],
      ['x'.repeat(301), 'stack'],
      ['GOOS', 'stack'],
    ];
    const run = () => {
      const set = new SlugSet();
      return names.map(([n, k]) => set.take(n, k));
    };
    expect(run()).toEqual(run());
    expect(new Set(run().map((s) => s.toLowerCase())).size).toBe(names.length);
  });

  it('are shortened with a hash of the name, so every path component stays under 255 bytes', () => {
    // 99 Cyrillic letters and an x: 199 bytes of UTF-8, 595 bytes of slug.
    const name = 'программа'.repeat(11) + 'x';
    expect(name).toHaveLength(100);
    expect(slugify(name)).toHaveLength(595);
    const short = shortSlug(name);
    const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
    expect(short).toMatch(new RegExp(`^[A-Za-z0-9._-]+~${hash}$`));
    expect(short.length).toBeLessThanOrEqual(MAX_SLUG_BYTES);
    // Cut between whole escapes: the readable part is the start of the full slug and ends before an `_xx`.
    const head = short.slice(0, short.indexOf('~'));
    expect(slugify(name).startsWith(head)).toBe(true);
    expect(slugify(name)[head.length]).toBe('_');
    expect(head).toMatch(/^(_[0-9a-f]{2})+$/);
    // Same start, another end: another slug.
    expect(shortSlug('программа'.repeat(11) + 'y')).not.toBe(short);
    expect(shortSlug(name)).toBe(short);
    // `--` is one character of a slug and is not split either.
    const dashes = shortSlug('a-'.repeat(200));
    expect(dashes.slice(0, dashes.indexOf('~'))).toMatch(/^(a--)+a?$/);
    // A slug at the limit stays as it is.
    expect(shortSlug('y'.repeat(MAX_SLUG_BYTES))).toBe('y'.repeat(MAX_SLUG_BYTES));
    expect(shortSlug('y'.repeat(MAX_SLUG_BYTES + 1))).toHaveLength(MAX_SLUG_BYTES);

    // The longest component a page or file makes of a slug: a suffixed chart slug with its week files and `.json`.
    const set = new SlugSet();
    expect(set.take(name, 'metadata')).toBe(short);
    expect(set.take(name, 'metadata')).toBe(`${short}~metadata`);
    const worst = set.take(name, 'metadata');
    expect(worst).toBe(`${short}~metadata~2`);
    for (const component of [`${worst}.json`, `2026-11-01.png`, 'all-weeks.csv', worst]) expect(Buffer.byteLength(component)).toBeLessThan(255);
  });
});

import { stableJson } from '../../src/sitedata/json.ts';

describe('stableJson', () => {
  it('sorts keys at every level and otherwise matches JSON.stringify', () => {
    const v = { b: 1, a: [{ d: 'x"', c: null }, 2.5, -0.000001], e: { g: true, f: undefined }, h: 'é\n' };
    expect(stableJson(v)).toBe('{"a":[{"c":null,"d":"x\\""},2.5,-0.000001],"b":1,"e":{"g":true},"h":"é\\n"}');
    const sample = { z: [1, { y: 2, x: [3] }], w: 'text' };
    expect(JSON.parse(stableJson(sample))).toEqual(sample);
    expect(stableJson({ b: 1, a: 2 })).toBe(stableJson({ a: 2, b: 1 }));
  });

  it('sorts keys that look like array indexes as strings, as every other key', () => {
    // Objects enumerate such keys first and in numeric order, whatever their insertion order.
    const v = { b: { z: 1, 10: 2, 2: 3, a: [{ y: 1 / 3, x: 0 }] }, a: { 0: 'x', '01': 'y' } };
    expect(stableJson(v)).toBe('{"a":{"0":"x","01":"y"},"b":{"10":2,"2":3,"a":[{"x":0,"y":0.333333}],"z":1}}');
    expect(
      stableJson([
        { 9: 1, 4294967295: 2 },
        { d: 1, c: 2 },
      ]),
    ).toBe('[{"4294967295":2,"9":1},{"c":2,"d":1}]');
  });

  it('writes names such as __proto__ as keys of their own object only', () => {
    const names = Object.create(null) as Record<string, number>;
    for (const k of ['toString', '__proto__', 'constructor', 'valueOf']) names[k] = k.length;
    const parsed = JSON.parse('{"__proto__":{"hasOwnProperty":1}}') as unknown;
    const v = { names, plain: { a: 1 }, list: [{ b: 2 }], parsed };
    expect(stableJson(v)).toBe(
      '{"list":[{"b":2}],"names":{"__proto__":9,"constructor":11,"toString":8,"valueOf":7},"parsed":{"__proto__":{"hasOwnProperty":1}},"plain":{"a":1}}',
    );
    expect(Object.keys(JSON.parse(stableJson(v)).plain)).toEqual(['a']);
  });
});
