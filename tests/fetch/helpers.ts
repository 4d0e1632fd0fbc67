import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncDays, type SyncOptions, type SyncResult } from '../../src/fetch/source.ts';

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
