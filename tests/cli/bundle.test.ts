/**
 * `npm run data` runs scripts/data.mjs: the pipeline bundled into .cache/cli/.
 * It must behave exactly as the TypeScript sources do, and never run a bundle
 * older than them or damaged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BUNDLE = join('.cache', 'cli');
const STAMP = join(BUNDLE, 'inputs.json');
const tmp = mkdtempSync(join(tmpdir(), 'bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const launcher = (args: string[]) => spawnSync(process.execPath, ['scripts/data.mjs', ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
const sources = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/telemetry.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });

function files(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) m.set(relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'latin1'));
  return m;
}

describe('the bundled npm run data', () => {
  it('is what package.json runs', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.data).toBe('node scripts/data.mjs');
  });

  it('prints the same help and the same errors, with the same exit codes, as the sources', () => {
    for (const args of [['--help'], ['--jobs', 'x'], ['--nope'], ['--source', join(tmp, 'absent'), '--chart-config', 'x', '--upload-config', 'y']]) {
      const a = launcher(args);
      const b = sources(args);
      expect(a.status, args.join(' ')).toBe(b.status);
      expect(a.stdout, args.join(' ')).toBe(b.stdout);
      expect(a.stderr, args.join(' ')).toBe(b.stderr);
    }
  });

  it('writes the golden site data, and is built from the pipeline and worker sources', () => {
    const input = join('tests', 'golden', 'input', 'small');
    const out = join(tmp, 'out');
    const args = ['--source', join(input, 'archive'), '--chart-config', join(input, 'config.txt'), '--upload-config', join(input, 'config.json')];
    args.push('--reference', join(input, 'reference.json'), '--as-of', '2026-11-16', '--cache', join(tmp, 'cache'), '--out', out, '--jobs', '2');
    const r = launcher(args);
    expect(r.status, r.stderr).toBe(0);
    expect(files(out)).toEqual(files(join('tests', 'golden', 'output', 'small')));
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { inputs: string[]; outputs: string[] };
    for (const f of [
      'scripts/telemetry.ts',
      'src/pipeline/worker.ts',
      'src/parse/fast.ts',
      'src/reduce/accumulate.ts',
      'scripts/data.mjs',
      'tsconfig.json',
      'package-lock.json',
    ])
      expect(stamp.inputs).toContain(f);
    expect(stamp.outputs).toEqual(expect.arrayContaining(['.cache/cli/telemetry.mjs', '.cache/cli/worker-entry.mjs']));
  });

  it('rebuilds the bundle when a source it was built from changed, or when the bundle itself was damaged', () => {
    expect(launcher(['--help']).status).toBe(0);
    const bundle = join(BUNDLE, 'telemetry.mjs');
    const good = readFileSync(bundle, 'utf8');
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { digest: string };

    // A source changed since the build: its recorded digest no longer matches.
    writeFileSync(STAMP, JSON.stringify({ ...stamp, digest: '0'.repeat(64) }));
    const before = statSync(bundle).mtimeMs;
    expect(launcher(['--help']).status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before);
    expect(JSON.parse(readFileSync(STAMP, 'utf8')).digest).toBe(stamp.digest);

    // A damaged bundle (here: one that would print something else) is never run.
    writeFileSync(bundle, "process.stdout.write('stale\\n');\n");
    const r = launcher(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('stale');
    expect(readFileSync(bundle, 'utf8')).toBe(good);

    // A missing bundle is built.
    rmSync(BUNDLE, { recursive: true, force: true });
    expect(launcher(['--help']).stdout).toBe(sources(['--help']).stdout);
  });
});
