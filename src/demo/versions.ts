/**
 * Program version ordering and grouping, for the two styles the archive holds:
 * module versions (`v0.20.1`, `v1.2.3-pre.4`, semver) and Go toolchain
 * versions (`go1.27.1`, `go1.27rc1`, `go1.27` as a language version).
 */

interface Parsed {
  style: 'go' | 'semver';
  nums: number[];
  /** Go: 0 language version (go1.27), 1 beta, 2 rc, 3 release. Semver: 0 prerelease, 1 release. */
  rank: number;
  pre: string;
}

const GO_RE = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$/;
const SEMVER_RE = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(v: string): Parsed | null {
  let m = GO_RE.exec(v);
  if (m) {
    const major = Number(m[1]);
    const minor = Number(m[2] ?? 0);
    if (m[4]) return { style: 'go', nums: [major, minor, 0], rank: m[4] === 'beta' ? 1 : 2, pre: String(Number(m[5])).padStart(6, '0') };
    // Before go1.21 a release was named go1.N without a patch number; from go1.21 on, go1.N is a language version.
    const lang = m[3] === undefined && (major > 1 || minor >= 21);
    return { style: 'go', nums: [major, minor, Number(m[3] ?? 0)], rank: lang ? 0 : 3, pre: '' };
  }
  m = SEMVER_RE.exec(v);
  if (m) return { style: 'semver', nums: [Number(m[1]), Number(m[2]), Number(m[3])], rank: m[4] ? 0 : 1, pre: m[4] ?? '' };
  return null;
}

function comparePre(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (xn !== yn) return xn ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Orders two versions of one program: negative when a < b. Go versions follow
 * go/version (go1.27 < go1.27rc1 < go1.27.0 < go1.27.1); module versions follow
 * semver. Versions of unknown shape compare as strings.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb || pa.style !== pb.style) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i++) {
    const d = pa.nums[i]! - pb.nums[i]!;
    if (d !== 0) return Math.sign(d);
  }
  if (pa.rank !== pb.rank) return Math.sign(pa.rank - pb.rank);
  return pa.style === 'go' ? (pa.pre < pb.pre ? -1 : pa.pre > pb.pre ? 1 : 0) : comparePre(pa.pre, pb.pre);
}

/** True when version `v` is at least `min` (an empty `min` admits every version). */
export function atLeast(v: string, min: string): boolean {
  return min === '' || compareVersions(v, min) >= 0;
}

/**
 * The group a version is charted under: `v0.20.1` -> `v0.20`,
 * `go1.27.1` and `go1.27rc1` -> `go1.27`; anything else unchanged.
 */
export function majorMinor(v: string): string {
  const m = /^(go\d+\.\d+|v\d+\.\d+)(?![\d])/.exec(v);
  return m ? m[1]! : v;
}
