import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/archive.ts';
import { ensureDemo } from '../../src/demo/ensure.ts';
import { generateWeekSample } from '../../src/demo/week-sample.ts';
import { GOPLS } from '../../src/demo/model.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function hashes(seed: number): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), `demo-det-${seed}-`));
  dirs.push(dir);
  await generateDemo({ seed, outDir: dir, weeks: 3, scale: 0.25 });
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else
        out.set(
          `${prefix}${e.name}`,
          createHash('sha256')
            .update(readFileSync(join(d, e.name)))
            .digest('hex'),
        );
    }
  };
  walk(dir, '');
  return out;
}

describe('determinism', () => {
  it('gives byte-identical output for the same seed and different archives for different seeds', async () => {
    const a = await hashes(11);
    const b = await hashes(11);
    const c = await hashes(12);
    expect(a.size).toBeGreaterThan(20);
    expect([...a.keys()]).toContain('truth.json');
    expect(b).toEqual(a);
    const archiveFiles = [...a.keys()].filter((k) => k.startsWith('archive/') && c.has(k));
    expect(archiveFiles.length).toBeGreaterThan(15);
    for (const k of archiveFiles) expect(c.get(k)).not.toBe(a.get(k));
  });

  it('gives the same week sample for the same seed', () => {
    const a = generateWeekSample({ seed: 3, program: GOPLS, n: 200 });
    const b = generateWeekSample({ seed: 3, program: GOPLS, n: 200 });
    const c = generateWeekSample({ seed: 4, program: GOPLS, n: 200 });
    expect(b.lines).toEqual(a.lines);
    expect(c.lines).not.toEqual(a.lines);
  });
});

describe('ensureDemo', () => {
  it('generates once, reuses the cached archive, and regenerates when the seed changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'demo-ensure-'));
    dirs.push(root);
    const logs: string[] = [];
    const opts = { weeks: 2, scale: 0.1 };
    const a = await ensureDemo(join(root, 'demo'), 5, (l) => logs.push(l), opts);
    expect(logs).toHaveLength(1);
    expect(readdirSync(a.archiveDir).length).toBe(a.manifest.files);
    expect(a.asOf).toBe('2026-11-16');
    const again = await ensureDemo(join(root, 'demo'), 5, (l) => logs.push(l), opts);
    expect(logs).toHaveLength(1);
    expect(again.manifest).toEqual(a.manifest);
    const other = await ensureDemo(join(root, 'demo'), 6, (l) => logs.push(l), opts);
    expect(logs).toHaveLength(2);
    expect(other.manifest.seed).toBe(6);
    expect(readdirSync(root)).toEqual(['demo']);
  });
});
