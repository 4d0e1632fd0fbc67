/**
 * URL slugs for programs and charts: readable, reversible, and collision-free.
 * `/` becomes `-`, a literal `-` becomes `--`, letters, digits and `.` stay,
 * and any other byte becomes `_` and two hex digits. A `/` or `-` right after
 * another `/` or `-` is hex-escaped too, so the dashes always read one way.
 *
 *     golang.org/x/tools/gopls  -> golang.org-x-tools-gopls
 *     vscode-go/command/trigger -> vscode--go-command-trigger
 *
 * Pages and files use the slugs a build hands out (SlugSet below): the slug of
 * the name, shortened when long, with a suffix when two names of one set would
 * share it. unslugify reverses slugify only.
 */
import { createHash } from 'node:crypto';

export function slugify(name: string): string {
  let out = '';
  let prev = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    const afterDash = prev === '/' || prev === '-';
    if (/[A-Za-z0-9.]/.test(c)) out += c;
    else if (c === '/' && !afterDash) out += '-';
    else if (c === '-' && !afterDash) out += '--';
    else out += '_' + byte.toString(16).padStart(2, '0');
    prev = c;
  }
  // "." and ".." are not usable as path segments.
  return out === '' || /^\.+$/.test(out) ? out.replace(/\./g, '_2e') || '_' : out;
}

export function unslugify(slug: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < slug.length; i++) {
    const c = slug[i]!;
    if (c === '-') {
      if (slug[i + 1] === '-') {
        bytes.push(0x2d);
        i++;
      } else bytes.push(0x2f);
    } else if (c === '_') {
      if (slug === '_') return '';
      bytes.push(parseInt(slug.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Longest slug, in bytes (slugs are ASCII). Files and pages add at most a few
 * bytes to a slug in one path component (`<chart>.json`, and `~counter~2`
 * when names collide), so every component stays far below the 255 bytes
 * file systems allow.
 */
export const MAX_SLUG_BYTES = 200;

/** Hex digits of SHA-256 that end a shortened slug. */
const HASH_DIGITS = 8;

/**
 * `slugify(name)`, or for a slug longer than MAX_SLUG_BYTES its first bytes
 * (cut between whole characters of the slug, never inside `_xx` or `--`),
 * `~` and the first 8 hex digits of the SHA-256 of the name in UTF-8. slugify
 * never writes `~`, so a shortened slug never equals a plain one.
 */
export function shortSlug(name: string): string {
  const slug = slugify(name);
  if (slug.length <= MAX_SLUG_BYTES) return slug;
  const room = MAX_SLUG_BYTES - 1 - HASH_DIGITS;
  let cut = 0;
  for (let i = 0; i < slug.length; ) {
    const len = slug[i] === '_' ? 3 : slug[i] === '-' && slug[i + 1] === '-' ? 2 : 1;
    if (i + len > room) break;
    i += len;
    cut = i;
  }
  return `${slug.slice(0, cut)}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_DIGITS)}`;
}

/**
 * Hands out slugs that are unique within one set (the programs of a build, or
 * the charts of one program), also when compared without regard to case, so
 * no two ever name one file, even on a case-insensitive file system. The
 * first name to ask gets `shortSlug(name)`; a later name whose slug is taken
 * gets `~<kind>` appended (`GOOS~counter` for a counter chart named like the
 * GOOS metadata chart, `go-invocations~stack`), then `~2`, `~3`, ... until it
 * is free. slugify never writes `~`, so a suffixed slug cannot be taken by a
 * plain one. The same names asked in the same order get the same slugs.
 */
export class SlugSet {
  private readonly taken = new Set<string>();

  take(name: string, kind?: string): string {
    const base = shortSlug(name);
    const first = kind ? [base, `${base}~${kind}`] : [base];
    const stem = first.at(-1)!;
    for (let i = 0; ; i++) {
      const slug = i < first.length ? first[i]! : `${stem}~${i - first.length + 2}`;
      const key = slug.toLowerCase();
      if (this.taken.has(key)) continue;
      this.taken.add(key);
      return slug;
    }
  }
}
