/**
 * A build that could not get its data fails and leaves the previous output as
 * it was; one run at a time per cache and output. Real child processes of the
 * command line against real HTTP servers on 127.0.0.1.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/cli/output.ts';
import type { IndexFile } from '../../src/sitedata/schema.ts';
import { startServer, type Fault, type TestServer } from '../fetch/server.ts';
import { cli, errorLines, smallArchive, snapshot, stackLines, type SmallArchive } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-source-'));
const p = (...parts: string[]) => join(dir, ...parts);
let a: SmallArchive;
let server: TestServer;
const WEEK = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15'];
const RANGE = ['--from', WEEK[0]!, '--to', WEEK[6]!, '--as-of', '2026-11-16'];
const configs = () => ['--chart-config', a.chartConfig, '--upload-config', a.uploadConfig];
const http = (cache: string, out: string, ...more: string[]) => [
  '--source',
  server.baseUrl,
  ...configs(),
  ...RANGE,
  '--concurrency',
  '7',
  '--cache',
  cache,
  '--out',
  out,
  ...more,
];
const index = (out: string) => JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as IndexFile;
/** Sibling folders a build stages or moves aside, and locks. */
const leftovers = (parent: string) => readdirSync(parent).filter((e) => /\.(new|old)-|\.lock/.test(e));

function serveArchive(s: TestServer) {
  s.files.clear();
  s.faults.clear();
  for (const day of a.days) s.files.set(day, { body: readFileSync(join(a.archive, day)) });
}
const alwaysFail = (days: string[], fault: Fault = 'status503-retry-after-0') => {
  for (const d of days) server.faults.set(d, Array<Fault>(50).fill(fault));
};

beforeAll(async () => {
  a = await smallArchive(p('demo'));
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a failed source fails the build', () => {
  it('every download fails (always 503): exit 1, the days and the reason listed, the previous output unchanged byte for byte', async () => {
    serveArchive(server);
    const out = p('out-503');
    const good = await cli(http(p('cache-good'), out));
    expect(good.code, good.err).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before)).toContain(OUTPUT_MARKER);
    expect(
      index(out)
        .weeks.map((w) => w.reports)
        .reduce((x, y) => x + y, 0),
    ).toBeGreaterThan(0);

    alwaysFail(WEEK);
    server.resetCounts();
    const t0 = performance.now();
    const bad = await cli(http(p('cache-fresh'), out));
    const seconds = (performance.now() - t0) / 1000;
    console.log(`always 503: exit ${bad.code} after ${seconds.toFixed(1)} s and ${server.count()} requests: ${errorLines(bad)[0]}`);
    expect(bad.code, bad.err).toBe(1);
    expect(errorLines(bad)).toEqual([
      `error: 7 of 7 days could not be fetched from ${server.baseUrl}: 2026-11-09..2026-11-15 (HTTP 503 Service Unavailable (after 5 attempts)); nothing was written (--allow-missing publishes without them)`,
    ]);
    expect(stackLines(bad)).toEqual([]);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it('some days fail: exit 1 naming them; --allow-missing publishes with them missing and the week provisional; zero reports is always exit 1', async () => {
    serveArchive(server);
    const failing = ['2026-11-10', '2026-11-11', '2026-11-14'];
    alwaysFail(failing, 'status500');
    const out = p('out-partial');
    const bad = await cli(http(p('cache-partial'), out));
    expect(bad.code, bad.err).toBe(1);
    expect(errorLines(bad)[0]).toContain('3 of 7 days could not be fetched');
    expect(errorLines(bad)[0]).toContain('2026-11-10..2026-11-11, 2026-11-14 (HTTP 500 Internal Server Error (after 5 attempts))');
    expect(existsSync(out)).toBe(false);

    // The same, published anyway: the days are missing and the week is not final even once its finality has passed.
    alwaysFail(failing, 'status500');
    const allowed = await cli(http(p('cache-partial'), out, '--allow-missing', '--as-of', '2026-12-31'));
    expect(allowed.code, allowed.err).toBe(0);
    const week = index(out).weeks.find((w) => w.week === '2026-11-15')!;
    expect(week.missing).toEqual(failing);
    expect(week.provisional).toBe(true);
    expect(week.reports).toBeGreaterThan(0);

    // No reports at all: exit 1 even with --allow-missing, and the output stays.
    const before = snapshot(out);
    mkdirSync(p('no-days'));
    for (const extra of [[], ['--allow-missing']]) {
      const none = await cli(['--source', p('no-days'), ...configs(), ...RANGE, '--cache', p('cache-none'), '--out', out, ...extra]);
      expect(none.code, none.err).toBe(1);
      expect(errorLines(none)).toEqual([`error: no reports in 2026-11-09..2026-11-15 from ${p('no-days')}; nothing was written`]);
    }
    expect(snapshot(out)).toEqual(before);
  }, 120_000);
});

