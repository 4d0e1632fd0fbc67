import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../src/cli/options.ts';

describe('--site-url', () => {
  it('takes an http(s) URL and defaults to none', () => {
    expect(parseOptions(['--site-url', 'https://owner.github.io/telemetry/'], 2)!.siteUrl).toBe('https://owner.github.io/telemetry/');
    expect(parseOptions([], 2)!.siteUrl).toBeNull();
  });
  it('refuses anything else with one clear message', () => {
    for (const bad of ['owner.github.io', 'ftp://example.org/', 'javascript:alert(1)', 'https://', ''])
      expect(() => parseOptions(['--site-url', bad], 2), bad).toThrow(UsageError);
    expect(() => parseOptions(['--site-url', 'example.org'], 2)).toThrow(/--site-url must be an http\(s\) URL/);
  });
});
