/**
 * The data pipeline on a tiny committed archive, compared file by file with
 * the committed site data (see README.md beside this file).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { runPipeline } from '../../src/pipeline/run.ts';

const HERE = relative(process.cwd(), import.meta.dirname);
const INPUT = join(HERE, 'input', 'small');
const GOLDEN = join(HERE, 'output', 'small');
const CHANGED = join(HERE, 'output', 'small-changed');
const tmp = mkdtempSync(join(tmpdir(), 'golden-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  try {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) m.set(relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name)));
    }
  } catch {
    // no golden files yet
  }
  return m;
}

describe('golden site data', () => {
  it('the tiny archive gives exactly the committed files', async () => {
    const out = join(tmp, 'out');
    const argv = ['--source', join(INPUT, 'archive'), '--chart-config', join(INPUT, 'config.txt'), '--upload-config', join(INPUT, 'config.json')];
    argv.push('--reference', join(INPUT, 'reference.json'), '--as-of', '2026-11-16', '--cache', join(tmp, 'cache'), '--out', out, '--jobs', '1');
    const opts = parseOptions(argv, 1)!;
    await runPipeline(opts, { log: () => {}, progress: 'never', today: () => '2026-11-16' as never });
    const got = files(out);
    const want = files(GOLDEN);
    rmSync(CHANGED, { recursive: true, force: true });
    if (process.env.UPDATE_GOLDEN === '1') {
      rmSync(GOLDEN, { recursive: true, force: true });
      cpSync(out, GOLDEN, { recursive: true });
      return;
    }
    const differ = [...new Set([...got.keys(), ...want.keys()])].filter((f) => !got.get(f)?.equals(want.get(f) ?? Buffer.alloc(0)) || !want.has(f)).sort();
    if (differ.length > 0) cpSync(out, CHANGED, { recursive: true });
    expect(differ, `site data differs from ${GOLDEN}; the build's files are in ${CHANGED} (UPDATE_GOLDEN=1 regenerates)`).toEqual([]);
    expect(got.size).toBeGreaterThan(10);
  });
});
