/**
 * Program and Go version names: parsing, ordering, and grouping to
 * major.minor (as the Go dashboard's worker does). One set of rules for
 * every place that compares versions: chart version gates, bucket order,
 * the demo's simulated gates.
 *
 * Go versions follow go/version (internal/gover):
 *   go1.9 < go1.10 < go1.20rc1 < go1.20 = go1.20.0 < go1.20.1
 *   < go1.21 (language version) < go1.21rc1 < go1.21.0 < go1.21.1
 * Before Go 1.21 a missing patch means `.0`; from 1.21 on, `go1.N` names the
 * language version, which comes before every prerelease of go1.N. Prereleases
 * are alpha < beta < rc, numbered.
 *
 * Program versions follow Go's semver (golang.org/x/mod/semver): `v` then
 * semver 2.0, with the short forms `v1` and `v1.2` (meaning v1.0.0, v1.2.0)
 * accepted without prerelease or build; build metadata is ignored when
 * ordering. Pseudo-versions (`v0.0.0-20240102150405-abcdef123456`) are
 * prereleases and order as such.
 *
 * `devel` (and `devel ...` toolchain strings) parse as neither.
 */

/** A sort key: compared element by element, numbers numerically, strings by code point; a shorter key sorts first. */
export type VersionKey = readonly (number | string)[];

const GO_RE = /^go(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*)|(alpha|beta|rc)(0|[1-9]\d*))?$/;
const GO_KIND_RANK: Readonly<Record<'alpha' | 'beta' | 'rc', number>> = { alpha: 1, beta: 2, rc: 3 };

/** [major, minor, patch (-1 for a language version or prerelease), kind (0 none, 1 alpha, 2 beta, 3 rc), prerelease number]; null if not a Go version. */
export function goVersionKey(v: string): VersionKey | null {
  const m = GO_RE.exec(v);
  if (!m) return null;
  const major = Number(m[1]);
  if (m[2] === undefined) return m[4] === undefined ? [major, 0, 0, 0, 0] : null; // "go1" is 1.0.0
  const minor = Number(m[2]);
  if (m[3] !== undefined) return [major, minor, Number(m[3]), 0, 0];
  if (m[4] !== undefined) return [major, minor, -1, GO_KIND_RANK[m[4] as 'alpha' | 'beta' | 'rc'], Number(m[5])];
  const language = major > 1 || minor >= 21;
  return [major, minor, language ? -1 : 0, 0, 0];
}

const SEMVER_RE =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

/**
 * [major, minor, patch, release (0 prerelease, 1 release), then per
 * prerelease identifier 0,number or 1,text, then -1]; null if not a Go
 * semver version.
 */
export function semverKey(v: string): VersionKey | null {
  const m = SEMVER_RE.exec(v);
  if (!m) return null;
  const key: (number | string)[] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const pre = m[4];
  if (pre === undefined) return [...key, 1];
  key.push(0);
  // Numeric identifiers sort before alphanumeric ones, numerically.
  for (const id of pre.split('.')) key.push(...(/^\d+$/.test(id) ? [0, Number(id)] : [1, id]));
  key.push(-1); // a shorter prerelease sorts first: 1.0.0-a < 1.0.0-a.1
  return key;
}

export function compareKeys(a: VersionKey, b: VersionKey): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function versionKey(v: string): VersionKey | null {
  return v.startsWith('go') ? goVersionKey(v) : semverKey(v);
}

/**
 * True when version `v` is at or after `min` (both of one kind: semver like
 * v0.13.0, or Go versions like go1.23rc1). A version that cannot be compared
 * with `min` counts as not reaching it.
 */
export function versionAtLeast(v: string, min: string): boolean {
  const a = versionKey(v);
  const b = versionKey(min);
  if (a === null || b === null || v.startsWith('go') !== min.startsWith('go')) return false;
  return compareKeys(a, b) >= 0;
}

// Reports repeat a few hundred version strings millions of times: remember the answers.
const MEMO_LIMIT = 100_000;
function memoized(f: (v: string) => string): (v: string) => string {
  const memo = new Map<string, string>();
  return (v) => {
    let r = memo.get(v);
    if (r === undefined) {
      r = f(v);
      if (memo.size < MEMO_LIMIT) memo.set(v, r);
    }
    return r;
  };
}

/** `go1.21.5` -> `go1.21`; `go1.22rc1` -> `go1.22`; anything else -> "". */
export const goMajorMinor = memoized((v) => {
  const m = /^go(0|[1-9]\d*)\.(0|[1-9]\d*)/.exec(v);
  return m ? `go${m[1]}.${m[2]}` : '';
});

/** `v0.15.3` -> `v0.15`; Go versions -> `go1.N`; `devel` stays; unparseable -> "". */
export const versionMajorMinor = memoized((v) => {
  if (v === 'devel') return 'devel';
  if (v.startsWith('go')) return goMajorMinor(v);
  const k = semverKey(v);
  return k ? `v${k[0]}.${k[1]}` : '';
});

/** True for programs of the Go distribution, whose Version is their Go version. */
export function isToolchainProgram(program: string): boolean {
  return program.startsWith('cmd/');
}
