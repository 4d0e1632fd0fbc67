/**
 * The fast path's prediction of a map's next counter name (src/parse/intern.ts
 * predictAt) and its table of stack texts met before (src/parse/stack-names.ts),
 * in a file of their own: the tables are per module, and the other parse
 * tests fill the intern table past its size.
 */
import { describe, expect, it } from 'vitest';
import { parseFast } from '../../src/parse/fast.ts';
import { parseStrict } from '../../src/parse/strict.ts';

describe('predicted counter names', () => {
  it('takes the name that followed a name last time only where the line holds it plainly, and agrees with the strict path', () => {
    const line = (counters: string) =>
      `{"Week":"2024-01-07","LastWeek":"","X":0.5,"Programs":[{"Program":"p","Version":"v1.0.0","GoVersion":"go1.22.1","GOOS":"linux","GOARCH":"amd64","Counters":${counters},"Stacks":null}],"Config":""}`;
    // Names with a quote or a backslash follow "pred/a" once, so they are the names predicted after it.
    for (const [escaped, raw] of [
      ['pred/q\\"x', 'pred/q"x'],
      ['pred/b\\\\', 'pred/b\\'],
    ] as const) {
      const good = line(`{"pred/a":1,"${escaped}":2}`);
      expect(parseFast(good)!.programs[0]!.counterNames).toEqual(['pred/a', raw]);
      // The same characters unescaped are not that name: the strict path rejects the line, and the fast path leaves it to it.
      const bad = line(`{"pred/a":1,"${raw}":2}`);
      expect(parseStrict(bad).ok).toBe(false);
      expect(parseFast(bad), bad).toBeNull();
    }
    // A plain name is taken where predicted, and a longer one that starts with it is not.
    expect(parseFast(line('{"pred/a":1,"pred/c":2}'))!.programs[0]!.counterNames).toEqual(['pred/a', 'pred/c']);
    const longer = parseFast(line('{"pred/a":1,"pred/cc":2}'))!;
    expect(longer.programs[0]!.counterNames).toEqual(['pred/a', 'pred/cc']);
    expect(longer).toEqual((parseStrict(line('{"pred/a":1,"pred/cc":2}')) as { report: unknown }).report);
    // Out of order after a prediction, the map is sorted as the strict path sorts it.
    for (const counters of ['{"pred/c":2,"pred/a":1}', '{"pred/a":1,"pred/c":2,"pred/b":3}']) {
      const strict = parseStrict(line(counters));
      expect(parseFast(line(counters)), counters).toEqual(strict.ok ? strict.report : null);
    }
    // A name repeated where it was predicted is the strict path's to decide.
    expect(parseFast(line('{"pred/a":1,"pred/c":2}'))).not.toBeNull();
    expect(parseFast(line('{"pred/a":1,"pred/a":2}'))).toBeNull();
  });

  it('takes a stack text met before only where the line holds the same characters, escapes included', () => {
    const line = (stacks: string) =>
      `{"Week":"2024-01-07","LastWeek":"","X":0.5,"Programs":[{"Program":"p","Version":"v1.0.0","GoVersion":"go1.22.1","GOOS":"linux","GOARCH":"amd64","Counters":null,"Stacks":${stacks}}],"Config":""}`;
    const same = (stacks: string) => {
      const strict = parseStrict(line(stacks));
      const fast = parseFast(line(stacks));
      if (fast !== null) expect(strict, stacks).toEqual({ ok: true, report: fast });
      return fast;
    };
    const first = '"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x2"';
    // Read twice: the same text, decoded.
    for (let k = 0; k < 2; k++) expect(same(`{${first}:1}`)!.programs[0]!.stackNames).toEqual(['crash/crash\nmain.f:+0x1\nruntime.main:+0x2']);
    // Texts that share most characters with it are their own.
    const near = [
      '"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x3"',
      '"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x2x"',
      '"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x"',
      '"crash/crash\\tmain.f:+0x1\\nruntime.main:+0x2"',
    ];
    for (const t of near) {
      const r = same(`{${first}:1,${t}:2}`)!;
      expect(r.programs[0]!.stackNames).toEqual([JSON.parse(first), JSON.parse(t)].sort());
    }
    // Other characters for the same text: decoded, the same text (and, beside it, a repeated name for the strict path).
    const escaped = '"crash/crash\\u000amain.f:+0x1\\nruntime.main:+0x2"';
    expect(same(`{${escaped}:1}`)!.programs[0]!.stackNames).toEqual([JSON.parse(first)]);
    expect(parseFast(line(`{${first}:1,${escaped}:2}`))).toBeNull();
    // The same characters with a raw control character, or a bad escape, are still the strict path's to reject.
    for (const bad of ['"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x2\t"', '"crash/crash\\nmain.f:+0x1\\nruntime.main:+0x2\\q"']) {
      expect(parseStrict(line(`{${bad}:1}`)).ok).toBe(false);
      expect(parseFast(line(`{${bad}:1}`))).toBeNull();
    }
    // A long stack (sampled by the hash) that differs from a known one in the middle only.
    const frames = (mid: string) => `"gopls/bug\\n${Array.from({ length: 40 }, (_, i) => (i === 20 ? mid : `pkg.fn${i}:+0x${i}`)).join('\\n')}"`;
    const a = same(`{${frames('pkg.middle:+0x1')}:1}`)!.programs[0]!.stackNames[0]!;
    const b = same(`{${frames('pkg.middle:+0x2')}:1}`)!.programs[0]!.stackNames[0]!;
    expect(a).toContain('pkg.middle:+0x1');
    expect(b).toContain('pkg.middle:+0x2');
  });
});
