import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneSuperseded } from '../../src/pipeline/prune.ts';

const hex = (c: string) => c.repeat(32);

describe('pruneSuperseded', () => {
  it('removes the other files of the dates in use, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prune-'));
    const names = [
      `2026-11-08.${hex('a')}.json`, // in use
      `2026-11-08.${hex('b')}.json`, // superseded
      `2026-11-08.${hex('c')}.json.1234.tmp`, // not a cache file
      `2026-11-15.${hex('d')}.json`, // in use
      `2026-11-01.${hex('e')}.json`, // a date the build did not cover
      `2026-11-15.${hex('f')}.parts`, // another kind of file
      'notes.txt',
    ];
    for (const n of names) writeFileSync(join(dir, n), 'x');
    const current = new Map([
      ['2026-11-08', `2026-11-08.${hex('a')}.json`],
      ['2026-11-15', `2026-11-15.${hex('d')}.json`],
    ]);
    expect(await pruneSuperseded(dir, current)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(names.filter((n) => !n.includes(hex('b'))).sort());
  });

  it('counts what it removed; a folder that is not there has nothing to remove', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prune-'));
    writeFileSync(join(dir, `2026-11-08.${hex('a')}.json`), 'x');
    writeFileSync(join(dir, `2026-11-08.${hex('b')}.json`), 'x');
    writeFileSync(join(dir, `2026-11-15.${hex('c')}.json`), 'x');
    const current = new Map([
      ['2026-11-08', `2026-11-08.${hex('b')}.json`],
      ['2026-11-15', `2026-11-15.${hex('c')}.json`],
    ]);
    expect(await pruneSuperseded(dir, current)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`2026-11-08.${hex('b')}.json`, `2026-11-15.${hex('c')}.json`]);
    expect(await pruneSuperseded(dir, current)).toBe(0);
    expect(await pruneSuperseded(join(dir, 'none'), current)).toBe(0);
  });
});
