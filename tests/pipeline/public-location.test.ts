import { describe, expect, it } from 'vitest';
import { publicLocation } from '../../src/inputs.ts';

describe('publicLocation', () => {
  const root = '/home/builder/project';
  it('keeps an http(s) URL, without a user name or password', () => {
    expect(publicLocation('https://go.googlesource.com/telemetry/+/refs/heads/master/config/config.json?format=TEXT', root)).toBe(
      'https://go.googlesource.com/telemetry/+/refs/heads/master/config/config.json?format=TEXT',
    );
    expect(publicLocation('https://me:secret@example.org/config.txt', root)).toBe('https://example.org/config.txt');
  });
  it('writes a file inside the project relative to the project', () => {
    expect(publicLocation('/home/builder/project/.cache/demo/config.txt', root)).toBe('.cache/demo/config.txt');
    expect(publicLocation('/home/builder/project/configs/charts.txt', root)).toBe('configs/charts.txt');
  });
  it('writes any other file by its base name alone', () => {
    expect(publicLocation('/tmp/build-42/demo/config.json', root)).toBe('config.json');
    expect(publicLocation('/home/builder/other/reference.json', root)).toBe('reference.json');
    expect(publicLocation('/home/builder/project-old/config.txt', root)).toBe('config.txt');
  });
});
