/**
 * The default demo archive, generated once: format, upload rules, planted
 * defects, skew, and agreement with its own truth.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig, type UploadConfig } from '../../src/config/upload-config.ts';
import { splitCounterName } from '../../src/config/counter.ts';
import { generateDemo, type DemoManifest } from '../../src/demo/archive.ts';
import { goReportLine, type GoReport } from '../../src/demo/gojson.ts';
import { GOPLS } from '../../src/demo/model.ts';
import { parseStrict } from '../../src/parse/strict.ts';
import type { PlantedDuplicate, PlantedLine, PlantedUnconfigured } from '../../src/demo/plant.ts';
import { atLeast, majorMinor } from '../../src/demo/versions.ts';
import { dayRange, daysBetween, isDay, toDay, weekOf } from '../../src/lib/dates.ts';

let dir: string;
let manifest: DemoManifest;
let truth: any;
let upload: UploadConfig;
let files: Map<string, string[]>;

interface Parsed {
  day: string;
  line: number;
  text: string;
  report: GoReport;
}
let valid: Parsed[];

/** Collects the first few failures, so a loop over 100,000 lines costs no expect() per check. */
function problems() {
  const list: string[] = [];
  return {
    list,
    check(ok: boolean, msg: () => string) {
      if (!ok && list.length < 20) list.push(msg());
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demo-archive-'));
  manifest = await generateDemo({ seed: 7, outDir: dir });
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  upload = parseUploadConfig(readFileSync(join(dir, 'config.json'), 'utf8'), 'config.json');
  files = new Map();
  for (const f of readdirSync(join(dir, 'archive')).sort()) {
    const text = readFileSync(join(dir, 'archive', f), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    files.set(f, text.slice(0, -1).split('\n'));
  }
  const planted = new Set((truth.planted.malformed as PlantedLine[]).map((p) => `${p.day}#${p.line}`));
  valid = [];
  for (const [day, lines] of files) {
    lines.forEach((text, i) => {
      if (planted.has(`${day}#${i + 1}`)) return;
      valid.push({ day, line: i + 1, text, report: JSON.parse(text) });
    });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo archive layout', () => {
  it('has one file per day except the missing one, named by the day', () => {
    const days = dayRange(manifest.firstDay, manifest.lastDay);
    expect(days.length).toBe(30 * 7);
    expect(weekOf(manifest.lastDay)).toBe(manifest.lastDay);
    expect(manifest.missingDays).toHaveLength(1);
    expect([...files.keys()]).toEqual(days.filter((d) => !manifest.missingDays.includes(d)));
    expect(manifest.files).toBe(files.size);
    expect(manifest.asOf).toBe(toDay('2026-11-16'));
  });

  it('writes manifest totals that match the files', () => {
    let bytes = 0;
    let lines = 0;
    for (const f of files.keys()) bytes += readFileSync(join(dir, 'archive', f)).length;
    for (const l of files.values()) lines += l.length;
    expect(manifest.totalBytes).toBe(bytes);
    expect(manifest.lines).toBe(lines);
    expect(manifest.reports + manifest.duplicates + manifest.malformed).toBe(lines);
    for (const [day, l] of files) {
      const d = truth.days[day];
      expect(d.reports + d.duplicates + d.malformed).toBe(l.length);
    }
  });

  it('holds 2,000 to 6,000 uploaded reports per week bin, growing, thinner in the last days', () => {
    const perWeek = new Map<string, number>();
    for (const day of files.keys()) perWeek.set(weekOf(toDay(day)), (perWeek.get(weekOf(toDay(day))) ?? 0) + truth.days[day].reports);
    const counts = truth.weeks.map((w: string) => perWeek.get(w) ?? 0);
    // Complete weeks only (the missing day and the last, provisional week are thinner).
    for (const [i, c] of counts.entries())
      if (i < counts.length - 1 && i !== truth.weeks.indexOf(weekOf(manifest.missingDays[0]!))) expect(c).toBeGreaterThan(2000);
    expect(Math.max(...counts)).toBeLessThan(6000);
    expect(counts[counts.length - 2]).toBeGreaterThan(counts[0] * 1.5);
    const days = [...files.keys()];
    const avg = (ds: string[]) => ds.reduce((s, d) => s + truth.days[d].reports, 0) / ds.length;
    expect(avg(days.slice(-3))).toBeLessThan(0.7 * avg(days.slice(-24, -10)));
    // Expected counts account for the thinning.
    for (const d of days.slice(-10)) expect(Math.abs(truth.days[d].reports - truth.days[d].expected)).toBeLessThan(5 * Math.sqrt(truth.days[d].expected) + 5);
  });
});

describe('demo configs', () => {
  it('parse with the project parsers and agree with each other', () => {
    const charts = parseChartConfig(readFileSync(join(dir, 'config.txt'), 'utf8'), 'config.txt');
    expect(upload.sampleRate).toBe(0.8);
    expect(upload.goos).toContain('darwin');
    expect(upload.goarch).toContain('arm64');
    expect(upload.goVersion.length).toBeGreaterThan(5);
    const programs = new Set(charts.map((c) => c.program));
    for (const p of ['golang.org/x/tools/gopls', 'cmd/go', 'cmd/compile', 'golang.org/x/vuln/cmd/govulncheck', 'github.com/go-delve/delve/cmd/dlv'])
      expect(programs).toContain(p);
    for (const c of charts) {
      const prog = upload.programs.find((p) => p.name === c.program)!;
      const cfg = [...prog.counters, ...prog.stacks].find((x) => x.chart === c.chart)!;
      expect(cfg.buckets).toEqual(c.type === 'stack' ? [c.chart] : c.buckets);
      expect(c.type === 'stack').toBe(prog.stacks.includes(cfg));
    }
    expect(charts.some((c) => c.type === 'histogram' && c.buckets.includes('<10ms') && c.buckets.includes('>=5s'))).toBe(true);
    expect(charts.some((c) => c.issues.length >= 2)).toBe(true);
    expect(charts.some((c) => c.version !== '')).toBe(true);
    expect(upload.programs.some((p) => p.counters.some((c) => c.rate < 1))).toBe(true);
    const text = readFileSync(join(dir, 'config.txt'), 'utf8');
    expect(text).toMatch(/^#/m);
    expect(text).toMatch(/:\{\n\t/); // a multi-line counter expression
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toContain('\\u003c10ms');
  });
});

describe('demo archive lines', () => {
  it('are exactly what Go would write, one report each', () => {
    const bad = problems();
    let escaped = 0;
    for (const p of valid) {
      const text = p.text.replace(/^\uFEFF/, '').replace(/\r$/, '');
      bad.check(goReportLine(JSON.parse(text)) === text, () => `${p.day}:${p.line} is not Go's encoding`);
      bad.check(!/[<>&]/.test(text), () => `${p.day}:${p.line} has an unescaped <, > or &`);
      if (text.includes('\\u003cautogenerated\\u003e')) escaped++;
      bad.check(Object.keys(p.report).join() === 'Week,LastWeek,X,Programs,Config', () => `${p.day}:${p.line} report fields`);
      for (const pr of p.report.Programs)
        bad.check(Object.keys(pr).join() === 'Program,Version,GoVersion,GOOS,GOARCH,Counters,Stacks', () => `${p.day}:${p.line} program fields`);
    }
    expect(bad.list).toEqual([]);
    expect(escaped).toBeGreaterThan(0);
  });

  it('follow the upload config: programs, versions, platforms, sample rate, counter rates and version gates', () => {
    const charts = parseChartConfig(readFileSync(join(dir, 'config.txt'), 'utf8'), 'config.txt');
    const minVersion = new Map(charts.map((c) => [`${c.program}|${c.chart}`, c.version]));
    const unconfigured = new Set((truth.planted.unconfigured as PlantedUnconfigured[]).map((u) => `${u.day}#${u.line}#${u.counter}`));
    const programs = new Map(upload.programs.map((p) => [p.name, p]));
    const counterCfg = new Map<string, { rate: number }>();
    for (const p of upload.programs) {
      for (const c of p.counters)
        for (const b of c.buckets) counterCfg.set(`${p.name}|${c.buckets.length === 1 && !c.name.includes(':') ? c.chart : `${c.chart}:${b}`}`, c);
    }
    const gateOk = new Map<string, boolean>();
    const gate = (program: string, version: string, chart: string) => {
      const k = `${program}|${version}|${chart}`;
      let ok = gateOk.get(k);
      if (ok === undefined) gateOk.set(k, (ok = atLeast(version, minVersion.get(`${program}|${chart}`) ?? '')));
      return ok;
    };
    const bad = problems();
    let nullCounters = 0;
    let nullStacks = 0;
    let unconfiguredSeen = 0;
    let rateDropped = 0;
    for (const { day, line, report: r } of valid) {
      const at = `${day}:${line}`;
      bad.check(r.Week === day, () => `${at} Week ${r.Week}`);
      bad.check(r.X > 0 && r.X <= upload.sampleRate, () => `${at} X ${r.X}`);
      bad.check(r.Config === manifest.configVersion, () => `${at} Config`);
      if (r.LastWeek !== '') {
        const gap = isDay(r.LastWeek) ? daysBetween(r.LastWeek, toDay(r.Week)) : -1;
        bad.check(gap > 0 && gap % 7 === 0, () => `${at} LastWeek ${r.LastWeek}`);
      }
      bad.check(r.Programs.length > 0, () => `${at} no programs`);
      for (const pr of r.Programs) {
        const prog = programs.get(pr.Program);
        if (!prog) {
          bad.check(false, () => `${at} program ${pr.Program}`);
          continue;
        }
        bad.check(prog.versions.includes(pr.Version), () => `${at} version ${pr.Version}`);
        bad.check(upload.goos.includes(pr.GOOS) && upload.goarch.includes(pr.GOARCH) && upload.goVersion.includes(pr.GoVersion), () => `${at} platform`);
        if (pr.Program.startsWith('cmd/')) bad.check(pr.GoVersion === pr.Version, () => `${at} toolchain GoVersion`);
        if (pr.Counters === null) nullCounters++;
        if (pr.Stacks === null) nullStacks++;
        for (const name in pr.Counters ?? {}) {
          const v = pr.Counters![name]!;
          bad.check(Number.isInteger(v) && v > 0, () => `${at} count ${name}=${v}`);
          const cfg = counterCfg.get(`${pr.Program}|${name}`);
          if (!cfg) {
            bad.check(unconfigured.has(`${day}#${line}#${name}`), () => `${at} unconfigured counter ${name}`);
            unconfiguredSeen++;
            continue;
          }
          bad.check(r.X <= cfg.rate, () => `${at} ${name} present with X ${r.X} > rate ${cfg.rate}`);
          bad.check(gate(pr.Program, pr.Version, splitCounterName(name).chart), () => `${at} ${name} in ${pr.Version}`);
        }
        for (const name in pr.Stacks ?? {}) {
          const v = pr.Stacks![name]!;
          bad.check(Number.isInteger(v) && v > 0, () => `${at} stack count ${v}`);
          const frames = name.split('\n');
          const cfg = prog.stacks.find((c) => c.chart === frames[0]);
          if (!cfg) {
            bad.check(false, () => `${at} unconfigured stack ${frames[0]}`);
            continue;
          }
          bad.check(r.X <= cfg.rate, () => `${at} stack rate`);
          bad.check(frames.length - 1 <= (cfg.depth ?? 16), () => `${at} stack depth`);
          bad.check(gate(pr.Program, pr.Version, frames[0]!), () => `${at} ${frames[0]} in ${pr.Version}`);
        }
      }
      if (r.X > 0.25) rateDropped++;
    }
    expect(bad.list).toEqual([]);
    expect(unconfiguredSeen).toBe(truth.planted.unconfigured.length);
    expect(truth.planted.unconfigured.length).toBeGreaterThan(0);
    expect(nullCounters).toBeGreaterThan(0);
    expect(nullStacks).toBeGreaterThan(0);
    expect(rateDropped).toBeGreaterThan(0);
  });

  it("are accepted by the project's strict parser as the same report", () => {
    const bad = problems();
    for (const p of valid.filter((_, i) => i % 7 === 0)) {
      const r = parseStrict(p.text.replace(/\r$/, ''));
      if (!r.ok) {
        bad.check(p.text.startsWith('\uFEFF'), () => `${p.day}:${p.line} rejected: ${r.reason}`);
        continue;
      }
      bad.check(
        r.report.week === p.report.Week && r.report.x === p.report.X && r.report.programs.length === p.report.Programs.length,
        () => `${p.day}:${p.line} differs`,
      );
    }
    expect(bad.list).toEqual([]);
  });

  it('use every weekday, each installation on its own', () => {
    const weekdays = new Set(valid.map((p) => new Date(p.report.Week + 'T00:00:00Z').getUTCDay()));
    expect(weekdays.size).toBe(7);
  });

  it('put two ProgramReports in about 10% of gopls reports', () => {
    let gopls = 0;
    let two = 0;
    let twoVersions = 0;
    let twoGoos = 0;
    for (const { report } of valid) {
      const prs = report.Programs.filter((p) => p.Program === GOPLS);
      if (prs.length === 0) continue;
      gopls++;
      if (prs.length === 2) {
        two++;
        if (prs[0]!.Version !== prs[1]!.Version) twoVersions++;
        if (prs[0]!.GOOS !== prs[1]!.GOOS) twoGoos++;
      }
    }
    expect(two / gopls).toBeGreaterThan(0.06);
    expect(two / gopls).toBeLessThan(0.14);
    expect(twoVersions).toBeGreaterThan(0);
    expect(twoGoos).toBeGreaterThan(0);
  });
});

describe('planted defects', () => {
  it('lists exactly the malformed lines in the files', () => {
    const planted = truth.planted.malformed as PlantedLine[];
    expect(new Set(planted.map((p) => p.kind)).size).toBe(11);
    expect(new Set(planted.map((p) => p.day)).size).toBeGreaterThanOrEqual(3);
    for (const p of planted) {
      const text = files.get(p.day)![p.line - 1]!;
      expect(Buffer.byteLength(text)).toBe(p.bytes);
      let parsed: any = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      expect(parsed !== null).toBe(p.jsonParses);
      const payload = (() => {
        try {
          return JSON.parse(text.replace(/^\uFEFF/, '').replace(/\r$/, ''));
        } catch {
          return null;
        }
      })();
      switch (p.kind) {
        case 'truncated':
        case 'garbage':
          expect(payload).toBeNull();
          break;
        case 'empty-line':
          expect(text).toBe('');
          break;
        case 'x-string':
          expect(typeof payload.X).toBe('string');
          break;
        case 'x-out-of-range':
          expect(payload.X).toBe(1.5);
          break;
        case 'week-not-date':
          expect(isDay(payload.Week)).toBe(false);
          break;
        case 'week-mismatch':
          expect(isDay(payload.Week) && payload.Week !== p.day).toBe(true);
          break;
        case 'negative-counter':
          expect(payload.Programs.some((pr: any) => Object.values(pr.Counters ?? {}).some((v) => (v as number) < 0))).toBe(true);
          break;
        case 'bom':
          expect(text.startsWith('\uFEFF')).toBe(true);
          expect(p.payloadValid).toBe(true);
          break;
        case 'cr':
          expect(text.endsWith('\r')).toBe(true);
          expect(p.payloadValid).toBe(true);
          break;
        case 'huge':
          expect(p.bytes).toBeGreaterThan(1 << 20);
          expect(p.payloadValid).toBe(true);
          break;
      }
    }
    // No other line is malformed: every remaining line parsed in beforeAll.
    expect(valid.length + planted.length).toBe(manifest.lines);
    expect(planted.some((p) => manifest.missingDays.includes(p.day))).toBe(false);
  });

  it('lists exactly the duplicate lines, about 2% of reports', () => {
    const found: PlantedDuplicate[] = [];
    const planted = new Set((truth.planted.malformed as PlantedLine[]).map((p) => `${p.day}#${p.line}`));
    for (const [day, lines] of files) {
      const first = new Map<string, number>();
      lines.forEach((t, i) => {
        if (planted.has(`${day}#${i + 1}`)) return;
        const at = first.get(t);
        if (at !== undefined) found.push({ day: toDay(day), line: i + 1, of: at });
        else first.set(t, i + 1);
      });
    }
    expect(found).toEqual(truth.planted.duplicates);
    const perDay: Record<string, number> = {};
    for (const d of found) perDay[d.day] = (perDay[d.day] ?? 0) + 1;
    expect(perDay).toEqual(truth.planted.duplicatesPerDay);
    expect(found.length / manifest.reports).toBeGreaterThan(0.015);
    expect(found.length / manifest.reports).toBeLessThan(0.025);
    // A duplicate repeats Week and X; distinct reports never share them.
    const ids = new Set(valid.map((p) => `${p.report.Week}|${p.report.X}`));
    expect(ids.size).toBe(valid.length - found.length);
  });
});

describe('skew and truth', () => {
  it('writes the reference census in the contract format', () => {
    const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
    expect(ref.source).toBe('Demo developer census');
    expect(isDay(ref.date)).toBe(true);
    expect(Number.isInteger(ref.size)).toBe(true);
    for (const dim of ['GOOS', 'GOARCH', 'gopls/client']) {
      const sum = Object.values<number>(ref.dimensions[dim]).reduce((a, b) => a + b, 0);
      expect(sum).toBeLessThanOrEqual(1);
      expect(sum).toBeGreaterThan(0.99);
    }
  });

  it('over-represents darwin and VS Code and under-represents Windows, as intended', () => {
    const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
    expect(truth.skew.GOOS.darwin).toBeGreaterThan(1.8);
    expect(truth.skew.GOOS.windows).toBeLessThan(0.6);
    expect(truth.skew.GOOS.linux).toBeLessThan(0.75);
    expect(truth.skew['gopls/client'].vscode).toBeGreaterThan(1.25);
    expect(truth.skew['gopls/client'].neovim).toBeLessThan(0.65);
    // The archive's GOOS shares (one GOOS per report; a WSL report counts as windows) show it.
    const counts: Record<string, number> = {};
    for (const { report } of valid) {
      const oses = new Set(report.Programs.map((p) => p.GOOS));
      const goos = oses.has('windows') ? 'windows' : [...oses][0]!;
      counts[goos] = (counts[goos] ?? 0) + 1;
    }
    const n = valid.length;
    for (const goos of ['darwin', 'linux', 'windows']) {
      const share = counts[goos]! / n;
      // Against the truth's expected composition, averaged over weeks by expected uploads.
      let num = 0;
      let den = 0;
      for (const w of truth.weeks) {
        const e = truth.expected.weeks[w].arrived;
        num += e * truth.composition.optedIn[w].all.GOOS[goos];
        den += e;
      }
      expect(Math.abs(share - num / den)).toBeLessThan(0.01);
      // And against the census: the intended ratio, within the pool's sampling error.
      expect(share / ref.dimensions.GOOS[goos]).toBeCloseTo(truth.skew.GOOS[goos], 0);
      expect(Math.abs(share / ref.dimensions.GOOS[goos] / truth.skew.GOOS[goos] - 1)).toBeLessThan(0.1);
    }
  });

  it('makes opted-in and whole-population prevalences differ where behaviour depends on group', () => {
    const w = truth.weeks[truth.weeks.length - 2];
    const gopls = truth.programs[GOPLS].charts;
    const diff = (chart: string, bucket: string) => {
      const c = gopls[chart];
      const i = c.buckets.indexOf(bucket);
      return c.weeks[w].opt.p[i] - c.weeks[w].pop.p[i];
    };
    expect(diff('gopls/client', 'vscode')).toBeGreaterThan(0.08);
    expect(diff('gopls/client', 'neovim')).toBeLessThan(-0.05);
    expect(diff('gopls/codeaction', 'extract')).toBeGreaterThan(0.03);
    expect(diff('GOOS', 'darwin')).toBeGreaterThan(0.15);
  });

  it('agrees with estimates from the archive (rate-eligible denominators, deduplicated)', () => {
    type Acc = { n: number; has: Map<string, number> };
    const acc = new Map<string, Acc>();
    const seen = new Set<string>();
    for (const { report: r } of valid) {
      if (r.Week === undefined) continue;
      const id = `${r.Week}|${r.X}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const week = weekOf(toDay(r.Week));
      const byProgram = new Map<string, Set<string>>();
      for (const pr of r.Programs) {
        const s = byProgram.get(pr.Program) ?? new Set<string>();
        byProgram.set(pr.Program, s);
        for (const [name, v] of [...Object.entries(pr.Counters ?? {}), ...Object.entries(pr.Stacks ?? {})]) {
          if (v <= 0) continue;
          if (name.includes('\n')) s.add(`${name.slice(0, name.indexOf('\n'))}\u0000${name}`);
          else {
            const { chart, bucket } = splitCounterName(name);
            s.add(`${chart}\u0000${bucket}`);
          }
        }
        s.add(`GOOS\u0000${pr.GOOS}`);
        s.add(`GOARCH\u0000${pr.GOARCH}`);
        s.add(`Version\u0000${majorMinor(pr.Version)}`);
        s.add(`GoVersion\u0000${majorMinor(pr.GoVersion)}`);
      }
      for (const [program, s] of byProgram) {
        const charts = truth.programs[program].charts;
        for (const chart in charts) {
          if (r.X > charts[chart].rate) continue;
          const key = `${week}|${program}|${chart}`;
          const a = acc.get(key) ?? { n: 0, has: new Map() };
          acc.set(key, a);
          a.n++;
        }
        for (const item of s) {
          const cut = item.indexOf('\u0000');
          const chart = item.slice(0, cut);
          if (!charts[chart] || r.X > charts[chart].rate) continue;
          const a = acc.get(`${week}|${program}|${chart}`)!;
          const b = item.slice(cut + 1);
          a.has.set(b, (a.has.get(b) ?? 0) + 1);
        }
      }
    }
    let cells = 0;
    let within = 0;
    let maxZ = 0;
    for (const [key, a] of acc) {
      const [w, program, chart] = key.split('|') as [string, string, string];
      const info = truth.programs[program].charts[chart];
      const t = info.weeks[w].opt;
      info.buckets.forEach((b: string, i: number) => {
        const p = t.p[i];
        if (a.n * p < 10 || a.n * (1 - p) < 10) return;
        const z = ((a.has.get(b) ?? 0) / a.n - p) / Math.sqrt((p * (1 - p)) / a.n);
        cells++;
        if (Math.abs(z) < 1.96) within++;
        maxZ = Math.max(maxZ, Math.abs(z));
      });
    }
    expect(cells).toBeGreaterThan(2000);
    expect(within / cells).toBeGreaterThan(0.92);
    expect(maxZ).toBeLessThan(5.5);
  });
});
