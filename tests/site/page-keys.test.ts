/**
 * The page keys of a rebuild (src/site/page-keys.ts): a change to the site
 * data changes the key of exactly the pages made from it. A permalink reads
 * its own week, and a single-bucket or stack chart's permalink every week up
 * to its own too; a week page reads every chart's entry of its week. The run's
 * dates are not on these pages and change no key.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const GOLDEN = resolve('tests/golden/output/small');
const tmp = mkdtempSync(join(tmpdir(), 'page-keys-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A copy of the golden site data with `edit` applied to the JSON file `file`. */
function variant(file: string, edit: (d: Record<string, unknown> & { weeks: Record<string, unknown>[] }) => void): string {
  const dir = join(tmp, `v${++n}`);
  cpSync(GOLDEN, dir, { recursive: true });
  const d = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  edit(d);
  writeFileSync(join(dir, file), JSON.stringify(d));
  return dir;
}

/** The keys of every chart-week page and every week page of the site data in `dir`, by route. */
async function keysOf(dir: string, threads = 1): Promise<Map<string, string>> {
  vi.resetModules();
  process.env.TELEMETRY_SITE_DATA = dir;
  const { chartWeekPageKeys, weekPageKeys } = await import('../../src/site/page-keys.ts');
  const parts = Array.from({ length: threads }, (_, i) => chartWeekPageKeys('sources', i, threads)).flat();
  return new Map([...parts, ...weekPageKeys('sources')]);
}

function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  expect([...b.keys()]).toEqual([...a.keys()]);
  return [...a].filter(([route, key]) => b.get(route) !== key).map(([route]) => route);
}

const [W1, W2] = ['2026-11-08', '2026-11-15'];
const bump = (i: number) => (d: { weeks: Record<string, unknown>[] }) => {
  d.weeks[i]!.n = (d.weeks[i]!.n as number) + 1;
};

describe('page keys', () => {
  it('are the same however the work is split, and differ from page to page', async () => {
    const one = await keysOf(GOLDEN);
    expect(one.size).toBeGreaterThan(40);
    expect(await keysOf(GOLDEN, 3)).toEqual(one);
    expect(new Set(one.values()).size).toBe(one.size);
  });

  it('change only for the pages made from what changed', async () => {
    const base = await keysOf(GOLDEN);
    // A chart of many buckets: its own week's permalink, and that week's page.
    expect(changed(base, await keysOf(variant('charts/cmd-go/go-subcommand.json', bump(0))))).toEqual(['cmd-go/go-subcommand/' + W1, `weeks/${W1}`]);
    expect(changed(base, await keysOf(variant('charts/cmd-go/go-subcommand.json', bump(1))))).toEqual(['cmd-go/go-subcommand/' + W2, `weeks/${W2}`]);
    // A single bucket's permalink draws every week up to its own; a stack table the history up to its week.
    // The key takes those weeks whole, more than the table reads (here only whether n > 0): a change to
    // an earlier week draws a later permalink again when it need not, never the other way round.
    expect(changed(base, await keysOf(variant('charts/cmd-go/go-invocations.json', bump(0))))).toEqual([
      `cmd-go/go-invocations/${W1}`,
      `cmd-go/go-invocations/${W2}`,
      `weeks/${W1}`,
    ]);
    expect(changed(base, await keysOf(variant('charts/cmd-go/go-invocations.json', bump(1))))).toEqual([`cmd-go/go-invocations/${W2}`, `weeks/${W2}`]);
    expect(changed(base, await keysOf(variant('charts/cmd-compile/compile-bug.json', bump(0))))).toEqual([
      `cmd-compile/compile-bug/${W1}`,
      `cmd-compile/compile-bug/${W2}`,
      `weeks/${W1}`,
    ]);
    // The chart's description is on each of its permalinks.
    const described = await keysOf(
      variant('charts/cmd-go/go-subcommand.json', (d) => {
        d.description = `${String(d.description ?? '')} (changed)`;
      }),
    );
    expect(changed(base, described)).toEqual([`cmd-go/go-subcommand/${W1}`, `cmd-go/go-subcommand/${W2}`]);
    // The run's dates are not shown on these pages; the other build facts are.
    const dates = await keysOf(
      variant('index.json', (d) => {
        (d.build as Record<string, unknown>).asOf = '2026-11-17';
      }),
    );
    expect(changed(base, dates)).toEqual([]);
    const facts = await keysOf(
      variant('index.json', (d) => {
        (d.build as Record<string, unknown>).minCell = ((d.build as Record<string, unknown>).minCell as number) + 1;
      }),
    );
    expect(changed(base, facts)).toEqual([...base.keys()]);
  });
});
