import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byDay, sha256, sync, tempDir } from './helpers.ts';
import { toDay } from '../../src/lib/dates.ts';

let root: string;
let cleanup: () => Promise<void>;
let archive: string;
let cacheDir: string;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  archive = join(root, 'archive');
  cacheDir = join(root, 'cache');
  await mkdir(archive);
});
afterEach(() => cleanup());

describe('folder source', () => {
  it('finds <day> and <day>.json, records absent days, and uses files in place', async () => {
    await writeFile(join(archive, toDay('2024-03-01')), 'a\n');
    await writeFile(join(archive, '2024-03-02.json'), 'bb\n');
    const r = await sync({
      source: { kind: 'dir', dir: archive },
      days: [toDay('2024-03-03'), toDay('2024-03-02'), toDay('2024-03-01')],
      cacheDir,
      asOf: toDay('2024-03-12'),
    });
    const f = byDay(r.files);
    expect(r.files.map((x) => x.day)).toEqual([toDay('2024-03-01'), toDay('2024-03-02'), toDay('2024-03-03')]);
    expect(f.get(toDay('2024-03-01'))).toEqual({
      day: toDay('2024-03-01'),
      status: 'present',
      path: join(archive, toDay('2024-03-01')),
      sha256: sha256('a\n'),
      size: 2,
      final: true,
      origin: 'dir',
    });
    expect(f.get(toDay('2024-03-02'))).toMatchObject({ status: 'present', path: join(archive, '2024-03-02.json'), sha256: sha256('bb\n'), final: true });
    expect(f.get(toDay('2024-03-03'))).toEqual({ day: toDay('2024-03-03'), status: 'absent', final: false, origin: 'dir' });
    expect(r.summary).toMatchObject({ present: 2, absent: 1, fromDir: 3, hashed: 2, requests: 0 });
    expect(r.log.at(-1)).toContain('3 from folder');
  });

  it('memoises hashes by (path, size, mtime): unchanged files are not read again', async () => {
    const p = join(archive, toDay('2024-03-01'));
    await writeFile(p, 'original\n');
    // A whole-millisecond mtime, so that utimes can restore it exactly.
    await utimes(p, new Date('2024-03-02T00:00:00Z'), new Date('2024-03-02T00:00:00Z'));
    const first = await sync({ source: { kind: 'dir', dir: archive }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') });
    expect(first.summary.hashed).toBe(1);
    const again = await sync({ source: { kind: 'dir', dir: archive }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') });
    expect(again.summary.hashed).toBe(0);
    expect(again.files[0]!.sha256).toBe(sha256('original\n'));

    // Same size and restored mtime: the memo answers (proof the file was not read).
    const { atime, mtime } = await stat(p);
    await writeFile(p, 'ORIGINAL\n');
    await utimes(p, atime, mtime);
    const fooled = await sync({ source: { kind: 'dir', dir: archive }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') });
    expect(fooled.summary.hashed).toBe(0);
    expect(fooled.files[0]!.sha256).toBe(sha256('original\n'));

    // A new mtime means a new hash.
    await utimes(p, atime, new Date(mtime.getTime() + 5000));
    const changed = await sync({ source: { kind: 'dir', dir: archive }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') });
    expect(changed.summary.hashed).toBe(1);
    expect(changed.files[0]!.sha256).toBe(sha256('ORIGINAL\n'));
  });

  it('a rebuild after one new day hashes only that day', async () => {
    for (let d = 1; d <= 9; d++) await writeFile(join(archive, `2024-03-0${d}`), `day ${d}\n`);
    const days = Array.from({ length: 10 }, (_, i) => toDay(`2024-03-${String(i + 1).padStart(2, '0')}`));
    const first = await sync({ source: { kind: 'dir', dir: archive }, days, cacheDir, asOf: toDay('2024-03-10') });
    expect(first.summary).toMatchObject({ hashed: 9, absent: 1 });
    await writeFile(join(archive, toDay('2024-03-10')), 'day 10\n');
    const second = await sync({ source: { kind: 'dir', dir: archive }, days, cacheDir, asOf: toDay('2024-03-11') });
    expect(second.summary).toMatchObject({ hashed: 1, present: 10, absent: 0 });
  });

  it('with hashLater, leaves a file the memo does not know unread, without a hash, until the caller remembers one', async () => {
    const p = join(archive, toDay('2024-03-01'));
    await writeFile(p, 'later\n');
    const days = [toDay('2024-03-01'), toDay('2024-03-02')];
    const first = await sync({ source: { kind: 'dir', dir: archive }, days, cacheDir, asOf: toDay('2024-03-20'), hashLater: true });
    expect(first.files[0]).toEqual({ day: toDay('2024-03-01'), status: 'present', path: p, size: 6, final: true, origin: 'dir' });
    expect(first.summary).toMatchObject({ present: 1, absent: 1, hashed: 0 });
    const st = await stat(p);
    await first.remember(first.files[0]!, { size: st.size, mtimeMs: st.mtimeMs }, sha256('later\n'));
    expect(first.files[0]!.sha256).toBe(sha256('later\n'));
    expect(first.summary.hashed).toBe(1);
    // The next run finds it in the memo, with or without hashLater, and reads nothing.
    for (const hashLater of [true, false]) {
      const again = await sync({ source: { kind: 'dir', dir: archive }, days, cacheDir, asOf: toDay('2024-03-20'), hashLater });
      expect(again.summary.hashed).toBe(0);
      expect(again.files[0]!.sha256).toBe(sha256('later\n'));
    }
  });

  it('makes a present file the caller could not read missing, with the reason, in the files and the counts', async () => {
    await writeFile(join(archive, toDay('2024-03-01')), 'x\n');
    const lines: string[] = [];
    const r = await sync({
      source: { kind: 'dir', dir: archive },
      days: [toDay('2024-03-01')],
      cacheDir,
      asOf: toDay('2024-03-20'),
      hashLater: true,
      log: (l) => lines.push(l),
    });
    r.markMissing(r.files[0]!, 'EIO: i/o error');
    expect(r.files[0]).toEqual({ day: toDay('2024-03-01'), status: 'missing', final: false, origin: 'none', error: 'EIO: i/o error' });
    expect(r.summary).toMatchObject({ present: 0, missing: 1, fromDir: 0 });
    expect(lines).toContain('fetch: 2024-03-01: missing: EIO: i/o error');
  });

  it('a folder entry that is not a file makes that day missing, not the run fail', async () => {
    await mkdir(join(archive, toDay('2024-03-01')));
    const r = await sync({ source: { kind: 'dir', dir: archive }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') });
    expect(r.files[0]).toMatchObject({ status: 'missing', origin: 'none' });
    expect(r.files[0]!.error).toContain('not a regular file');
  });

  it('throws when the folder does not exist', async () => {
    await expect(sync({ source: { kind: 'dir', dir: join(root, 'nope') }, days: [toDay('2024-03-01')], cacheDir, asOf: toDay('2024-03-20') })).rejects.toThrow(
      /source folder not found/,
    );
  });
});
