import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { syncDays, type Source, type SyncOptions, type SyncResult } from '../../src/fetch/source.ts';
import { startServer, type TestServer } from './server.ts';

export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'fetch-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** syncDays with test-sized timings and captured log lines. */
export async function sync(opts: Partial<SyncOptions> & Pick<SyncOptions, 'source' | 'days' | 'cacheDir' | 'asOf'>): Promise<SyncResult & { log: string[] }> {
  const log: string[] = [];
  const r = await syncDays({
    timeoutMs: 300,
    backoffBaseMs: 5,
    progress: 'never',
    log: (line) => log.push(line),
    ...opts,
  });
  return { ...r, log };
}

export function byDay<T extends { day: string }>(files: T[]): Map<string, T> {
  return new Map(files.map((f) => [f.day, f]));
}

export interface ServerContext {
  server: TestServer;
  source: Source;
  cacheDir: string;
}

/**
 * Registers the hooks every HTTP test file needs: one real server on
 * 127.0.0.1 per file, and per test a fresh cache folder and a server with no
 * files, faults or counts. `bind` receives the context whenever it changes;
 * `reset` adjusts the server before each test.
 */
export function useTestServer(bind: (ctx: ServerContext) => void, reset: (server: TestServer) => void = () => {}): void {
  const ctx = {} as ServerContext;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ctx.server = await startServer();
    ctx.source = { kind: 'http', baseUrl: ctx.server.baseUrl };
    bind(ctx);
  });
  afterAll(() => ctx.server.close());
  beforeEach(async () => {
    ({ dir: ctx.cacheDir, cleanup } = await tempDir());
    ctx.server.files.clear();
    ctx.server.faults.clear();
    ctx.server.always = null;
    ctx.server.resetCounts();
    reset(ctx.server);
    bind(ctx);
  });
  afterEach(() => cleanup());
}
