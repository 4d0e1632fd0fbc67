/**
 * The fast path's prediction of a map's next counter name (src/parse/intern.ts
 * predictAt), in a file of its own: the intern table is per module, and the
 * other parse tests fill it past its size.
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
});
