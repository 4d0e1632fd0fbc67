/**
 * Counter names interned into dense ids, shared by both parse paths of a
 * process (a worker thread has its own table). A ProgramReport carries each
 * counter's id next to its name, and the reducer looks a counter up in an
 * array indexed by id instead of hashing its name once more.
 *
 * The table holds at most MAX_INTERNED names; a name past that, or one
 * holding a raw control character, has no id (NO_ID) and is looked up by
 * name. Every name also has its rank among the
 * interned names in sorted (UTF-16 code unit) order, so the fast path orders
 * map keys by comparing integers. Ranks change when a name is added, never
 * their order.
 *
 * The fast path finds a name by its characters in the line, without making a
 * string of it: a hash over the characters, then a comparison of the line
 * with the interned string at that position.
 */

/** The id of a name that is not in the table. */
export const NO_ID = -1;

/** For `predictAt` and `follow`: no name before this one in its map. */
export const MAP_START = -2;

const MAX_INTERNED = 4096;
const SLOTS = 8192; // a power of two, at least twice MAX_INTERNED
const MASK = SLOTS - 1;

/** Interned names by id. */
const names: string[] = [];
/** Hash slot -> id + 1 (0: empty). */
const slots = new Int32Array(SLOTS);
/** Id -> rank of the name among the interned names, sorted. */
const rankOfId = new Int32Array(MAX_INTERNED);
/** Ids in the sorted order of their names. */
const sortedIds: number[] = [];
/** Id -> the id that followed it in the last map it was in (NO_ID: none yet); firstId: the first id of the last map. */
const successor = new Int32Array(MAX_INTERNED).fill(NO_ID);
let firstId = NO_ID;
/** Id -> 1 when the name holds no quote or backslash, so its text in a line is the name itself. */
const plain = new Uint8Array(MAX_INTERNED);

/** The interned name of an id. */
export function internedName(id: number): string {
  return names[id]!;
}

/** The rank of an interned name's id (see above). */
export function rankOf(id: number): number {
  return rankOfId[id]!;
}

/** How many names are interned; the ids are 0 to this, exclusive. */
export function internedCount(): number {
  return names.length;
}

/**
 * A hash of the characters text[from..to): of all of them for a short name,
 * else of its length and its first 8 and last 16 characters (counter names
 * differ mostly at their ends, in the bucket after the colon). Names that
 * share those only probe one slot further; a match is always the whole name.
 */
function hashChars(text: string, from: number, to: number): number {
  let h = 0x811c9dc5 ^ (to - from);
  if (to - from <= 24) {
    for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  } else {
    for (let k = from; k < from + 8; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    for (let k = to - 16; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  }
  return h ^ (h >>> 15);
}

/**
 * The id of the name whose characters are text[from..to), adding it when it
 * is new and the table has room; NO_ID when it is full. wasAdded() then says
 * whether the name was added (the ranks of other names may have changed).
 */
export function internChars(text: string, from: number, to: number): number {
  const len = to - from;
  let slot = hashChars(text, from, to) & MASK;
  for (;;) {
    const e = slots[slot]!;
    if (e === 0) break;
    const name = names[e - 1]!;
    // A substring compared whole is several times cheaper than startsWith at an offset.
    if (name.length === len && text.substring(from, to) === name) {
      lastAdded = false;
      return e - 1;
    }
    slot = (slot + 1) & MASK;
  }
  if (names.length >= MAX_INTERNED) {
    lastAdded = false;
    return NO_ID;
  }
  return add(from === 0 && to === text.length ? text : text.slice(from, to), slot);
}

/**
 * The id of the name that followed `prev` (MAP_START: that began a map) the
 * last time, when it is a plain name whose characters start at `from` in
 * `text` and end at a quote there; NO_ID otherwise. Reports of one program
 * name much the same counters, in the same order, so the name after a name
 * is usually the one seen after it before, and checking it costs one
 * comparison instead of a hash and a lookup. A hit leaves wasAdded() false.
 */
export function predictAt(text: string, from: number, prev: number): number {
  const id = prev === MAP_START ? firstId : prev === NO_ID ? NO_ID : successor[prev]!;
  if (id === NO_ID || plain[id] === 0) return NO_ID;
  const name = names[id]!;
  const end = from + name.length;
  if (text.charCodeAt(end) !== 0x22 || text.substring(from, end) !== name) return NO_ID;
  lastAdded = false;
  return id;
}

/** Records that `id` followed `prev` (MAP_START: began a map), for predictAt. */
export function follow(prev: number, id: number): void {
  if (prev === MAP_START) firstId = id;
  else if (prev !== NO_ID) successor[prev] = id;
}

/** The id of a name (see internChars). */
export function intern(name: string): number {
  return internChars(name, 0, name.length);
}

let lastAdded = false;

/** Whether the last internChars or intern call added its name. */
export function wasAdded(): boolean {
  return lastAdded;
}

/** Whether `name` holds a raw control character (U+0000 to U+001F). */
function hasControl(name: string): boolean {
  for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) < 0x20) return true;
  return false;
}

/** Adds a name; one holding a raw control character is never interned (the fast path checks a name's characters only when the table does not have it). */
function add(name: string, slot: number): number {
  if (hasControl(name)) {
    lastAdded = false;
    return NO_ID;
  }
  // A flat copy, so the table does not keep a whole line alive.
  const flat = (' ' + name).slice(1);
  const id = names.length;
  names.push(flat);
  plain[id] = flat.includes('"') || flat.includes('\\') ? 0 : 1;
  slots[slot] = id + 1;
  let lo = 0;
  let hi = sortedIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[sortedIds[mid]!]! < flat) lo = mid + 1;
    else hi = mid;
  }
  sortedIds.splice(lo, 0, id);
  for (let k = lo; k < sortedIds.length; k++) rankOfId[sortedIds[k]!] = k;
  lastAdded = true;
  return id;
}
