import { describe, expect, it } from 'vitest';
import { goMajorMinor, goToSemver, versionAtLeast, versionMajorMinor } from '../../src/lib/versions.ts';

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
    expect(goToSemver('go1.23rc1')).toBe('1.23.0-rc.1');
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
});
