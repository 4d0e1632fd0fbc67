/** A week task with its effects swapped for files in memory: what it reads, what it writes, what it reuses. */
import { describe, expect, it } from 'vitest';
import { toDay, type Day } from '../../src/lib/dates.ts';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { REJECT } from '../../src/parse/rejects.ts';
import { createHash } from 'node:crypto';
import {
  formatWeekCache,
  partialPath,
  processDay,
  processWeek,
  readWeekCache,
  readWeekHead,
  type WeekEffects,
  type WeekTask,
} from '../../src/pipeline/week-task.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DayPartial } from '../../src/reduce/partial.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';

const upload = parseUploadConfig(
  JSON.stringify({
    GOOS: ['linux'],
    GOARCH: ['amd64'],
    GoVersion: ['go1.22.0'],
    SampleRate: 1,
    Programs: [{ Name: 'cmd/go', Versions: [], Counters: [{ Name: 'go/invocations', Rate: 1 }] }],
  }),
  'upload.json',
);
const spec = buildReduceSpec(upload, parseChartConfig('title: Invocations\ncounter: go/invocations\ntype: partition\nprogram: cmd/go\n', 'charts.txt'));
const compiled = compileSpec(spec);
const specId = specHash(spec);

const goLine = (day: string, x: number, n: number) =>
  `{"Week":"${day}","LastWeek":"","X":${x},"Programs":[{"Program":"cmd/go","Version":"go1.22.0","GoVersion":"go1.22.0","GOOS":"linux","GOARCH":"amd64","Counters":{"go/invocations":${n}},"Stacks":null}],"Config":"v0.0.1"}`;

