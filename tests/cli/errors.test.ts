/**
 * Bad invocations of the real command line: every usage, input and
 * environment error ends with exactly one `error:` line, exit 2 for usage and
 * 1 for inputs, and never a stack trace.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../src/cli/main.ts';
import { cli, errorLines, stackLines, smallArchive, type SmallArchive } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
const root = process.getuid?.() === 0;
let a: SmallArchive;
let sock: Server;
const p = (...parts: string[]) => join(dir, ...parts);
const DEMO = p('demo');
const ARCHIVE = p('demo', 'archive');

beforeAll(async () => {
  a = await smallArchive(DEMO);
  writeFileSync(p('plain.txt'), 'not a folder\n');
  mkdirSync(p('folder'));
  mkdirSync(p('foreign'));
  writeFileSync(p('foreign', 'notes.txt'), "someone else's file\n");
  // A Unix socket: a path that exists but cannot be read, even by root.
  sock = createServer();
  await new Promise<void>((r) => sock.listen(p('socket'), r));
  writeFileSync(p('reference.json'), '{ "source": "x", "date": "2024-01-01", "size": 10, "dimensions": { "Nope": { "a": 0.5 } } }\n');
  mkdirSync(p('empty-archive'));
  // A cache whose partials/ folder is a file: the worker threads that reduce the days cannot write there.
  mkdirSync(p('cache-broken'));
  writeFileSync(p('cache-broken', 'partials'), 'not a folder\n');
});
afterAll(async () => {
  await new Promise<void>((r) => sock.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** The small archive as source; a cache and an output of its own in the test folder (later options override). */
let runs = 0;
const src = () => {
  const n = ++runs;
  return ['--source', a.archive, '--chart-config', a.chartConfig, '--upload-config', a.uploadConfig, '--cache', p(`cache-${n}`), '--out', p(`out-${n}`)];
};