describe('one run at a time', () => {
  /** The archive over HTTP, each response held until `open()` is called. */
  let gated: Server;
  let base = '';
  let open: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    gated = createServer((req, res) => {
      const name = decodeURIComponent(new URL(req.url!, 'http://x').pathname.replace(/^\/data\//, ''));
      void gate.then(() => {
        if (!a.days.includes(name)) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end(readFileSync(join(a.archive, name)));
      });
    });
    await new Promise<void>((r) => gated.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(gated.address() as AddressInfo).port}/data/`;
  });
  afterAll(() => new Promise<void>((r) => gated.close(() => r())));

  it('a second run on the same cache or output exits 1 naming the holder; the first one finishes with the output of a single clean run', async () => {
    const args = (cache: string, out: string) => ['--source', base, ...configs(), ...RANGE, '--cache', cache, '--out', out];
    gate = new Promise((r) => (open = r));
    let started: () => void = () => {};
    const holding = new Promise<void>((r) => (started = r));
    // The first run holds its locks from before "source:" until it ends; its downloads wait at the gate.
    const first = cli(args(p('shared-cache'), p('shared-out')), { onStderr: (t) => t.includes('source:') && started() });
    await holding;
    const sameBoth = await cli(args(p('shared-cache'), p('shared-out')));
    const sameCache = await cli(args(p('shared-cache'), p('other-out')));
    const sameOut = await cli(args(p('other-cache'), p('shared-out')));
    open();
    const winner = await first;
    expect(winner.code, winner.err).toBe(0);
    const holder = new RegExp(
      `is in use by another run: pid ${winner.pid} \\(.*scripts/telemetry\\.ts --source ${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\), started \\d{4}-\\d\\d-\\d\\dT`,
    );
    for (const [name, r, what] of [
      ['same cache and output', sameBoth, `the cache ${p('shared-cache')}`],
      ['same cache', sameCache, `the cache ${p('shared-cache')}`],
      ['same output', sameOut, `the output folder ${p('shared-out')}`],
    ] as const) {
      console.log(`${name}: exit ${r.code}: ${errorLines(r)[0]}`);
      expect(r.code, `${name}\n${r.err}`).toBe(1);
      expect(errorLines(r), name).toHaveLength(1);
      expect(errorLines(r)[0], name).toContain(`error: ${what} is in use by another run: pid ${winner.pid}`);
      expect(errorLines(r)[0], name).toMatch(holder);
      expect(stackLines(r)).toEqual([]);
    }
    expect(existsSync(p('other-out'))).toBe(false);

    const clean = await cli(args(p('clean-cache'), p('clean-out')));
    expect(clean.code, clean.err).toBe(0);
    expect(snapshot(p('shared-out'))).toEqual(snapshot(p('clean-out')));
    expect(leftovers(dir)).toEqual([]);
    expect(readdirSync(p('shared-cache')).filter((e) => e.startsWith('.lock'))).toEqual([]);
  }, 120_000);
});
