/** The JSON of the site data and of the pages' JSON downloads: one format, so the same value is the same bytes everywhere. */
import { figure } from './figures.ts';

/**
 * JSON with object keys sorted at every level (by UTF-16 code units), so
 * bytes never depend on insertion order, and every number written as a
 * figure (figures.ts); otherwise exactly JSON.stringify's output. Keys are
 * names from the inputs, so only each object's own keys are written (a key
 * list given to JSON.stringify would read an absent `__proto__` from
 * Object.prototype and write it into every object).
 *
 * JSON.stringify does the writing, with a replacer that hands it each object
 * with its keys in sorted order. An object with a key such as "10" cannot be
 * handed over that way (such keys always enumerate first, in numeric order),
 * so a value holding one is written piece by piece instead: the same bytes,
 * three times slower.
 */
export function stableJson(value: unknown): string {
  try {
    return JSON.stringify(value, sortedKeys) ?? 'null';
  } catch (e) {
    if (e === INDEX_KEY) return jsonValue(value) ?? 'null';
    throw e;
  }
}

/** A key that JavaScript objects enumerate before the others (an array index), or one that looks like it. */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
const INDEX_KEY = new Error('an object key is an array index');

function sortedKeys(_key: string, v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? figure(v) : null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  let sorted = true;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    // Only a key starting with a digit can look like an index.
    const c = key.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && INDEX_LIKE.test(key)) throw INDEX_KEY;
    if (k > 0 && !(keys[k - 1]! < key)) sorted = false;
  }
  if (sorted) return v;
  keys.sort();
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) out[k] = (v as Record<string, unknown>)[k];
  return out;
}

function jsonValue(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(figure(v)) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined; // undefined, functions and symbols are left out, as JSON.stringify does
  }
  if (v === null) return 'null';
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonValue(toJSON.call(v));
  if (Array.isArray(v)) {
    let out = '[';
    for (let k = 0; k < v.length; k++) {
      if (k > 0) out += ',';
      out += jsonValue(v[k]) ?? 'null';
    }
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of Object.keys(o).sort()) {
    const s = jsonValue(o[k]);
    if (s === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k) + ':' + s;
  }
  return out + '}';
}

/**
 * stableJson of `value` with its property `key` set to the value whose
 * stableJson is `raw`, without reading that value again: an object is
 * written as its sorted keys, each with its value's stableJson, so a large
 * part made earlier (a chart's weeks) is spliced in as text. When an
 * object's key looks like an index, the raw part is parsed back and the
 * whole written as stableJson would.
 */
export function stableJsonWith(value: object, key: string, raw: string): string {
  const keys = Object.keys(value).filter((k) => k !== key);
  keys.push(key);
  if (keys.some((k) => INDEX_LIKE.test(k))) return stableJson({ ...value, [key]: JSON.parse(raw) as unknown });
  keys.sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    // Left out as JSON.stringify leaves them out of an object.
    if (k !== key && (v === undefined || typeof v === 'function' || typeof v === 'symbol')) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(k) + ':' + (k === key ? raw : stableJson(v));
  }
  return out + '}';
}
