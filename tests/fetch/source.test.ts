import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, formatDayRanges } from '../../src/fetch/progress.ts';
import { isFinal, parseSource, syncDays } from '../../src/fetch/source.ts';
import { type Day, dayRange, toDay } from '../../src/lib/dates.ts';
import { sync, tempDir } from './helpers.ts';

describe('parseSource', () => {
  it.each([
    ['go', { kind: 'http', baseUrl: 'https://telemetry.go.dev/data/' }],
    ['https://mirror.example/telemetry', { kind: 'http', baseUrl: 'https://mirror.example/telemetry/' }],
    ['http://127.0.0.1:8080/data/', { kind: 'http', baseUrl: 'http://127.0.0.1:8080/data/' }],
    ['HTTP://Mirror.Example', { kind: 'http', baseUrl: 'http://mirror.example/' }],
    ['./archive', { kind: 'dir', dir: './archive' }],
    ['/srv/telemetry', { kind: 'dir', dir: '/srv/telemetry' }],
    ['file:///srv/telemetry', { kind: 'dir', dir: '/srv/telemetry' }],
  ])('%s', (spec, expected) => {
    expect(parseSource(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['ftp://mirror.example/data/', /unsupported source scheme ftp/],
    ['https://mirror.example/data?x=1', /query/],
    ['https://user:pw@mirror.example/', /credentials/],
    ['http://[bad', /not a valid URL/],
  ])('rejects %j', (spec, message) => {
    const r = parseSource(spec);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });
});

describe('finality and wording', () => {
  it('a day is final once finalityDays have passed', () => {
    expect(isFinal(toDay('2024-03-01'), toDay('2024-03-11'), 10)).toBe(true);
    expect(isFinal(toDay('2024-03-01'), toDay('2024-03-10'), 10)).toBe(false);
    expect(isFinal(toDay('2024-03-01'), toDay('2024-03-01'), 0)).toBe(true);
  });

  it('compresses day lists into ranges', () => {
    expect(
      formatDayRanges([
        toDay('2024-01-03'),
        toDay('2024-01-01'),
        toDay('2024-01-02'),
        toDay('2024-01-09'),
        toDay('2024-02-28'),
        toDay('2024-02-29'),
        toDay('2024-03-01'),
      ]),
    ).toBe('2024-01-01..2024-01-03, 2024-01-09, 2024-02-28..2024-03-01');
    expect(formatDayRanges([])).toBe('');
  });

  it('formats byte counts', () => {
    expect([0, 999, 1500, 2_500_000, 3e9].map(formatBytes)).toEqual(['0 B', '999 B', '1.5 kB', '2.5 MB', '3.0 GB']);
  });
});

describe('progress', () => {
  it('without a terminal: a line about every 10% and a summary line', async () => {
    const { dir, cleanup } = await tempDir();
    const r = await sync({
      source: { kind: 'dir', dir },
      days: dayRange(toDay('2024-01-01'), toDay('2024-01-20')),
      cacheDir: dir,
      asOf: toDay('2024-02-01'),
      progress: 'auto',
    });
    await cleanup();
    expect(r.log.filter((l) => /^fetch: \d+% \(\d+\/20 days/.test(l)).map((l) => l.split(' ')[1])).toEqual([
      '10%',
      '20%',
      '30%',
      '40%',
      '50%',
      '60%',
      '70%',
      '80%',
      '90%',
    ]);
    expect(r.log.at(-1)).toBe('fetch: 20 days: 0 fetched, 0 revalidated, 0 from cache, 20 from folder, 20 absent, 0 missing, 0 B');
  });

  it('on a terminal: draws a bar on that stream, and lines logged meanwhile still appear', () => {
    let out = '';
    const tty = Object.assign(
      new Writable({
        write(chunk, _enc, cb) {
          out += String(chunk);
          cb();
        },
      }),
      { isTTY: true, columns: 100 },
    );
    const p = createProgress({ total: 4, mode: 'auto', stream: tty });
    p.tick(10);
    p.log('fetch: something to say');
    p.tick(2000);
    p.finish('fetch: done');
    expect(out).toContain('fetch ');
    expect(out).toMatch(/[12]\/4 days/);
    expect(out).toContain('fetch: something to say\n');
    expect(out.endsWith('fetch: done\n')).toBe(true);

    let plain = '';
    const never = createProgress({
      total: 4,
      mode: 'never',
      stream: Object.assign(tty, {
        write: (s: string) => {
          plain += s;
          return true;
        },
      }),
    });
    never.finish('fetch: done');
    expect(plain).toBe('fetch: done\n');
  });
});

describe('options', () => {
  it('throws for unusable options, before any work', async () => {
    const base = {
      source: { kind: 'http', baseUrl: 'http://127.0.0.1:9/' } as const,
      days: [toDay('2024-01-01')],
      cacheDir: '/nonexistent-unused',
      asOf: toDay('2024-01-02'),
    };
    await expect(syncDays({ ...base, days: ['2024-02-30' as Day] })).rejects.toThrow(/not calendar days/);
    await expect(syncDays({ ...base, asOf: 'today' as Day })).rejects.toThrow(/asOf/);
    await expect(syncDays({ ...base, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(syncDays({ ...base, maxAttempts: 1.5 })).rejects.toThrow(/maxAttempts/);
    await expect(syncDays({ ...base, source: { kind: 'http', baseUrl: 'ftp://x/' } })).rejects.toThrow(/baseUrl/);
    await expect(syncDays({ ...base, source: { kind: 'http', baseUrl: 'http://x/data' } })).rejects.toThrow(/baseUrl/);
  });
});
