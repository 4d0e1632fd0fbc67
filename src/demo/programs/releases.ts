/**
 * Release calendars of the demo's programs and how fast the Go toolchain is
 * adopted. Release times are in weeks from the window's start, written for a
 * 30-week window (adoptionMix in model.ts scales them to the real one).
 */
import type { AdoptionSpeed, Cell, Release } from '../model-types.ts';

export const GO_RELEASES: Release[] = [
  { version: 'go1.25.8', t: -30 },
  { version: 'go1.26.0', t: -12, major: true },
  { version: 'go1.26.1', t: -8 },
  { version: 'go1.26.2', t: -3 },
  { version: 'go1.26.3', t: 2 },
  { version: 'go1.26.4', t: 7 },
  { version: 'go1.26.5', t: 11 },
  { version: 'go1.27.0', t: 15, major: true },
  { version: 'go1.27.1', t: 19 },
  { version: 'go1.27.2', t: 23 },
  { version: 'go1.27.3', t: 27 },
];
export const GOPLS_RELEASES: Release[] = [
  { version: 'v0.18.1', t: -25 },
  { version: 'v0.19.0', t: -10, major: true },
  { version: 'v0.19.1', t: -5 },
  { version: 'v0.20.0', t: 4, major: true },
  { version: 'v0.20.1', t: 7 },
  { version: 'v0.20.2', t: 11 },
  { version: 'v0.21.0', t: 16, major: true },
  { version: 'v0.21.1', t: 20 },
  { version: 'v0.22.0', t: 25, major: true },
];
export const VULN_RELEASES: Release[] = [
  { version: 'v1.1.3', t: -40 },
  { version: 'v1.1.4', t: -15 },
  { version: 'v1.2.0', t: 6, major: true },
  { version: 'v1.2.1', t: 18 },
];
export const DLV_RELEASES: Release[] = [
  { version: 'v1.25.1', t: -30 },
  { version: 'v1.25.2', t: -12 },
  { version: 'v1.26.0', t: 5, major: true },
  { version: 'v1.26.1', t: 17 },
  { version: 'v1.27.0', t: 26, major: true },
];

/** Probability of a mid-week toolchain upgrade (shared by cmd/go and cmd/compile). */
export const GO_UPGRADE_SPLIT = 0.05;
/** Adoption speed of Go releases: CI first, then official installs, Windows, and package-manager installs last. */
export function goToolchainSpeed(c: Cell): AdoptionSpeed {
  if (c.activity === 'ci') return { d: 1.5, s: 1, key: 'ci' };
  if (c.linuxPkg) return { d: 12, s: 5, key: 'pkg' };
  if (c.goos === 'windows') return { d: 4, s: 2, key: 'windows' };
  return { d: 3, s: 1.5, key: 'official' };
}
