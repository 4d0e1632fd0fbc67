import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { parseReference } from '../../src/skew/reference.ts';
import { round } from '../../src/lib/round.ts';
import { dimensionSkew, type CategorySkew } from '../../src/skew/skew.ts';

const CHARTS = new Set(['gopls/client']);
const ok = (dims: unknown) => JSON.stringify({ source: 'Go Developer Survey 2024', date: '2024-07-01', size: 4156, dimensions: dims });
const fail = (text: string) => {
  try {
    parseReference(text, 'ref.json', CHARTS);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('reference population', () => {
  it('reads the contract and puts the remainder in "other"', () => {
    const r = parseReference(ok({ GOOS: { linux: 0.45, darwin: 0.33, windows: 0.2 }, 'gopls/client': { vscode: 0.45 } }), 'ref.json', CHARTS);
    expect(r.source).toBe('Go Developer Survey 2024');
    expect(r.dimensions['GOOS']!['other']).toBeCloseTo(0.02, 12);
    expect(r.dimensions['gopls/client']).toEqual({ vscode: 0.45, other: 0.55 });
  });

  it('keeps dimensions and categories named like Object.prototype properties', () => {
    const text =
      '{"source":"s","date":"2024-07-01","size":10,"dimensions":{"GOOS":{"__proto__":0.25,"constructor":0.25,"linux":0.25},"__proto__":{"toString":0.5}}}';
    const r = parseReference(text, 'ref.json', new Set(['__proto__']));
    expect(Object.keys(r.dimensions)).toEqual(['GOOS', '__proto__']);
    expect(Object.entries(r.dimensions['GOOS']!)).toEqual([
      ['__proto__', 0.25],
      ['constructor', 0.25],
      ['linux', 0.25],
      ['other', 0.25],
    ]);
    expect(Object.entries(r.dimensions['__proto__']!)).toEqual([
      ['toString', 0.5],
      ['other', 0.5],
    ]);
    // A __proto__ key is checked, and one that is not a chart is an unknown dimension.
    expect(fail('{"source":"s","date":"2024-07-01","size":10,"dimensions":{"GOOS":{"__proto__":-1}}}')).toMatch(
      /dimensions\.GOOS\.__proto__: a share must be >= 0/,
    );
    expect(fail('{"source":"s","date":"2024-07-01","size":10,"dimensions":{"__proto__":{"a":0.5}}}')).toMatch(/dimensions\.__proto__: unknown dimension/);
  });

  it('rejects unknown dimensions, shares that do not add up, and a broken contract, saying where', () => {
    expect(fail(ok({ Editor: { vscode: 0.5 } }))).toMatch(/^ref\.json: dimensions\.Editor: unknown dimension/);
    expect(fail(ok({ GOOS: { linux: 0.6, darwin: 0.6 } }))).toMatch(/dimensions\.GOOS: shares add up to 1\.2000, more than 1/);
    expect(fail(ok({ GOOS: { linux: -0.1 } }))).toMatch(/a share must be >= 0/);
    expect(fail(ok({ GOOS: {} }))).toMatch(/no category/);
    expect(fail(ok({}))).toMatch(/no dimension/);
    expect(fail('{"source": "x", "date": "2024-13-01", "size": 1, "dimensions": {}}')).toMatch(/date: must be a date/);
    expect(fail('{"source": "x", "date": "2024-01-01", "size": 1.5, "dimensions": {}}')).toMatch(/size: must be a whole number/);
    expect(fail('{"source": ')).toMatch(/not valid JSON/);
  });
});

describe('skew levels and notable categories', () => {
  const ref = { linux: 0.45, darwin: 0.3, windows: 0.25 };
  const rounded = (cs: CategorySkew[]) => cs.map((c) => ({ ...c, sample: round(c.sample), ratio: c.ratio === null ? null : round(c.ratio) }));
  it('treats sample categories named like Object.prototype properties as any other name', () => {
    // Ordinary objects, as a reference arrives on a worker thread: toString is not a reference category, so it is "other".
    const sample = JSON.parse('{"linux":0.4,"__proto__":0.3,"toString":0.2,"constructor":0.1}') as Record<string, number>;
    const s = dimensionSkew('GOOS', sample, 100, JSON.parse('{"linux":0.5,"__proto__":0.25,"other":0.25}'));
    expect(rounded(s.categories)).toEqual([
      { category: '__proto__', sample: 0.3, reference: 0.25, ratio: 1.2 },
      { category: 'linux', sample: 0.4, reference: 0.5, ratio: 0.8 },
      { category: 'other', sample: 0.3, reference: 0.25, ratio: 1.2 },
    ]);
    // Without "other" in the reference, unknown categories are left out.
    const t = dimensionSkew('constructor', sample, 100, { linux: 1 });
    expect(t.categories).toEqual([{ category: 'linux', sample: 1, reference: 1, ratio: 1 }]);
    expect(t.level).toBe('none');
    expect(t.notable).toEqual([]);
  });

  it('is none when the sample matches', () => {
    const s = dimensionSkew('GOOS', { linux: 0.46, darwin: 0.29, windows: 0.25 }, 1000, ref);
    expect(s.level).toBe('none');
    expect(s.notable).toEqual([]);
    expect(s.tvd).toBeCloseTo(0.01, 6);
  });
  it('is moderate past 0.8-1.25 and names the group, unrounded', () => {
    const s = dimensionSkew('GOOS', { linux: 0.45, darwin: 0.36, windows: 0.19 }, 1000, ref);
    expect(s.level).toBe('moderate');
    expect(s.notable).toEqual([{ category: 'windows', sample: 0.19, reference: 0.25, ratio: 0.19 / 0.25 }]);
  });
  it('is strong past 0.5-2 or a distance of 0.15, naming the most over- and under-represented', () => {
    const s = dimensionSkew('GOOS', { linux: 0.45, darwin: 0.4, windows: 0.15 }, 1000, ref);
    expect(s.level).toBe('moderate'); // TVD 0.10, ratios 1.33 and 0.6 are within 0.5-2
    expect(s.notable.map((c) => c.category)).toEqual(['darwin', 'windows']);
    const t = dimensionSkew('GOOS', { linux: 0.3, darwin: 0.6, windows: 0.1 }, 1000, ref);
    expect(t.level).toBe('strong');
    expect(t.notable.map((c) => [c.category, round(c.sample), c.reference, round(c.ratio)])).toEqual([
      ['darwin', 0.6, 0.3, 2],
      ['windows', 0.1, 0.25, 0.4],
    ]);
    // Ratios of categories under 5% of the reference do not trigger notes.
    const u = dimensionSkew('GOOS', { linux: 0.45, darwin: 0.3, windows: 0.24, plan9: 0.01 }, 1000, { ...ref, windows: 0.24, plan9: 0.01 / 5 });
    expect(u.level).toBe('none');
  });
  it('names the most distorted category when only the distance is large', () => {
    // Every ratio within 0.8-1.25 but TVD .06: moderate; darwin (ratio 1.15, |log| .143) is further from 1 than linux (0.88, |log| .128).
    const s = dimensionSkew('GOOS', { linux: 0.44, darwin: 0.3, windows: 0.26 }, 1000, { linux: 0.5, darwin: 0.26, windows: 0.24 });
    expect(s.level).toBe('moderate');
    expect(s.notable.map((c) => c.category)).toEqual(['darwin']);
  });
});
