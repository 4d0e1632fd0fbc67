import { describe, expect, it } from 'vitest';
import { stableJson, stableJsonWith } from '../../src/sitedata/json.ts';
import { type ChartWeekParts, formatWeekParts, parseWeekParts, type WeekDigest } from '../../src/sitedata/parts.ts';

const parts = new Map<string, ChartWeekParts>([
  ['a'.repeat(32), { json: '{"n":1,"name":"é – ✓ 𝄞"}', estimates: '2026-11-01,cmd/go,x\n', stacks: '', breakdowns: 'b\n', raw: '' }],
  ['b'.repeat(32), { json: '{}', estimates: '', stacks: 's,"quoted\nline"\n', breakdowns: '', raw: '{"share":0.30000000000000004}' }],
]);

const digest = {
  programs: [
    ['cmd/go "\n', { week: '2026-11-01', provisional: false, reports: 3, skew: [], adjustment: null, compositionShifts: [{ dimension: 'GOOS', tvd: 0.1 }] }],
  ],
  changes: [],
  comparisons: [],
} as unknown as WeekDigest;

describe('a week of chart parts as a file', () => {
  it('reads back what it wrote, texts of any characters and the digest included', () => {
    const text = formatWeekParts('k1', parts, digest);
    expect(parseWeekParts(text, 'k1')).toEqual({ parts, digest });
    expect(parseWeekParts(formatWeekParts('k1', new Map(), null), 'k1')).toEqual({ parts: new Map(), digest: null });
  });

  it('is not used when it has another key, is cut short, has bytes added or is not such a file', () => {
    const text = formatWeekParts('k1', parts, digest);
    expect(parseWeekParts(text, 'k2')).toBeNull();
    expect(parseWeekParts(text.slice(0, -1), 'k1')).toBeNull();
    expect(parseWeekParts(`${text}x`, 'k1')).toBeNull();
    expect(parseWeekParts(text.slice(0, text.indexOf('\n')), 'k1')).toBeNull();
    for (const bad of [
      '',
      '\n',
      'null\n',
      '{"format":2,"key":"k1","digest":null,"parts":[["a",-1,0,0,0,0]]}\n',
      '{"format":2,"key":"k1","digest":null,"parts":[["a",1.5,0,0,0,0]]}\nx',
      '{"format":2,"key":"k1","digest":null,"parts":[["a",0,0,0,0]]}\n',
      '{"format":2,"key":"k1","digest":{"programs":[["p"]],"changes":[],"comparisons":[]},"parts":[]}\n',
      '{"format":2,"key":"k1","digest":{"programs":[]},"parts":[]}\n',
      '{"format":2,"key":"k1","parts":[]}\n',
      '{"format":1,"key":"k1","parts":[]}\n',
      '{"format":3,"key":"k1","digest":null,"parts":[]}\n',
      '{not json\n',
    ])
      expect(parseWeekParts(bad, 'k1'), bad).toBeNull();
  });
});

describe('stableJsonWith', () => {
  it('writes what stableJson writes of the value with the part in place', () => {
    const weeks = [{ z: 1.23456789, a: [3, { y: null, b: 'x' }] }, { n: 0.1 + 0.2 }];
    const values: object[] = [
      { program: 'cmd/go', chart: 'go/mode', buckets: ['b', 'a'], rate: 0.5, minCell: 10 },
      { zz: 1, aa: undefined, f: () => 1, weeksX: 2, '': 'empty key', 'weeks ': 3 },
      { '10': 'index-like key', x: 1 },
      {},
    ];
    for (const v of values) expect(stableJsonWith(v, 'weeks', stableJson(weeks))).toBe(stableJson({ ...v, weeks }));
    // A value that has the key already has it replaced.
    expect(stableJsonWith({ weeks: 'old', a: 1 }, 'weeks', '[]')).toBe('{"a":1,"weeks":[]}');
  });
});