/** Effects over maps: day files to read, cache files read and written; every call is logged. */
function memoryEffects(days: Map<string, string>) {
  const cache = new Map<string, string>();
  const log: string[] = [];
  const fx: WeekEffects = {
    statDay(path) {
      const text = days.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, stat '${path}'`), { code: 'ENOENT' });
      return { size: Buffer.byteLength(text), mtimeMs: 0 };
    },
    openDay(path) {
      log.push(`open ${path}`);
      const text = days.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      const bytes = Buffer.from(text);
      return {
        read: (into, offset, length, position) => bytes.copy(into, offset, position, Math.min(bytes.length, position + length)),
        close: () => log.push(`close ${path}`),
      };
    },
    readCache(path) {
      return cache.get(path) ?? null;
    },
    writeCache(path, text) {
      log.push(`write ${path}`);
      cache.set(path, text);
    },
  };
  return { fx, cache, log };
}

const D1 = toDay('2024-01-01');
const D2 = toDay('2024-01-02');
const task = (days: Day[]): WeekTask => ({
  week: toDay('2024-01-07'),
  key: 'k',
  days: days.map((day) => ({ day, path: `/archive/${day}`, sha256: `${day}-sha`.padEnd(64, '0') })),
  partialDir: '/partials',
  cachePath: '/weeks/2024-01-07.json',
});

describe('processWeek', () => {
  const files = new Map([
    // A re-upload with different content replaces the first line (the reducer re-reads it through the effects).
    [`/archive/${D1}`, [goLine(D1, 0.1, 2), goLine(D1, 0.2, 5), goLine(D1, 0.1, 4), ''].join('\n') + '\n'],
    [`/archive/${D2}`, [goLine(D2, 0.3, 1), '{'].join('\n')],
  ]);

  it('reduces each day through the effects, writes its partial and the week entry', () => {
    const { fx, cache, log } = memoryEffects(files);
    const t = task([D1, D2]);
    const out = processWeek(t, compiled, specId, null, fx);
    const p1 = partialPath('/partials', D1, t.days[0]!.sha256);
    const p2 = partialPath('/partials', D2, t.days[1]!.sha256);
    expect(log).toEqual([
      `open /archive/${D1}`,
      `close /archive/${D1}`,
      `write ${p1}`,
      `open /archive/${D2}`,
      `close /archive/${D2}`,
      `write ${p2}`,
      'write /weeks/2024-01-07.json',
    ]);
    const d1 = JSON.parse(cache.get(p1)!) as DayPartial;
    expect(d1.ledger).toMatchObject({ lines: 4, accepted: 2, duplicatesDiffering: 1, rejected: { [REJECT.emptyLine]: 1 } });
    expect(d1.programs['cmd/go']!.charts['go/invocations']!.buckets['go/invocations']).toMatchObject({ reports: 2, sum: 9, max: 5 });
    expect(out.entry.head.reports).toBe(3);
    expect(out.entry.head.ledgers[D2]!.rejected).toEqual({ [REJECT.notJson]: 1 });
    expect(out.reduced.map((r) => [r.day, r.stats])).toEqual([
      [D1, { fastLines: 3, strictLines: 0 }], // the empty line needs no parser
      [D2, { fastLines: 1, strictLines: 1 }],
    ]);
    expect(cache.get(t.cachePath)).toBe(formatWeekCache(out.entry));
  });

  it('reuses cached partials without opening the day files', () => {
    const { fx, log } = memoryEffects(files);
    const t = task([D1, D2]);
    const first = processWeek(t, compiled, specId, null, fx);
    log.length = 0;
    const again = processWeek(t, compiled, specId, null, fx);
    expect(log).toEqual(['write /weeks/2024-01-07.json']);
    expect(again.reduced).toEqual([]);
    expect(again.entry).toEqual(first.entry);
  });

  it('does not cache a week with a day that cannot be read, and says which', () => {
    const { fx, log } = memoryEffects(files);
    const out = processWeek(task([D1, toDay('2024-01-03')]), compiled, specId, null, fx);
    expect(out.unreadable).toEqual([{ day: toDay('2024-01-03'), error: "ENOENT: no such file, open '/archive/2024-01-03'" }]);
    expect(log).not.toContain('write /weeks/2024-01-07.json');
    expect(out.entry.head.reports).toBe(2);
  });
});

describe('a week cache file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'week-cache-'));
  const { fx } = memoryEffects(
    new Map([
      [`/archive/${D1}`, `${goLine(D1, 0.1, 2)}\n`],
      [`/archive/${D2}`, `${goLine(D2, 0.3, 1)}\n`],
    ]),
  );
  const entry = processWeek(task([D1, D2]), compiled, specId, null, fx).entry;

  it('gives back its head alone, or the whole entry, for its key only', async () => {
    const path = join(dir, 'week.json');
    writeFileSync(path, formatWeekCache(entry));
    expect(await readWeekHead(path, entry.head.key)).toEqual(entry.head);
    expect(await readWeekCache(path, entry.head.key)).toEqual(entry);
    expect(entry.head.seen.length).toBeGreaterThan(0);
    expect(await readWeekHead(path, 'another key')).toBeNull();
    expect(await readWeekCache(path, 'another key')).toBeNull();
    expect(await readWeekHead(join(dir, 'none.json'), entry.head.key)).toBeNull();
  });

  it('reads a head longer than one read', async () => {
    const path = join(dir, 'long.json');
    const long = { ...entry, head: { ...entry.head, fallbacks: [['cmd/go', 'x'.repeat(200_000)]] as [string, string][] } };
    writeFileSync(path, formatWeekCache(long));
    expect(await readWeekHead(path, entry.head.key)).toEqual(long.head);
  });

  it('is not used cut short, without its estimates or not JSON', async () => {
    const text = formatWeekCache(entry);
    for (const [name, bad] of [
      ['short', text.slice(0, -2)],
      ['head-only', text.slice(0, text.indexOf('\n'))],
      ['not-json', '{"key":'],
    ] as const) {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, bad);
      expect(await readWeekCache(path, entry.head.key), name).toBeNull();
    }
    expect(await readWeekHead(join(dir, 'head-only.json'), entry.head.key)).toBeNull();
    expect(await readWeekHead(join(dir, 'not-json.json'), entry.head.key)).toBeNull();
  });
});

describe('processDay', () => {
  const text = [goLine(D1, 0.1, 2), goLine(D1, 0.2, 5)].join('\n') + '\n';
  const files = new Map([[`/archive/${D1}`, text]]);
  const sha = createHash('sha256').update(text).digest('hex');

  it('hashes a day file without a hash from the bytes it reduces, in the same read, and caches the same partial under that hash', () => {
    const { fx, cache, log } = memoryEffects(files);
    const out = processDay({ day: D1, path: `/archive/${D1}`, sha256: null, partialDir: '/partials' }, compiled, specId, fx);
    expect(out.hashed).toEqual({ sha256: sha, size: Buffer.byteLength(text), mtimeMs: 0 });
    expect(out.reduced).toMatchObject({ day: D1, bytes: Buffer.byteLength(text) });
    const p = partialPath('/partials', D1, sha);
    expect(log).toEqual([`open /archive/${D1}`, `close /archive/${D1}`, `write ${p}`]);
    // The same partial as from a task that knew the hash.
    const known = memoryEffects(files);
    processDay({ day: D1, path: `/archive/${D1}`, sha256: sha, partialDir: '/partials' }, compiled, specId, known.fx);
    expect(cache.get(p)).toBe(known.cache.get(p));
  });

  it('says a file that keeps changing while it is read is unreadable, and writes nothing', () => {
    const { fx, log } = memoryEffects(files);
    let t = 0;
    const changing: WeekEffects = { ...fx, statDay: (path) => ({ ...fx.statDay(path), mtimeMs: t++ }) };
    const out = processDay({ day: D1, path: `/archive/${D1}`, sha256: null, partialDir: '/partials' }, compiled, specId, changing);
    expect(out).toEqual({ day: D1, reduced: null, hashed: null, unreadable: { day: D1, error: `/archive/${D1} kept changing while it was read` } });
    expect(log.filter((l) => l.startsWith('write'))).toEqual([]);
  });

  it('says a file it cannot open is unreadable', () => {
    const { fx } = memoryEffects(files);
    const out = processDay({ day: D2, path: `/archive/${D2}`, sha256: null, partialDir: '/partials' }, compiled, specId, fx);
    expect(out.unreadable).toEqual({ day: D2, error: `ENOENT: no such file, stat '/archive/${D2}'` });
  });
});
