import { describe, expect, it } from 'vitest';
import { bucketOrderForChart, compareBuckets, detectBucketOrder, orderBuckets } from '../../src/lib/order.ts';

/** Deterministic shuffle so every case is checked from a scrambled start. */
function scramble<T>(xs: readonly T[]): T[] {
  return xs
    .map((x, i) => [(i * 7919) % 101, x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);
}

describe('orderBuckets', () => {
  const cases: [string, string[]][] = [
    ['latency histogram', ['<10ms', '<50ms', '<100ms', '<500ms', '<1s', '<5s', '>=5s']],
    ['mixed time units', ['<500ns', '<10us', '<20µs', '<30μs', '<1ms', '<2s', '<1m', '<90s'.replace('90s', '2m'), '<1h']],
    ['sizes', ['<1B', '<1KB', '<1500B', '<1MB', '<1GiB', '>=1GiB']],
    ['unitless bounds', ['<=100', '>100', '<=1000', '>1000']],
    ['comparisons on one bound', ['<5', '<=5', '5', '>=5', '>5']],
    ['ranges', ['0', '1-9', '10-99', '100-999', '>=1000']],
    ['program versions', ['v0.9.0', 'v0.13.0', 'v0.13.1-pre.1', 'v0.13.1-pre.2', 'v0.13.1', 'v0.15', 'v0.15.1', 'v1.0.0-rc.1', 'v1.0.0', 'devel']],
    ['go versions', ['go1.9', 'go1.10', 'go1.20.1', 'go1.21', 'go1.21rc1', 'go1.21rc2', 'go1.21.0', 'go1.21.1', 'go1.22.0', 'devel']],
    ['dotted numbers', ['1.9', '1.16', '1.20', '1.100', '2.0']],
    ['plain numbers', ['2', '10', '20', '100']],
  ];
  for (const [name, want] of cases) {
    it(`orders ${name}`, () => {
      expect(orderBuckets(scramble(want))).toEqual(want);
    });
  }

  it('keeps config order for names, else alphabetical; other last', () => {
    const config = ['vscode', 'vscodium', 'eglot', 'neovim', 'other'];
    expect(orderBuckets(['neovim', 'other', 'eglot', 'vscode'], 'auto', { configOrder: config })).toEqual(['vscode', 'eglot', 'neovim', 'other']);
    expect(orderBuckets(['neovim', 'other', 'Eglot', 'vscode'])).toEqual(['Eglot', 'neovim', 'vscode', 'other']);
    // Names missing from the config follow it alphabetically.
    expect(orderBuckets(['zed', 'neovim', 'helix'], 'config', { configOrder: config })).toEqual(['neovim', 'helix', 'zed']);
  });

  it('puts unparseable names after parsed ones, devel and other at the end', () => {
    expect(orderBuckets(['other', 'devel', 'weird', 'v0.2.0', 'v0.10.0'], 'version')).toEqual(['v0.2.0', 'v0.10.0', 'weird', 'devel', 'other']);
    expect(orderBuckets(['>=5s', 'unknown', '<1s', 'other'], 'histogram')).toEqual(['<1s', '>=5s', 'unknown', 'other']);
  });

  it('reads a unit only from its own table: a bucket like 5constructor is a name, not a bound', () => {
    expect(orderBuckets(['5constructor', '<10ms', '1toString', '<5ms', '2valueOf'], 'histogram')).toEqual([
      '<5ms',
      '<10ms',
      '1toString',
      '2valueOf',
      '5constructor',
    ]);
    expect(compareBuckets('<10ms', '5constructor')).toBeLessThan(0);
  });

  it('deduplicates and does not mutate its input', () => {
    const input = ['b', 'a', 'b'];
    expect(orderBuckets(input)).toEqual(['a', 'b']);
    expect(input).toEqual(['b', 'a', 'b']);
  });

  it('detects the kind from the whole set', () => {
    expect(detectBucketOrder(['go1.21', 'go1.22', 'devel'])).toBe('goversion');
    expect(detectBucketOrder(['v0.1.0', 'devel'])).toBe('version');
    expect(detectBucketOrder(['1.16', '1.20'])).toBe('number');
    expect(detectBucketOrder(['<1s', '>=1s'])).toBe('histogram');
    expect(detectBucketOrder(['linux', 'darwin'])).toBe('alphabetical');
    expect(detectBucketOrder(['linux', 'darwin'], { configOrder: ['linux'] })).toBe('config');
  });

  it('picks the kind for metadata charts', () => {
    expect(bucketOrderForChart('Version', 'partition', 'cmd/go')).toBe('goversion');
    expect(bucketOrderForChart('Version', 'partition', 'golang.org/x/tools/gopls')).toBe('version');
    expect(bucketOrderForChart('GoVersion', 'partition')).toBe('goversion');
    expect(bucketOrderForChart('gopls/latency', 'histogram')).toBe('histogram');
    expect(bucketOrderForChart('gopls/client', 'partition')).toBe('auto');
  });
});

describe('compareBuckets', () => {
  it('is a total order consistent with orderBuckets on one kind', () => {
    const xs = ['go1.10', 'go1.9', 'go1.21rc1', 'go1.21.0', 'go1.21'];
    expect([...xs].sort(compareBuckets)).toEqual(['go1.9', 'go1.10', 'go1.21', 'go1.21rc1', 'go1.21.0']);
    expect(compareBuckets('<10ms', '<1s')).toBeLessThan(0);
    expect(compareBuckets('<1KB', '<100B')).toBeGreaterThan(0);
    expect(compareBuckets('1.100', '1.20')).toBeGreaterThan(0);
    expect(compareBuckets('v0.13.1-pre.1', 'v0.13.1')).toBeLessThan(0);
    expect(compareBuckets('devel', 'v9.0.0')).toBeGreaterThan(0);
    expect(compareBuckets('other', 'zzz')).toBeGreaterThan(0);
    expect(compareBuckets('a', 'a')).toBe(0);
  });

  it('is antisymmetric and transitive over a mixed set', () => {
    const xs = ['go1.21', 'v0.1.0', '1.2', '<1s', '5', 'linux', 'devel', 'other', 'Linux', '>=1KB', 'go1.9rc1', 'v0.1'];
    for (const a of xs) {
      for (const b of xs) {
        expect(Math.sign(compareBuckets(a, b)) + Math.sign(compareBuckets(b, a))).toBe(0);
        for (const c of xs) {
          if (compareBuckets(a, b) < 0 && compareBuckets(b, c) < 0) expect(compareBuckets(a, c)).toBeLessThan(0);
        }
      }
    }
  });
});
