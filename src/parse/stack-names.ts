/**
 * Stack names met before, per process (a worker thread has its own table):
 * the fast path finds a stack's text by its characters in the line, escapes
 * and all, and takes the string decoded the first time instead of decoding
 * it again. A stack is long (a counter name and up to 16 frames, about a
 * kilobyte) and many reports of a day hold the same ones, so this saves a
 * JSON.parse per stack, and the reducer's maps, keyed by the stack's text,
 * hash each distinct string once rather than once a report.
 *
 * A text is found only when the line holds exactly the characters it was
 * first read from, so it decodes to the same string; only texts that decoded
 * without error are kept. The table is bounded (MAX_STACKS texts and
 * MAX_CHARS characters); past that, texts are decoded as before.
 */

const MAX_STACKS = 16384;
const MAX_CHARS = 16 * 1024 * 1024;
const SLOTS = 1 << 15; // a power of two, at least twice MAX_STACKS
const MASK = SLOTS - 1;

/** The characters each stack was read from (escapes as in the line) and its decoded text. */
const raws: string[] = [];
const texts: string[] = [];
/** Hash slot -> index + 1 (0: empty). */
const slots = new Int32Array(SLOTS);
let chars = 0;

/** A hash of text[from..to): its length and 64 characters spread over it (all of a short one). */
function hashRaw(text: string, from: number, to: number): number {
  const len = to - from;
  let h = 0x811c9dc5 ^ len;
  const step = len <= 64 ? 1 : Math.floor(len / 64);
  for (let k = from; k < to; k += step) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h ^ (h >>> 15);
}

let slotFound = 0;

/** The decoded text of the stack whose characters in the line are text[from..to), when it was met before; null otherwise. */
export function knownStack(text: string, from: number, to: number): string | null {
  const len = to - from;
  let slot = hashRaw(text, from, to) & MASK;
  for (;;) {
    const e = slots[slot]!;
    if (e === 0) break;
    const raw = raws[e - 1]!;
    if (raw.length === len && text.substring(from, to) === raw) return texts[e - 1]!;
    slot = (slot + 1) & MASK;
  }
  slotFound = slot;
  return null;
}

/** Keeps `decoded`, read from text[from..to), for knownStack; call right after knownStack returned null for the same characters. */
export function keepStack(text: string, from: number, to: number, decoded: string): void {
  if (raws.length >= MAX_STACKS || chars + (to - from) > MAX_CHARS) return;
  // Flat copies, so the table does not keep whole lines alive.
  raws.push((' ' + text.slice(from, to)).slice(1));
  texts.push((' ' + decoded).slice(1));
  chars += to - from;
  slots[slotFound] = raws.length;
}
