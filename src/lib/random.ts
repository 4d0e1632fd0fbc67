/**
 * Seeded pseudo-random numbers (xoshiro128** seeded by splitmix32) and the
 * FNV-1a-32 hash used to derive seeds from keys, exactly as
 * docs/methodology.md section 3 specifies, so that every simulation and
 * bootstrap in the project is reproducible bit for bit.
 */

/** FNV-1a 32-bit hash of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A splitmix32 generator: each call returns the next uint32. */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** xoshiro128** from an explicit 4-word state; each call returns the next uint32. */
export function xoshiro128ss(state: readonly [number, number, number, number]): () => number {
  let [a, b, c, d] = state.map((v) => v >>> 0) as [number, number, number, number];
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seeded source of uniform numbers. */
export interface Rng {
  /** Next uint32. */
  nextU32(): number;
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform in (0, 1) with 53 bits of resolution (never exactly 0 or 1). */
  nextDouble(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

/** xoshiro128** whose state is the first four outputs of splitmix32(seed). */
export function createRng(seed: number | string): Rng {
  const s = typeof seed === 'string' ? fnv1a32(seed) : seed >>> 0;
  const sm = splitmix32(s);
  const gen = xoshiro128ss([sm(), sm(), sm(), sm()]);
  return {
    nextU32: gen,
    next: () => gen() / 4294967296,
    nextDouble: () => {
      // 53 random bits, shifted away from 0: (k + 0.5) / 2^53.
      const hi = gen() >>> 5; // 27 bits
      const lo = gen() >>> 6; // 26 bits
      return (hi * 67108864 + lo + 0.5) / 9007199254740992;
    },
    int: (n: number) => Math.floor((gen() / 4294967296) * n),
  };
}

/**
 * The index i of the first cumulative weight above `target` (binary search):
 * with `target` uniform in [0, cum[last]), index i is drawn with probability
 * proportional to its own weight.
 */
export function searchCumulative(cum: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
