import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/random.ts';
import { parseFast } from '../../src/parse/fast.ts';
import { parseStrict } from '../../src/parse/strict.ts';
import { REJECT } from '../../src/parse/rejects.ts';
import { goLine, otherLine, randomReport } from '../helpers/reports.ts';

function mutate(line: string, rng: ReturnType<typeof createRng>): string {
  const at = rng.int(line.length);
  const pieces = ['"', '\\', '}', ']', ',', ':', '-', '0', '1.5', 'e', ' ', 'null', '\\n', '\\u003c', '\\x', '\u0001', 'é', '{', '[', '9999999999999999'];
  switch (rng.int(6)) {
    case 0:
      return line.slice(0, at) + line.slice(at + 1); // delete a character
    case 1:
      return line.slice(0, at) + pieces[rng.int(pieces.length)] + line.slice(at); // insert
    case 2:
      return line.slice(0, at) + pieces[rng.int(pieces.length)] + line.slice(at + 1); // replace
    case 3:
      return line.slice(0, at); // truncate
    case 4: {
      // swap two counter entries (breaks key order)
      return line.replace(/("gopls\/client:[a-z]+":\d+),("gopls\/client:[a-z]+":\d+)/, '$2,$1');
    }
    default:
      return line.replace(/"(Week|X|GOOS|Counters)":/, ' "$1" : '); // whitespace or reordered spacing
  }
}

