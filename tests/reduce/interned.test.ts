/**
 * Counter ids (src/parse/intern.ts): both parse paths hand the accumulator
 * the same ids, and counting by id gives the partial that counting by name
 * gives, on fuzzed lines of both encoders.
 */
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { toDay } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import { parseFast } from '../../src/parse/fast.ts';
import { intern, internedName, NO_ID } from '../../src/parse/intern.ts';
import type { Report } from '../../src/parse/report.ts';
import { parseStrict } from '../../src/parse/strict.ts';
import { DayAccumulator } from '../../src/reduce/accumulate.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';
import { goLine, otherLine, randomReport } from '../helpers/reports.ts';

const GOPLS = 'golang.org/x/tools/gopls';
const DAY = toDay('2024-01-07');
const upload = parseUploadConfig(
  JSON.stringify({
    GOOS: ['linux', 'darwin', 'windows'],
    GOARCH: ['amd64', 'arm64'],
    GoVersion: ['go1.22.0'],
    SampleRate: 1,
    Programs: [
      {
        Name: GOPLS,
        Counters: [
          { Name: 'gopls/client:{vscode,neovim,emacs,goland}', Rate: 0.5 },
          { Name: 'gopls/latency:{<10ms,<50ms}', Rate: 1 },
        ],
        Stacks: [{ Name: 'gopls/bug', Rate: 1, Depth: 16 }],
      },
      { Name: 'cmd/go', Counters: [{ Name: 'go/invocations', Rate: 1 }] },
    ],
  }),
  'upload.json',
);
const spec = buildReduceSpec(upload, parseChartConfig('', 'charts.txt'));
const compiled = compileSpec(spec);

/** The same report without counter ids: the accumulator then looks counters up by name. */
function byName(r: Report): Report {
  return { ...r, programs: r.programs.map(({ counterIds: _, ...p }) => p) };
}

function partial(reports: Report[]) {
  const acc = new DayAccumulator(compiled, DAY);
  for (const r of reports) acc.add(r, 1);
  // A removed re-upload goes through the same lookups.
  if (reports.length > 0) acc.add(reports[0]!, -1);
  return acc.toPartial(specHash(spec), 'x');
}

describe('counter ids', () => {
  it('are the interned names, the same from both parse paths, and count as the names do', () => {
    const rng = createRng('interned');
    const fast: Report[] = [];
    const strict: Report[] = [];
    let withIds = 0;
    let wrongIds = 0;
    for (let k = 0; k < 2000; k++) {
      const r = randomReport(rng, DAY);
      let line = k % 2 ? goLine(r) : otherLine(r, rng);
      // Now and then a key Go would escape, or one the fast path cannot take as it is.
      if (rng.next() < 0.1) line = line.replace('"gopls/client:', '"gopls\\/client:');
      const f = parseFast(line);
      const s = parseStrict(line);
      if (!s.ok || f === null) throw new Error(`both paths should take ${line}`);
      expect(f, line).toEqual(s.report);
      for (const p of s.report.programs) {
        if (p.counterIds?.length !== p.counterNames.length) wrongIds++;
        p.counterIds?.forEach((id, i) => {
          if (id === NO_ID || internedName(id) !== p.counterNames[i] || intern(p.counterNames[i]!) !== id) wrongIds++;
          withIds++;
        });
      }
      fast.push(f!);
      strict.push(s.report);
    }
    expect(wrongIds).toBe(0);
    expect(withIds).toBeGreaterThan(2500);
    const p = partial(fast);
    expect(p.reports).toBeGreaterThan(1000);
    expect(p.ledger.excluded).not.toEqual({});
    expect(partial(strict)).toEqual(p);
    expect(partial(fast.map(byName))).toEqual(p);
  });
});
