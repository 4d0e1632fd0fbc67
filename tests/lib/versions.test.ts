import { describe, expect, it } from 'vitest';
import { compareBuckets, orderBuckets } from '../../src/lib/order.ts';
import { goMajorMinor, goVersionKey, semverKey, versionAtLeast, versionMajorMinor } from '../../src/lib/versions.ts';

describe('versions', () => {
  it('groups to major.minor like the Go dashboard', () => {
    expect(goMajorMinor('go1.21.5')).toBe('go1.21');
    expect(goMajorMinor('go1.22rc1')).toBe('go1.22');
    expect(goMajorMinor('go1.9')).toBe('go1.9');
    expect(goMajorMinor('devel go1.23-abc')).toBe('');
    expect(goMajorMinor('go1')).toBe('');
    expect(versionMajorMinor('v0.15.3')).toBe('v0.15');
    expect(versionMajorMinor('v0.13.1-pre.1')).toBe('v0.13');
    expect(versionMajorMinor('go1.23.4')).toBe('go1.23');
    expect(versionMajorMinor('devel')).toBe('devel');
    expect(versionMajorMinor('1.2.3')).toBe('');
  });
  it('compares program and Go versions', () => {
    // go1.27 is the language version (before go1.27rc1); go1.20 was a release.
    expect(versionAtLeast('go1.27rc1', 'go1.27')).toBe(true);
    expect(versionAtLeast('go1.26.9', 'go1.27')).toBe(false);
    expect(versionAtLeast('go1.20', 'go1.20rc1')).toBe(true);
    expect(versionAtLeast('go1.20rc1', 'go1.20')).toBe(false);
    expect(versionAtLeast('go1.23.0', 'go1.23rc1')).toBe(true);
    expect(versionAtLeast('go1.22.9', 'go1.23rc1')).toBe(false);
    expect(versionAtLeast('v0.20.0', 'v0.20.0')).toBe(true);
    expect(versionAtLeast('v0.20.0-pre.1', 'v0.20.0')).toBe(false);
    expect(versionAtLeast('v0.9.0', 'v0.13.0')).toBe(false);
    expect(versionAtLeast('garbage', 'v0.13.0')).toBe(false);
  });

  // Each list is in ascending order by go/version (internal/gover) and Go's semver.
  const GO_ORDER = [
    'go1',
    'go1.9',
    'go1.10',
    'go1.20beta1',
    'go1.20rc1',
    'go1.20rc2',
    'go1.20.1',
    'go1.21',
    'go1.21alpha1',
    'go1.21beta1',
    'go1.21rc1',
    'go1.21rc10',
    'go1.21.0',
    'go1.21.1',
    'go1.21.10',
    'go1.22rc1',
    'go2',
  ];
  const SEMVER_ORDER = [
    'v0.0.0-20230101000000-abcdef123456',
    'v0.0.0-20240102150405-0123456789ab',
    'v0.0.0',
    'v0.13.0-pre.1',
    'v0.13.0-pre.2',
    'v0.13.0-pre.10',
    'v0.13.0-rc',
    'v0.13.0',
    'v0.13.1',
    'v0.15.0-pre.1',
    'v0.15.0',
    'v1.0.0-alpha',
    'v1.0.0-alpha.1',
    'v1.0.0-alpha.beta',
    'v1.0.0-beta.2',
    'v1.0.0-beta.11',
    'v1.0.0',
    'v1.2.0',
    'v1.10.0',
  ];
  for (const [name, list] of [
    ['Go', GO_ORDER],
    ['semver', SEMVER_ORDER],
  ] as const) {
    it(`orders ${name} versions the same way for gates and for buckets`, () => {
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          const a = list[i]!;
          const b = list[j]!;
          expect(versionAtLeast(a, b), `${a} >= ${b}`).toBe(i >= j);
          expect(Math.sign(compareBuckets(a, b)), `${a} vs ${b}`).toBe(Math.sign(i - j));
        }
      }
      expect(orderBuckets([...list].reverse(), name === 'Go' ? 'goversion' : 'version')).toEqual(list);
    });
  }
  it('treats go1.20 as go1.20.0 but go1.21 as the language version', () => {
    expect(versionAtLeast('go1.20', 'go1.20.0') && versionAtLeast('go1.20.0', 'go1.20')).toBe(true);
    expect(versionAtLeast('go1.21', 'go1.21.0')).toBe(false);
    expect(compareBuckets('go1.20', 'go1.20rc1')).toBeGreaterThan(0);
    expect(compareBuckets('go1.21', 'go1.21rc1')).toBeLessThan(0);
  });
  it('accepts the short semver forms and build metadata as Go does, and rejects the rest', () => {
    expect(semverKey('v1')).toEqual(semverKey('v1.0.0'));
    expect(semverKey('v1.2')).toEqual(semverKey('v1.2.0'));
    expect(semverKey('v1.2.3+build.5')).toEqual(semverKey('v1.2.3'));
    expect(versionMajorMinor('v0.15')).toBe('v0.15');
    for (const bad of ['1.2.3', 'v1.2-pre', 'v01.2.3', 'v1.2.3-01', 'v1.2.3-', 'V1.2.3', 'v1.2.3.4', '']) expect(semverKey(bad), bad).toBeNull();
    for (const bad of ['go1.2.3rc1', 'go1.021', 'go1rc1', 'go1.21rc', 'devel', 'devel go1.23-abc', 'go']) expect(goVersionKey(bad), bad).toBeNull();
  });
  it('never lets devel or a version of the other kind pass a gate', () => {
    expect(versionAtLeast('devel', 'go1.21')).toBe(false);
    expect(versionAtLeast('devel', 'v0.1.0')).toBe(false);
    expect(versionAtLeast('go1.23.0', 'v0.1.0')).toBe(false);
    expect(versionAtLeast('v1.0.0', 'go1.21')).toBe(false);
    expect(compareBuckets('devel', 'go1.99')).toBeGreaterThan(0);
  });
});
