import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { GO_UPLOAD_CONFIG, sharedFixture } from '../helpers/shared.ts';

const go = sharedFixture("Go's real upload config", [GO_UPLOAD_CONFIG]);

describe('upload config', () => {
  it.skipIf(!go.available)("parses Go's real config.json with every program, counter and stack accounted for", () => {
    const text = go.read(GO_UPLOAD_CONFIG);
    const raw = JSON.parse(text);
    const cfg = parseUploadConfig(text, 'config.json');
    expect(cfg.sampleRate).toBe(raw.SampleRate ?? 1);
    expect(cfg.goos).toEqual(raw.GOOS);
    expect(cfg.goarch).toEqual(raw.GOARCH);
    expect(cfg.goVersion).toEqual(raw.GoVersion);
    expect(cfg.programs.map((p) => p.name)).toEqual(raw.Programs.map((p: { Name: string }) => p.Name));
    for (const [i, p] of cfg.programs.entries()) {
      const rp = raw.Programs[i];
      expect(p.versions).toEqual(rp.Versions ?? []);
      expect(p.counters.map((c) => c.name)).toEqual((rp.Counters ?? []).map((c: { Name: string }) => c.Name));
      expect(p.stacks.map((c) => c.name)).toEqual((rp.Stacks ?? []).map((c: { Name: string }) => c.Name));
      for (const c of [...p.counters, ...p.stacks]) {
        expect(c.rate).toBeGreaterThan(0);
        expect(c.buckets.length).toBeGreaterThan(0);
      }
    }
    const gopls = cfg.programs.find((p) => p.name === 'golang.org/x/tools/gopls')!;
    const client = gopls.counters.find((c) => c.chart === 'gopls/client')!;
    expect(client.buckets).toContain('vscode');
    expect(gopls.stacks.find((s) => s.chart === 'gopls/bug')!.depth).toBe(16);
  });

  it('rejects bad configs with a reason', () => {
    const bad = (text: string) => {
      try {
        parseUploadConfig(text, 'u.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).message;
      }
      throw new Error('expected an error');
    };
    expect(bad('{"Programs": [')).toMatch(/^u\.json:1: not valid JSON/);
    expect(bad('{}')).toMatch(/Programs/);
    expect(bad('{"SampleRate": 1.5, "Programs": []}')).toMatch(/SampleRate: a rate must be <= 1/);
    expect(bad('{"Programs": [{"Name": "p", "Counters": [{"Name": "c:{a,", "Rate": 1}]}]}')).toMatch(/Programs\.0\.Counters\.0/);
    expect(bad('{"Programs": [{"Name": "p"}, {"Name": "p"}]}')).toMatch(/listed twice/);
    expect(bad('{"Programs": [{"Name": "p", "Counters": [{"Name": "c:a", "Rate": 0}]}]}')).toMatch(/> 0/);
  });
});