type Case = [name: string, args: () => string[], code: 1 | 2, message: string | RegExp];
const cases: Case[] = [
  // Usage: exit 2
  ['unknown option', () => ['--bogus'], 2, "unknown option '--bogus'"],
  ['option without its value', () => ['--chart-config'], 2, "--chart-config <value>' argument missing"],
  ['bad --from', () => ['--from', '2024-13-01'], 2, '--from must be a date written YYYY-MM-DD, got "2024-13-01"'],
  ['bad --to', () => ['--to', 'yesterday'], 2, '--to must be a date written YYYY-MM-DD'],
  ['impossible --as-of', () => ['--as-of', '2026-02-30'], 2, '--as-of must be a date written YYYY-MM-DD'],
  ['--from after --to', () => ['--from', '2026-11-10', '--to', '2026-11-01'], 2, '--from 2026-11-10 is after --to 2026-11-01'],
  ['--to after --as-of', () => ['--to', '2026-12-01', '--as-of', '2026-11-01'], 2, 'is after --as-of'],
  ['--jobs 0', () => ['--jobs', '0'], 2, '--jobs must be a whole number from 1 to 64, got "0"'],
  ['--concurrency not a number', () => ['--concurrency', 'many'], 2, '--concurrency must be a whole number'],
  ['negative --finality', () => ['--finality=-1'], 2, '--finality must be a whole number from 0 to 366'],
  ['--min-cell 0', () => ['--min-cell', '0'], 2, '--min-cell must be a whole number from 1'],
  ['fractional --seed', () => ['--seed', '1.5'], 2, '--seed must be a whole number'],
  ['--source scheme', () => ['--source', 'ftp://example.org/'], 2, '--source: unsupported source scheme'],
  ['--base without slashes', () => ['--base', 'telemetry'], 2, '--base must be a URL path'],
  ['empty --out', () => ['--out', ' '], 2, '--out needs a value'],
  // Inputs and environment: exit 1
  ['--source folder missing', () => [...src(), '--source', p('nowhere')], 1, `archive folder not found: ${p('nowhere')}`],
  ['--source is a file', () => [...src(), '--source', p('plain.txt')], 1, `archive folder ${p('plain.txt')} is a file, not a folder`],
  ['--source folder without day files', () => [...src(), '--source', p('empty-archive')], 1, 'has no day files'],
  [
    '--source needs configs',
    () => ['--source', a.archive, '--cache', p('cache-configs'), '--out', p('out-configs')],
    1,
    'needs --chart-config and --upload-config',
  ],
  ['--chart-config missing', () => [...src(), '--chart-config', p('missing.txt')], 1, `chart config not found: ${p('missing.txt')}`],
  ['--chart-config is a folder', () => [...src(), '--chart-config', p('folder')], 1, `chart config ${p('folder')} is a folder, not a file`],
  [
    '--chart-config unreadable (a socket)',
    () => [...src(), '--chart-config', p('socket')],
    1,
    `chart config ${p('socket')} cannot be read: no such device or address (ENXIO)`,
  ],
  ['--chart-config under a file', () => [...src(), '--chart-config', p('plain.txt', 'config.txt')], 1, 'a part of the path is a file, not a folder'],
  ['--upload-config missing', () => [...src(), '--upload-config', p('missing.json')], 1, `upload config not found: ${p('missing.json')}`],
  ['--upload-config is a folder', () => [...src(), '--upload-config', p('folder')], 1, 'is a folder, not a file'],
  ['--reference missing', () => [...src(), '--reference', p('missing-ref.json')], 1, `reference population not found: ${p('missing-ref.json')}`],
  ['--reference unreadable (a socket)', () => [...src(), '--reference', p('socket')], 1, '(ENXIO)'],
  ['--reference with an unknown dimension', () => [...src(), '--reference', p('reference.json')], 1, 'dimensions.Nope: unknown dimension'],
  ['--cache is a file', () => [...src(), '--cache', p('plain.txt')], 1, `--cache ${p('plain.txt')} is a file, not a folder`],
  [
    '--cache under a file',
    () => [...src(), '--cache', p('plain.txt', 'cache')],
    1,
    `cannot create the folder ${p('plain.txt', 'cache')}: not a directory (ENOTDIR)`,
  ],
  [
    'a cache folder is a file (found in a worker thread)',
    () => [...src(), '--cache', p('cache-broken')],
    1,
    /^error: cannot \w+ \S+\/cache-broken\/partials\/\S+: not a directory \(ENOTDIR\)$/m,
  ],
  ['--out is a file', () => [...src(), '--out', p('plain.txt')], 1, `--out ${p('plain.txt')} is a file, not a folder`],
  ['--out under a file', () => [...src(), '--out', p('plain.txt', 'out')], 1, 'a part of the path is a file, not a folder'],
  ['--out is the archive folder', () => [...src(), '--out', ARCHIVE], 1, `--out ${ARCHIVE} is the archive folder (--source)`],
  ['--out inside the archive folder', () => [...src(), '--out', join(ARCHIVE, 'site')], 1, 'is inside the archive folder (--source)'],
  ['--out contains the archive folder', () => [...src(), '--out', DEMO], 1, `--out ${DEMO} contains the archive folder (--source)`],
  ['--out is the cache', () => [...src(), '--cache', p('cache'), '--out', p('cache')], 1, `--out ${p('cache')} is the cache (--cache)`],
  ['--out is the project folder', () => [...src(), '--out', '.'], 1, 'is the project folder'],
  ['--out is /', () => [...src(), '--out', '/'], 1, '--out / is the root folder'],
  ['--out is a foreign folder', () => [...src(), '--out', p('foreign')], 1, `--out ${p('foreign')} is a folder this build did not create`],
  ['--out name too long', () => [...src(), '--out', p('x'.repeat(300))], 1, /^error: cannot read \S+x{300}: name too long \(ENAMETOOLONG\)$/m],
  [
    '--out not writable',
    // Root writes through file modes; /sys refuses new folders to everyone.
    () => [...src(), '--out', root ? '/sys/telemetry-site-data' : p('locked', 'out')],
    1,
    root ? 'cannot create the folder /sys/.telemetry-site-data.lock: operation not permitted (EPERM)' : `permission denied (EACCES)`,
  ],
  [
    'offline without a cached copy',
    () => [...src(), '--source', 'http://127.0.0.1:9/data/', '--offline', '--from', '2026-11-09', '--to', '2026-11-15', '--as-of', '2026-11-16'],
    1,
    '7 of 7 days could not be fetched from http://127.0.0.1:9/data/: 2026-11-09..2026-11-15 (offline and not cached)',
  ],
];

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe('bad invocations', () => {
  it(`${cases.length} cases: one error line each, exit 2 for usage and 1 for inputs, no stack trace`, async () => {
    if (!root) {
      mkdirSync(p('locked'));
      chmodSync(p('locked'), 0o555);
    }
    const results = await pool(cases, 2, ([, args]) => cli(args()));
    const report: string[] = [];
    cases.forEach(([name, , code, message], i) => {
      const r = results[i]!;
      report.push(`${name}: exit ${r.code}: ${errorLines(r)[0] ?? '(no error line)'}`);
      expect(stackLines(r), `${name}\n${r.err}`).toEqual([]);
      expect(r.code, `${name}\n${r.err}`).toBe(code);
      expect(errorLines(r), `${name}\n${r.err}`).toHaveLength(1);
      if (typeof message === 'string') expect(errorLines(r)[0], name).toContain(message);
      else expect(r.err, name).toMatch(message);
      // Usage errors add the --help hint, nothing else.
      expect(r.err.trim().split('\n').length, `${name}\n${r.err}`).toBeLessThanOrEqual(code === 2 ? 2 : 12);
    });
    console.log(report.join('\n'));
    expect(cases.length).toBeGreaterThanOrEqual(20);
  }, 300_000);

  // Root reads any file whatever its mode, so this case runs only as another user; the socket cases above cover an unreadable path for everyone.
  it.skipIf(root)('a config without read permission (needs a user other than root)', async () => {
    const f = p('no-read.txt');
    writeFileSync(f, readFileSync(a.chartConfig));
    chmodSync(f, 0o000);
    const r = await cli([...src(), '--chart-config', f]);
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([`error: chart config ${f} cannot be read: permission denied (EACCES)`]);
    expect(stackLines(r)).toEqual([]);
  });

  it('a 100-character non-ASCII program name: built, or one error line, never a stack trace', async () => {
    const name = 'ü'.repeat(100);
    const program = 'golang.org/x/tools/gopls';
    const chart = p('long-config.txt');
    const upload = p('long-config.json');
    writeFileSync(chart, readFileSync(a.chartConfig, 'utf8').replaceAll(`program: ${program}`, `program: ${name}`));
    writeFileSync(upload, readFileSync(a.uploadConfig, 'utf8').replaceAll(JSON.stringify(program), JSON.stringify(name)));
    const r = await cli([...src(), '--chart-config', chart, '--upload-config', upload, '--out', p('long-out')]);
    console.log(`100-character program name: exit ${r.code}${errorLines(r)[0] ? `: ${errorLines(r)[0]}` : ''}`);
    expect(stackLines(r), r.err).toEqual([]);
    if (r.code === 0) expect(errorLines(r)).toEqual([]);
    else {
      expect(r.code, r.err).toBe(1);
      expect(errorLines(r), r.err).toHaveLength(1);
      expect(errorLines(r)[0]).toMatch(/^error: cannot \w.* \/\S+: name too long \(ENAMETOOLONG\)$/);
      // The message names the file in --out, and nothing was left behind.
      expect(errorLines(r)[0]).toContain(` ${p('long-out')}/`);
      expect(readdirSync(dir).filter((e) => e.includes('long-out'))).toEqual([]);
    }
  }, 120_000);
});

describe('environment errors in one line', () => {
  it('names the action, the path and the reason of a file system error', async () => {
    const long = p('y'.repeat(300));
    const e = await writeFile(long, 'x').then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure(e)).toBe(`cannot open ${long}: name too long (ENAMETOOLONG)`);
    const e2 = await writeFile(p('plain.txt', 'x'), 'x').then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure(e2)).toBe(`cannot open ${p('plain.txt', 'x')}: not a directory (ENOTDIR)`);
    // A bug is not an environment error: it keeps its stack trace.
    expect(failure(new TypeError('x is undefined'))).toBeNull();
  });
});
