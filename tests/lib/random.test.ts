import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, fnv1a32, splitmix32, xoshiro128ss } from '../../src/lib/random.ts';

const ref = JSON.parse(readFileSync(new URL('../../../shared/fixtures/statistics/reference-values.json', import.meta.url), 'utf8'));
const vectors = ref.extras.prngTestVectors;

describe('random', () => {
  it('xoshiro128** from state 1,2,3,4 matches the reference', () => {
    const g = xoshiro128ss([1, 2, 3, 4]);
    expect([g(), g(), g(), g()]).toEqual(vectors.xoshiro128ss_state_1_2_3_4_first4);
  });
  it('splitmix32(1) matches the reference', () => {
    const g = splitmix32(1);
    expect([g(), g(), g(), g()]).toEqual(vectors.splitmix32_seed1_first4);
  });
  it('xoshiro128** seeded by splitmix32(1) matches the reference', () => {
    const r = createRng(1);
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual(vectors.xoshiro128ss_seeded_by_splitmix32_seed1_first4);
  });
  it('fnv1a32 matches the reference', () => {
    for (const [k, v] of Object.entries(vectors.fnv1a32)) expect(fnv1a32(k)).toBe(v);
  });
  it('nextDouble stays strictly inside (0, 1)', () => {
    const r = createRng('x');
    for (let i = 0; i < 10000; i++) {
      const u = r.nextDouble();
      expect(u > 0 && u < 1).toBe(true);
    }
  });
});
