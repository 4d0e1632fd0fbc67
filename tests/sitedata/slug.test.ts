import { describe, expect, it } from 'vitest';
import { slugify, unslugify } from '../../src/sitedata/slug.ts';

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

import { stableJson } from '../../src/sitedata/write.ts';

describe('stableJson', () => {
  it('sorts keys at every level and otherwise matches JSON.stringify', () => {
    const v = { b: 1, a: [{ d: 'x"', c: null }, 2.5, -0.000001], e: { g: true, f: undefined }, h: 'é\n' };
    expect(stableJson(v)).toBe('{"a":[{"c":null,"d":"x\\""},2.5,-0.000001],"b":1,"e":{"g":true},"h":"é\\n"}');
    const sample = { z: [1, { y: 2, x: [3] }], w: 'text' };
    expect(JSON.parse(stableJson(sample))).toEqual(sample);
    expect(stableJson({ b: 1, a: 2 })).toBe(stableJson({ a: 2, b: 1 }));
  });

  it('writes names such as __proto__ as keys of their own object only', () => {
    const names = Object.create(null) as Record<string, number>;
    for (const k of ['toString', '__proto__', 'constructor', 'valueOf']) names[k] = k.length;
    const parsed = JSON.parse('{"__proto__":{"hasOwnProperty":1}}') as unknown;
    const v = { names, plain: { a: 1 }, list: [{ b: 2 }], parsed };
    expect(stableJson(v)).toBe('{"list":[{"b":2}],"names":{"__proto__":9,"constructor":11,"toString":8,"valueOf":7},"parsed":{"__proto__":{"hasOwnProperty":1}},"plain":{"a":1}}');
    expect(Object.keys(JSON.parse(stableJson(v)).plain)).toEqual(['a']);
  });
});