describe('parse paths', () => {
  it('the fast path accepts every line Go would write, with the strict result', () => {
    const rng = createRng('fast-accepts');
    for (let k = 0; k < 3000; k++) {
      const line = goLine(randomReport(rng, '2024-01-07'));
      const fast = parseFast(line);
      const strict = parseStrict(line);
      expect(strict.ok).toBe(true);
      expect(fast).not.toBeNull();
      if (strict.ok) expect(fast).toEqual(strict.report);
    }
  });

  it('the two paths agree on mutated lines: what the fast path accepts, the strict path accepts identically', () => {
    const rng = createRng('mutations');
    let fastAccepted = 0;
    let declined = 0;
    let strictRejected = 0;
    for (let k = 0; k < 20000; k++) {
      let line = goLine(randomReport(rng, '2024-01-07'));
      for (let m = 1 + rng.int(2); m > 0; m--) line = mutate(line, rng);
      const fast = parseFast(line);
      const strict = parseStrict(line);
      if (fast) {
        fastAccepted++;
        expect(strict.ok, line).toBe(true);
        if (strict.ok) expect(fast, line).toEqual(strict.report);
      } else {
        declined++;
        if (!strict.ok) strictRejected++;
      }
    }
    // Both outcomes must be exercised for the test to mean anything.
    expect(fastAccepted).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(5000);
    expect(strictRejected).toBeGreaterThan(3000);
  });

  it('the fast path accepts every line another encoder would write (any field and key order, spaces), with the strict result', () => {
    const rng = createRng('other-accepts');
    let unsorted = 0;
    for (let k = 0; k < 3000; k++) {
      const line = otherLine(randomReport(rng, '2024-01-07'), rng);
      const fast = parseFast(line);
      const strict = parseStrict(line);
      expect(strict.ok, line).toBe(true);
      expect(fast, line).not.toBeNull();
      if (strict.ok) expect(fast, line).toEqual(strict.report);
      if (fast?.programs.some((p) => p.counterNames.length > 1)) unsorted++;
    }
    expect(unsorted).toBeGreaterThan(1000);
  });

  it('the two paths agree on mutated lines of another encoder, and on repeated, unknown and missing fields', () => {
    const rng = createRng('other-mutations');
    let fastAccepted = 0;
    let declined = 0;
    let strictRejected = 0;
    const edits: ((l: string) => string)[] = [
      (l) => l.replace(/"(Week|X|Programs|Config|LastWeek)"\s*:\s*("[^"]*"|[-0-9.e]+|null)/, (m) => `${m}, ${m}`), // a field twice
      (l) => l.replace(/"(Program|GOOS|Version|Counters)"\s*:/, '"Extra": 1, $&'), // an unknown field
      (l) => l.replace(/"(Week|X|Programs|GOARCH|GoVersion)"\s*:/, '"$1x":'), // a required field renamed
      (l) => l.replace(/("gopls\/client:[a-z]+")\s*:\s*(\d+)/, '$1: $2, $1: 7'), // a map key twice
      (l) => l.replace(/ /g, '\t'), // tabs for spaces
      (l) => l.replace(/"(Week|GOOS)"/, '"\\u0057eek"'), // an escaped field name
    ];
    for (let k = 0; k < 12000; k++) {
      let line = otherLine(randomReport(rng, '2024-01-07'), rng);
      for (let m = 1 + rng.int(2); m > 0; m--) line = rng.next() < 0.25 ? edits[rng.int(edits.length)]!(line) : mutate(line, rng);
      const fast = parseFast(line);
      const strict = parseStrict(line);
      if (fast) {
        fastAccepted++;
        expect(strict.ok, line).toBe(true);
        if (strict.ok) expect(fast, line).toEqual(strict.report);
      } else {
        declined++;
        if (!strict.ok) strictRejected++;
      }
    }
    expect(fastAccepted).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(5000);
    expect(strictRejected).toBeGreaterThan(3000);
  });

  it('orders many distinct counter names like the strict path, past the table of known names too', () => {
    const rng = createRng('many-names');
    const names = Array.from({ length: 6000 }, (_, k) => `c/${(k * 7919) % 6000}:${k % 3 ? 'a' : 'b'}${k}`);
    for (let at = 0; at < names.length; at += 500) {
      const chunk = names.slice(at, at + 500).sort(() => rng.next() - 0.5);
      const counters = chunk.map((n, k) => `${JSON.stringify(n)}: ${k + 1}`).join(', ');
      const line = `{"Week":"2024-01-07","X":0.5,"Programs":[{"Program":"p","Version":"v","GoVersion":"g","GOOS":"o","GOARCH":"a","Counters":{${counters}}}]}`;
      const strict = parseStrict(line);
      expect(strict.ok).toBe(true);
      expect(parseFast(line)).toEqual(strict.ok && strict.report);
      // A repeated name, known or not, is the strict path's to decide.
      expect(parseFast(line.replace('}}]}', `, ${JSON.stringify(chunk[3])}: 9}}]}`))).toBeNull();
    }
  });

  it('a raw control character anywhere in a line, known counter names included, is the strict path to reject', () => {
    const rng = createRng('control');
    let tried = 0;
    for (let k = 0; k < 6; k++) {
      const report = randomReport(rng, '2024-01-07');
      for (const line of [goLine(report), otherLine(report, rng)]) {
        // Parsed once first, so its counter names are in the table of known names.
        expect(parseFast(line)).not.toBeNull();
        for (let at = 0; at <= line.length; at++) {
          const bad = line.slice(0, at) + String.fromCharCode(rng.int(32)) + line.slice(at);
          const strict = parseStrict(bad);
          if (strict.ok) continue; // a tab, CR or LF between tokens
          tried++;
          expect(parseFast(bad), JSON.stringify(bad)).toBeNull();
        }
      }
    }
    expect(tried).toBeGreaterThan(3000);
  });

  it('decodes escapes in stack names and rejects what Go could never have written', () => {
    const line = goLine({
      Week: '2024-01-07',
      LastWeek: '',
      X: 1e-7,
      Programs: [
        {
          Program: 'p',
          Version: 'v1.0.0',
          GoVersion: 'go1.22.1',
          GOOS: 'linux',
          GOARCH: 'amd64',
          Counters: {},
          Stacks: { 'gopls/bug\n<autogenerated>:1\n"q"': 2 },
        },
      ],
      Config: '',
    });
    expect(line).toContain('\\u003cautogenerated\\u003e');
    const r = parseFast(line)!;
    expect(r.x).toBe(1e-7);
    expect(r.programs[0]!.stackNames).toEqual(['gopls/bug\n<autogenerated>:1\n"q"']);

    expect(
      parseStrict('{"Week":"2024-01-07","X":0.5,"Programs":[{"Program":"p","Version":"v","GoVersion":"g","GOOS":"o","GOARCH":"a","Counters":{"c":-1}}]}'),
    ).toEqual({
      ok: false,
      reason: 'Programs[].Counters{}: must not be negative',
    });
    expect(parseStrict('{"Week":"2024-01-07","X":"0.5","Programs":[]}')).toEqual({ ok: false, reason: 'X: expected number, received string' });
    expect(
      parseStrict('{"Week":"2024-01-07","X":0.5,"Programs":[{"Program":"p","Version":"v","GoVersion":"g","GOOS":"o","GOARCH":"a","Counters":{"c":1e20}}]}').ok,
    ).toBe(false);
    expect(parseStrict('\ufeff{}')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(parseStrict('[]')).toEqual({ ok: false, reason: 'not a JSON object' });
    // Large but exact counts go through the strict path and are accepted.
    const big =
      '{"Week":"2024-01-07","LastWeek":"","X":0.5,"Programs":[{"Program":"p","Version":"v","GoVersion":"g","GOOS":"o","GOARCH":"a","Counters":{"c":1234567890123456},"Stacks":null}],"Config":""}';
    expect(parseFast(big)).toBeNull();
    expect(parseStrict(big).ok).toBe(true);
  });

  it('keeps counter and stack names such as __proto__ on both paths, checked like any other', () => {
    const line = (counters: string, stacks = 'null') =>
      `{"Week":"2024-01-07","LastWeek":"","X":0.5,"Programs":[{"Program":"p","Version":"v1.0.0","GoVersion":"go1.22.1","GOOS":"__proto__","GOARCH":"constructor","Counters":${counters},"Stacks":${stacks}}],"Config":""}`;
    const go = line('{"__proto__":3,"constructor":2,"toString":1,"valueOf":4}', '{"__proto__":2,"hasOwnProperty\\nf:1":1}');
    const fast = parseFast(go)!;
    expect(fast.programs[0]!.counterNames).toEqual(['__proto__', 'constructor', 'toString', 'valueOf']);
    expect(fast.programs[0]!.counterValues).toEqual([3, 2, 1, 4]);
    expect(fast.programs[0]!.stackNames).toEqual(['__proto__', 'hasOwnProperty\nf:1']);
    expect(fast.programs[0]!.goos).toBe('__proto__');
    // The strict path (called directly; the fast path takes spaces too) gives the same report.
    expect(parseStrict('{ ' + go.slice(1))).toEqual({ ok: true, report: fast });
    expect(parseFast('{ ' + go.slice(1))).toEqual(fast);
    // A __proto__ key is checked like any other, not skipped.
    expect(parseStrict(line('{"__proto__":-1}'))).toEqual({ ok: false, reason: 'Programs[].Counters{}: must not be negative' });
    expect(parseStrict(line('{"a":1}', '{"__proto__":1.5}'))).toEqual({ ok: false, reason: 'Programs[].Stacks{}: must be an integer' });
    expect(parseStrict(line('[]'))).toEqual({ ok: false, reason: 'Programs[].Counters: expected record, received array' });
    expect(parseStrict(line('"x"'))).toEqual({ ok: false, reason: 'Programs[].Counters: expected record, received string' });
  });

  it('rejects counts beyond 2^53 - 1 as out of range, and keeps 2^53 - 1', () => {
    const line = (v: string, where: 'Counters' | 'Stacks' = 'Counters') =>
      `{"Week":"2024-01-07","LastWeek":"","X":0.5,"Programs":[{"Program":"p","Version":"v1.0.0","GoVersion":"go1.22.1","GOOS":"linux","GOARCH":"amd64","${where}":{"c":${v}},"${where === 'Counters' ? 'Stacks' : 'Counters'}":null}],"Config":""}`;
    for (const v of ['9223372036854775808', '18446744073709551615', '9007199254740992', '9007199254740993', '1e20']) {
      expect(parseFast(line(v)), v).toBeNull();
      expect(parseStrict(line(v)), v).toEqual({ ok: false, reason: REJECT.counterRange });
    }
    expect(parseStrict(line('9223372036854775808', 'Stacks'))).toEqual({ ok: false, reason: REJECT.counterRange });
    const max = parseStrict(line('9007199254740991'));
    expect(max.ok && max.report.programs[0]!.counterValues).toEqual([Number.MAX_SAFE_INTEGER]);
    // Negative and fractional counts keep their reasons.
    expect(parseStrict(line('-9223372036854775808'))).toEqual({ ok: false, reason: 'Programs[].Counters{}: must not be negative' });
    expect(parseStrict(line('2.5'))).toEqual({ ok: false, reason: 'Programs[].Counters{}: must be an integer' });
  });
});
