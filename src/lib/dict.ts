/**
 * Objects keyed by names from the inputs: programs, charts, buckets,
 * metadata values, stacks, reference categories, ledger details.
 *
 * A name is data. On an ordinary object, `o[name]` reads `constructor`,
 * `toString` or `valueOf` from Object.prototype, `name in o` is true for
 * them, and assigning `o.__proto__` replaces the prototype instead of adding
 * a key. So objects keyed by names have no prototype (`dict`), and a lookup
 * in an object that may be ordinary (read back with JSON.parse, received
 * from a worker thread, written by a test) goes through `own`. Computation
 * prefers `Map`; these objects are for data whose JSON shape is a contract.
 */
import { z } from 'zod';

/** An empty object without a prototype. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free object with the given entries (later ones win, as in Object.fromEntries). */
export function dictOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const d = dict<T>();
  for (const [k, v] of entries) d[k] = v;
  return d;
}

/** `o[key]` when `key` is an own property of `o`, else undefined; never a property of Object.prototype. */
export function own<T>(o: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return o != null && Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * A zod schema for a JSON object keyed by names, read as a Map of its own
 * entries. zod's own record cannot hold a `__proto__` key (it leaves it out
 * of its output, unchecked), so a name would be lost silently.
 */
export function nameMap<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V) {
  return z.preprocess(
    (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? new Map(Object.entries(v)) : v),
    z.map(key, value, {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? `expected record, received ${Array.isArray(iss.input) ? 'array' : iss.input === null ? 'null' : typeof iss.input}`
          : undefined,
    }),
  );
}
