/** generateLarge against Go's real configs (read from the shared fixtures, never copied; skipped without them). */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { splitCounterName } from '../../src/config/counter.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { goReportLine, type GoReport } from '../../src/demo/gojson.ts';
import { generateLarge } from '../../src/demo/large.ts';
import { atLeast } from '../../src/demo/versions.ts';
import { GO_CHART_CONFIG, GO_UPLOAD_CONFIG, sharedFixture } from '../helpers/shared.ts';

const go = sharedFixture("Go's real chart and upload configs", [GO_CHART_CONFIG, GO_UPLOAD_CONFIG]);

let dir = '';
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!go.available)('generateLarge', () => {
  it('writes at least the target bytes, following the given chart and upload configs', async () => {
    const GO_CHARTS = go.read(GO_CHART_CONFIG);
    const GO_UPLOAD = go.read(GO_UPLOAD_CONFIG);
    dir = mkdtempSync(join(tmpdir(), 'demo-large-'));
    const target = 20_000_000;
    const m = await generateLarge({ seed: 5, outDir: dir, targetBytes: target, weeks: 4, chartConfigText: GO_CHARTS, uploadConfigText: GO_UPLOAD });
    const files = readdirSync(join(dir, 'archive')).sort();
    expect(files).toHaveLength(28);
    const bytes = files.reduce((s, f) => s + statSync(join(dir, 'archive', f)).size, 0);
    expect(bytes).toBe(m.totalBytes);
    expect(bytes).toBeGreaterThanOrEqual(target);
    expect(bytes).toBeLessThan(target * 1.05);

    const upload = parseUploadConfig(GO_UPLOAD, 'config.json');
    const charts = parseChartConfig(GO_CHARTS, 'config.txt');
    const minVersion = new Map(charts.map((c) => [`${c.program}|${c.chart}`, c.version]));
    const counters = new Map<string, number>();
    const stacks = new Map<string, { rate: number; depth: number }>();
    for (const p of upload.programs) {
      for (const c of p.counters)
        for (const b of c.buckets) counters.set(`${p.name}|${c.buckets.length === 1 && !c.name.includes(':') ? c.chart : `${c.chart}:${b}`}`, c.rate);
      for (const s of p.stacks) stacks.set(`${p.name}|${s.chart}`, { rate: s.rate, depth: s.depth ?? 16 });
    }
    const gate = new Map<string, boolean>();
    const problems: string[] = [];
    const check = (ok: boolean, msg: () => string) => {
      if (!ok && problems.length < 20) problems.push(msg());
    };
    let lines = 0;
    let sizes = 0;
    let withStacks = 0;
    const ids = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(dir, 'archive', f), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) {
        lines++;
        sizes += line.length;
        const r = JSON.parse(line) as GoReport;
        ids.add(`${r.Week}|${r.X}`);
        check(goReportLine(r) === line, () => `${f}: not Go's encoding`);
        check(r.Week === f && r.X > 0 && r.X <= upload.sampleRate, () => `${f}: Week/X`);
        for (const pr of r.Programs) {
          const prog = upload.programs.find((p) => p.name === pr.Program);
          check(!!prog && prog.versions.includes(pr.Version), () => `${f}: ${pr.Program} ${pr.Version}`);
          check(
            upload.goos.includes(pr.GOOS) && upload.goarch.includes(pr.GOARCH) && upload.goVersion.includes(pr.GoVersion),
            () => `${f}: platform ${pr.GOOS}/${pr.GOARCH}/${pr.GoVersion}`,
          );
          for (const name in pr.Counters ?? {}) {
            const rate = counters.get(`${pr.Program}|${name}`);
            check(rate !== undefined && r.X <= rate, () => `${f}: counter ${pr.Program} ${name}`);
            const chart = splitCounterName(name).chart;
            const k = `${pr.Program}|${pr.Version}|${chart}`;
            if (!gate.has(k)) gate.set(k, atLeast(pr.Version, minVersion.get(`${pr.Program}|${chart}`) ?? ''));
            check(gate.get(k)!, () => `${f}: ${name} in ${pr.Program} ${pr.Version}`);
          }
          for (const name in pr.Stacks ?? {}) {
            withStacks++;
            const frames = name.split('\n');
            const s = stacks.get(`${pr.Program}|${frames[0]}`);
            check(s !== undefined && r.X <= s.rate && frames.length - 1 <= s.depth, () => `${f}: stack ${pr.Program} ${frames[0]}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(lines).toBe(m.lines);
    expect(lines - ids.size).toBe(m.duplicates);
    expect(m.duplicates / m.reports).toBeGreaterThan(0.01);
    expect(withStacks).toBeGreaterThan(0);
    const mean = sizes / lines;
    expect(mean).toBeGreaterThan(1000);
    expect(mean).toBeLessThan(4000);
  });

  it('writes the dense profile as Go does, and the same lines as another encoder would', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-large-dense-'));
    try {
      const m = await generateLarge({
        seed: 5,
        outDir: out,
        targetBytes: 3_000_000,
        weeks: 1,
        chartConfigText: go.read(GO_CHART_CONFIG),
        uploadConfigText: go.read(GO_UPLOAD_CONFIG),
        profile: 'dense',
        otherEncoding: true,
      });
      expect(m.profile).toBe('dense');
      let goBytes = 0;
      let otherBytes = 0;
      let programReports = 0;
      let counters = 0;
      let reordered = 0;
      const problems: string[] = [];
      for (const f of readdirSync(join(out, 'archive')).sort()) {
        const goLines = readFileSync(join(out, 'archive', f), 'utf8');
        const otherLines = readFileSync(join(out, 'archive-other', f), 'utf8');
        goBytes += goLines.length;
        otherBytes += otherLines.length;
        const a = goLines.slice(0, -1).split('\n');
        const b = otherLines.slice(0, -1).split('\n');
        expect(b).toHaveLength(a.length);
        for (let k = 0; k < a.length; k++) {
          const r = JSON.parse(a[k]!) as GoReport;
          if (goReportLine(r) !== a[k] && problems.length < 5) problems.push(`${f}:${k + 1}: not Go's encoding`);
          // The same values, whatever the order and spacing.
          if (goReportLine(JSON.parse(b[k]!) as GoReport) !== a[k] && problems.length < 5) problems.push(`${f}:${k + 1}: other encoding differs`);
          if (b[k]!.includes('": ') && !b[k]!.startsWith('{"Week"')) reordered++;
          programReports += r.Programs.length;
          for (const p of r.Programs) counters += Object.keys(p.Counters ?? {}).length;
        }
      }
      expect(problems).toEqual([]);
      expect(m.totalBytes).toBe(goBytes);
      expect(m.otherBytes).toBe(otherBytes);
      // Duplicates are counted in the lines but not in programReports and counters.
      expect(programReports).toBeGreaterThanOrEqual(m.programReports);
      expect(m.totalBytes / m.reports).toBeGreaterThan(2200);
      expect(m.totalBytes / m.reports).toBeLessThan(2900);
      expect(m.programReports / m.reports).toBeGreaterThan(3.1);
      expect(m.programReports / m.reports).toBeLessThan(3.7);
      expect(m.counters / m.programReports).toBeGreaterThan(13);
      expect(m.counters / m.programReports).toBeLessThan(17);
      expect(counters / programReports).toBeGreaterThan(13);
      expect(reordered).toBeGreaterThan(m.lines / 2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
