/**
 * Rebuilds on a kept cache: the site data's chart weeks are taken from the
 * last build where their inputs did not change, and a rebuild always writes
 * the bytes a cold build writes.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { ensureDemo, type DemoLocation } from '../../src/demo/index.ts';
import { dayRange, toDay } from '../../src/lib/dates.ts';
import { codeIdentity } from '../../src/pipeline/parts-cache.ts';
import { runPipeline } from '../../src/pipeline/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
let demo: DemoLocation;
const archive = join(dir, 'archive');
const held = join(dir, 'held');
const FROM = toDay('2026-10-26');
const LAST = toDay('2026-11-15');

beforeAll(async () => {
  demo = await ensureDemo(join(dir, 'demo-cache', 'demo'), 1);
  mkdirSync(archive);
  mkdirSync(held);
  for (const day of dayRange(FROM, LAST)) {
    const name = [day, `${day}.json`].find((n) => existsSync(join(demo.archiveDir, n)));
    if (name) cpSync(join(demo.archiveDir, name), join(day === LAST ? held : archive, name));
  }
}, 60_000);

async function build(cache: string, out: string, extra: string[] = [], chartConfig = demo.chartConfig) {
  const lines: string[] = [];
  const opts = parseOptions(
    [
      '--source',
      archive,
      '--chart-config',
      chartConfig,
      '--upload-config',
      demo.uploadConfig,
      '--from',
      FROM,
      '--to',
      LAST,
      '--as-of',
      toDay('2026-11-16'),
      '--cache',
      join(dir, cache),
      '--out',
      join(dir, out),
      ...extra,
    ],
    2,
  )!;
  const r = await runPipeline(opts, { log: (l) => lines.push(l), progress: 'never', today: () => toDay('2026-11-25') });
  const m = /\((\d+) of (\d+) chart weeks taken from the last build; (\d+) of \d+ weeks published from their estimates\)/.exec(
    lines.find((l) => l.startsWith('wrote site data'))!,
  )!;
  const unchanged = /(\d+) of \d+ weeks unchanged/.exec(lines.find((l) => l.includes('weeks unchanged'))!)!;
  return { r, reused: Number(m[1]), all: Number(m[2]), read: Number(m[3]), unchanged: Number(unchanged[1]) };
}

/** Every file of a site data folder, by path. */
function files(out: string): Map<string, string> {
  const root = join(dir, out);
  const paths = (readdirSync(root, { recursive: true }) as string[]).filter((f) => statSync(join(root, f)).isFile()).sort();
  return new Map(paths.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
}

function cacheFiles(cache: string, folder: string): string[] {
  const root = join(dir, cache, folder);
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
}

function partsFiles(cache: string): string[] {
  const root = join(dir, cache, 'site-parts');
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.parts')).sort();
}

describe('a rebuild on the kept cache', () => {
  it('takes unchanged chart weeks from the last build, makes the changed ones, and writes what a cold build writes', async () => {
    const cold = await build('cache', 'out-1');
    expect(cold.reused).toBe(0);
    expect(cold.read).toBe(3);
    expect(cold.all).toBeGreaterThan(0);
    const weeks = cold.r.weeks;
    expect(weeks).toBe(3);
    expect(partsFiles('cache')).toHaveLength(weeks);
    const perWeek = cold.all / weeks;

    // Nothing changed: every chart week is kept, no week's estimates are read, the same bytes are written.
    const same = await build('cache', 'out-2');
    expect(same.reused).toBe(same.all);
    expect(same.read).toBe(0);
    expect(files('out-2')).toEqual(files('out-1'));

    // One new day: its week is made again, from its estimates and the week before's, nothing else.
    renameSync(join(held, readdirSync(held)[0]!), join(archive, readdirSync(held)[0]!));
    const next = await build('cache', 'out-3');
    expect(next.all).toBe(cold.all);
    expect(next.reused).toBe(cold.all - perWeek);
    expect(next.read).toBe(2);
    expect(partsFiles('cache')).toHaveLength(weeks);
    // The new day's week has a new cache entry: the one it replaces is gone, so the cache does not grow day by day.
    expect(cacheFiles('cache', 'weeks')).toHaveLength(weeks);
    expect(cacheFiles('cache', 'partials')).toHaveLength(readdirSync(archive).length);
    const fresh = await build('fresh-cache', 'out-4');
    expect(fresh.reused).toBe(0);
    const rebuilt = files('out-3');
    expect(rebuilt).toEqual(files('out-4'));
    expect(rebuilt.get('estimates.csv')).not.toBe(files('out-1').get('estimates.csv'));
  }, 120_000);

  it('makes again what it cannot read back: a cut-short parts file, a damaged week cache', async () => {
    const before = files('out-4');
    const partsDir = join(dir, 'fresh-cache', 'site-parts');
    const first = join(partsDir, partsFiles('fresh-cache')[0]!);
    writeFileSync(first, readFileSync(first, 'utf8').slice(0, -10));
    const weeksDir = join(dir, 'fresh-cache', 'weeks');
    const weekFile = join(weeksDir, (readdirSync(weeksDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort()[1]!);
    writeFileSync(weekFile, '{"key":');
    const r = await build('fresh-cache', 'out-5');
    expect(r.unchanged).toBe(r.r.weeks - 1);
    // The first week's parts (cut short) and the second week's (its week made again: same key, so kept) ...
    expect(r.reused).toBe(r.all - r.all / r.r.weeks);
    expect(files('out-5')).toEqual(before);
    // ... and the cache is whole again.
    const again = await build('fresh-cache', 'out-6');
    expect(again.reused).toBe(again.all);
    expect(again.unchanged).toBe(again.r.weeks);
  }, 120_000);
});

describe('the code identity of kept parts', () => {
  it('changes with any source file or the lockfile, and is null without src/', () => {
    const root = join(dir, 'code');
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'lib', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    const id = codeIdentity(root);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(codeIdentity(root)).toBe(id);
    writeFileSync(join(root, 'src', 'lib', 'b.ts'), 'export const b = 3;\n');
    const id2 = codeIdentity(root);
    expect(id2).not.toBe(id);
    writeFileSync(join(root, 'package-lock.json'), '{"x":1}\n');
    expect(codeIdentity(root)).not.toBe(id2);
    rmSync(join(root, 'src'), { recursive: true });
    expect(codeIdentity(root)).toBeNull();
  });

  it('makes a week again when its head can be read and its estimates cannot', async () => {
    const before = files('out-4');
    // The last week's parts gone: it is made again, with the week before it, whose estimates are cut short.
    const partsDir = join(dir, 'fresh-cache', 'site-parts');
    rmSync(join(partsDir, partsFiles('fresh-cache').at(-1)!));
    const weeksDir = join(dir, 'fresh-cache', 'weeks');
    const weekFile = join(
      weeksDir,
      (readdirSync(weeksDir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.json'))
        .sort()
        .at(-2)!,
    );
    const whole = readFileSync(weekFile, 'utf8');
    writeFileSync(weekFile, whole.slice(0, whole.indexOf('\n') + 100));
    const r = await build('fresh-cache', 'out-7');
    expect(r.read).toBe(2);
    expect(r.reused).toBe(r.all - r.all / r.r.weeks);
    expect(files('out-7')).toEqual(before);
    expect(readFileSync(weekFile, 'utf8')).toBe(whole);
  }, 120_000);

  it('writes what a cold build writes after one new day, with suppress-complements and a reference population too', async () => {
    const extra = ['--suppress-complements', '--min-cell', '20', '--reference', demo.reference];
    const last = readdirSync(archive).sort().at(-1)!;
    renameSync(join(archive, last), join(held, last));
    const cold = await build('sc-cache', 'sc-1', extra);
    renameSync(join(held, last), join(archive, last));
    const next = await build('sc-cache', 'sc-2', extra);
    expect(next.read).toBe(2);
    expect(next.reused).toBe(cold.all - cold.all / cold.r.weeks);
    await build('sc-fresh', 'sc-3', extra);
    const rebuilt = files('sc-2');
    const fresh = files('sc-3');
    expect([...rebuilt.keys()].filter((k) => rebuilt.get(k) !== fresh.get(k))).toEqual([]);
    expect(rebuilt).toEqual(fresh);
    expect(JSON.parse(rebuilt.get('index.json')!).build.smallCells).toBe('suppress-complements');
    expect(rebuilt.get('config/reference.json')).toBeDefined();
  }, 120_000);

  it("publishes every week again when a chart's head changes, and takes the other charts' weeks as they were", async () => {
    const edited = join(dir, 'edited-config.txt');
    const text = readFileSync(demo.chartConfig, 'utf8');
    expect(text).toContain('title: Editor distribution\n');
    writeFileSync(edited, text.replace('title: Editor distribution\n', 'title: Editors\n'));
    const r = await build('fresh-cache', 'ed-1', [], edited);
    expect(r.read).toBe(r.r.weeks);
    expect(r.reused).toBe(r.all - r.r.weeks);
    await build('ed-fresh', 'ed-2', [], edited);
    expect(files('ed-1')).toEqual(files('ed-2'));
    expect(files('ed-1').get('index.json')).toContain('"title":"Editors"');
  }, 120_000);
});
