/**
 * Test helper: runs one simulated week (src/demo generateWeekSample) through
 * the real reduce and estimate code, writing it as archive day files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WeekSample } from '../../src/demo/index.ts';
import { estimateWeek, type ProgramWeek } from '../../src/estimate/weekly.ts';
import { toDay } from '../../src/lib/dates.ts';
import { aggregateOf, totals, type DayPartial } from '../../src/reduce/partial.ts';
import { reduceDayFile } from '../../src/reduce/reduce-day.ts';
import { compileSpec, specHash, type ReduceSpec } from '../../src/reduce/spec.ts';
import type { Reference } from '../../src/skew/reference.ts';

export function estimateSample(sample: WeekSample, spec: ReduceSpec, dir: string, tag: string, reference: Reference | null = null): ProgramWeek {
  const compiled = compileSpec(spec);
  const id = specHash(spec);
  const byDay = new Map<string, string[]>();
  sample.reports.forEach((rep, i) => (byDay.get(rep.Week) ?? byDay.set(rep.Week, []).get(rep.Week)!).push(sample.lines[i]!));
  const parts: DayPartial[] = [];
  for (const [day, lines] of byDay) {
    const path = join(dir, day);
    writeFileSync(path, lines.join('\n') + '\n');
    parts.push(reduceDayFile({ path, day: toDay(day), sha256: `${tag}-${day}`, compiled, specId: id }));
  }
  return estimateWeek(totals(aggregateOf(parts)), spec, reference).programs.find((p) => p.program === sample.program)!;
}
