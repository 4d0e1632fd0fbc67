/** The JSON of the site data and of the pages' JSON downloads: one format, so the same value is the same bytes everywhere. */
import { figure } from './figures.ts';

/**
 * JSON with object keys sorted at every level, so bytes never depend on
 * insertion order; otherwise exactly JSON.stringify's output. Keys are names
 * from the inputs, so only each object's own keys are written (a key list
 * given to JSON.stringify would read an absent `__proto__` from
 * Object.prototype and write it into every object).
 */
export function stableJson(value: unknown): string {
  return jsonValue(value) ?? 'null';
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
  // Appended piece by piece: the site data holds many small arrays and objects.
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
