/**
 * Program and Go version names: grouping to major.minor (as the Go
 * dashboard's worker does) and ordering.
 */
import semver from 'semver';

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
  if (!v.startsWith('v') || semver.valid(v) === null) return '';
  const p = semver.parse(v)!;
  return `v${p.major}.${p.minor}`;
});

/** True for programs of the Go distribution, whose Version is their Go version. */
export function isToolchainProgram(program: string): boolean {
  return program.startsWith('cmd/');
}

/**
 * A Go version as semver, in Go's own order (go/version): go1.23rc1 ->
 * 1.23.0-rc.1, go1.23.2 -> 1.23.2. From Go 1.21 on, go1.N names the language
 * version, which comes before go1.Nrc1 (1.N.0-0); before that, go1.N was the
 * release itself (1.N.0). Null if not a Go version.
 */
export function goToSemver(v: string): string | null {
  const m = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?$/.exec(v);
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const core = `${major}.${minor}.${Number(m[3] ?? 0)}`;
  if (m[4]) return `${core}-${m[4]}.${Number(m[5])}`;
  const language = m[3] === undefined && (major > 1 || minor >= 21);
  return language ? `${core}-0` : core;
}

function asSemver(v: string): string | null {
  if (v.startsWith('go')) return goToSemver(v);
  return semver.valid(v, { loose: false });
}

/**
 * True when version `v` is at or after `min` (both program versions of the
 * same kind: semver like v0.13.0, or Go versions like go1.23rc1). A version
 * that cannot be compared counts as not reaching `min`.
 */
export function versionAtLeast(v: string, min: string): boolean {
  const a = asSemver(v);
  const b = asSemver(min);
  if (a === null || b === null) return false;
  return semver.gte(a, b);
}
