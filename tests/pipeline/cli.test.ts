/**
 * The command line as users and CI scripts call it (a real child process),
 * and the pipeline reading an HTTP source served by a real server on
 * 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { ensureDemo, type DemoLocation } from '../../src/demo/index.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { toDay } from '../../src/lib/dates.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const quiet = { log: () => {}, progress: 'never' as const, today: () => toDay('2026-11-25') };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/telemetry.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let demo: DemoLocation;
beforeAll(async () => {
  demo = await ensureDemo(join(dir, 'cache', 'demo'), 1);
}, 60_000);

describe('command line', () => {
  it('exits 2 with one clear message on bad usage', () => {
    for (const [args, msg] of [
      [['--bogus'], "unknown option '--bogus'"],
      [['--from', '2024-13-01'], '--from must be a date written YYYY-MM-DD, got "2024-13-01"'],
      [['--jobs', 'many'], '--jobs must be a whole number'],
      [['--to', toDay('2026-12-01'), '--as-of', toDay('2026-11-01')], 'is after --as-of'],
      [['--source', 'ftp://example.org/'], '--source: unsupported source scheme'],
      [['--base', 'telemetry'], '--base must be a URL path'],
    ] as const) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(msg);
      expect(r.err.trim().split('\n')).toHaveLength(2); // the message and the --help hint
    }
  });

  it('prints every option with --help', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const o of [
      '--source',
      '--from',
      '--to',
      '--as-of',
      '--chart-config',
      '--upload-config',
      '--cache',
      '--offline',
      '--allow-missing',
      '--reference',
      '--out',
    ])
      expect(r.out).toContain(o);
  });

  it('stops with exit 1 and says what is missing and where', () => {
    let r = cli('--source', join(dir, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('needs --chart-config and --upload-config');
    r = cli('--source', join(dir, 'nowhere'), '--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`archive folder not found: ${join(dir, 'nowhere')}`);
    r = cli('--cache', join(dir, 'cache'), '--chart-config', join(dir, 'missing.txt'), '--offline');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`chart config not found: ${join(dir, 'missing.txt')}`);
    // A malformed config names the file, the line and the reason.
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, readFileSync(demo.chartConfig, 'utf8').replace(/^type: partition$/m, 'type: pie'));
    r = cli('--cache', join(dir, 'cache'), '--chart-config', bad, '--offline');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: unknown chart type "pie"`));
    expect(existsSync(join(dir, 'cache', 'site-data'))).toBe(false);
  });
});

/** The demo archive as a folder source, with its configs. */
const folderSource = () => ['--source', demo.archiveDir, '--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig];

describe('folder source', () => {
  it('a cold run, which hashes day files as the workers read them, leaves the hash of each file in the site data and the hash memo; a rerun reduces none', async () => {
    const cache = join(dir, 'hash-cache');
    const args = (out: string) =>
      parseOptions(
        [
          ...folderSource(),
          '--from',
          toDay('2026-10-26'),
          '--to',
          toDay('2026-11-15'),
          '--as-of',
          toDay('2026-11-16'),
          '--cache',
          cache,
          '--out',
          join(dir, out),
        ],
        2,
      )!;
    const lines: string[] = [];
    const first = await runPipeline(args('hash-out-1'), { ...quiet, log: (l) => lines.push(l) });
    expect(first.reduced).toBe(21);
    const quality = JSON.parse(readFileSync(join(dir, 'hash-out-1', 'quality.json'), 'utf8')) as { days: { day: string; sha256: string | null }[] };
    expect(quality.days).toHaveLength(21);
    for (const d of quality.days) {
      const file = [d.day, `${d.day}.json`].map((n) => join(demo.archiveDir, n)).find((p) => existsSync(p))!;
      expect(d.sha256, d.day).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    }
    expect(readdirSync(join(cache, 'dir-sha256')).filter((f) => f.endsWith('.json'))).toHaveLength(21);

    const again = await runPipeline(args('hash-out-2'), quiet);
    expect(again.reduced).toBe(0);
    expect(readFileSync(join(dir, 'hash-out-2', 'quality.json'), 'utf8')).toBe(readFileSync(join(dir, 'hash-out-1', 'quality.json'), 'utf8'));
  }, 60_000);
});

describe('HTTP source', () => {
  let server: Server;
  let base = '';
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!);
      const url = new URL(req.url!, 'http://x');
      let path: string | null = null;
      if (url.pathname.startsWith('/data/')) path = join(demo.archiveDir, url.pathname.slice('/data/'.length));
      if (url.pathname === '/config.txt') path = demo.chartConfig;
      if (url.pathname === '/config.json') path = demo.uploadConfig;
      if (!path || !/^[\w./-]+$/.test(url.pathname) || !existsSync(path)) {
        res.writeHead(404).end('not found');
        return;
      }
      // Gitiles (go.googlesource.com, where --source go reads Go's configs) serves raw files base64-encoded with ?format=TEXT.
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.get('format') === 'TEXT' ? body.toString('base64') : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('builds the same estimates from HTTP as from the folder, then again offline from the cache alone', async () => {
    const range = ['--from', toDay('2026-09-28'), '--to', toDay('2026-11-15'), '--as-of', toDay('2026-11-16')];
    const http = ['--source', `${base}/data/`, '--chart-config', `${base}/config.txt?format=TEXT`, '--upload-config', `${base}/config.json`];
    const viaHttp = join(dir, 'http-out');
    const r1 = await runPipeline(parseOptions([...http, ...range, '--cache', join(dir, 'http-cache'), '--out', viaHttp], 2)!, quiet);
    expect(r1.days.present).toBe(49);
    expect(requests.filter((u) => u.startsWith('/data/')).length).toBeGreaterThanOrEqual(49);

    const viaDir = join(dir, 'dir-out');
    await runPipeline(parseOptions([...folderSource(), ...range, '--cache', join(dir, 'dir-cache'), '--out', viaDir], 2)!, quiet);
    for (const f of ['estimates.csv', 'stacks.csv']) expect(readFileSync(join(viaHttp, f), 'utf8')).toBe(readFileSync(join(viaDir, f), 'utf8'));

    // Offline: no request at all, same output.
    requests.length = 0;
    const offline = join(dir, 'offline-out');
    await runPipeline(parseOptions([...http, ...range, '--cache', join(dir, 'http-cache'), '--out', offline, '--offline'], 2)!, quiet);
    expect(requests).toEqual([]);
    expect(readFileSync(join(offline, 'estimates.csv'), 'utf8')).toBe(readFileSync(join(viaHttp, 'estimates.csv'), 'utf8'));

    // Online again: days final when fetched are not asked for; the recent ones are revalidated.
    requests.length = 0;
    await runPipeline(parseOptions([...http, ...range, '--cache', join(dir, 'http-cache'), '--out', join(dir, 'again-out')], 2)!, quiet);
    const dayRequests = requests.filter((u) => u.startsWith('/data/')).map((u) => u.slice('/data/'.length).replace(/\.json$/, ''));
    expect(dayRequests.length).toBeGreaterThan(0);
    for (const d of dayRequests) expect(d >= toDay('2026-11-06'), d).toBe(true);
  }, 60_000);
});
