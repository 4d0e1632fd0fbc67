/**
 * An independent port of the Go dashboard worker's counting
 * (golang.org/x/telemetry godev/cmd/worker: nest + partition), used as an
 * oracle: for each week (Week date), program and chart it gives the number of
 * distinct X values whose reports hold each bucket.
 */
import type { UploadConfig } from '../../src/config/upload-config.ts';
import { goMajorMinor, isToolchainProgram, versionMajorMinor } from '../../src/lib/versions.ts';
import type { GoReport } from './reports.ts';

type Data = Map<string, Map<string, Map<string, Map<string, Set<number>>>>>; // week -> program -> chart -> counter -> X set

function split(name: string): [string, string] {
  const i = name.indexOf(':');
  return i < 0 ? [name, name] : [name.slice(0, i), name.slice(i + 1)];
}

function normalize(prefix: string, counter: string): string {
  switch (prefix) {
    case 'Version':
      if (counter === 'devel') return `${prefix}:${counter}`;
      return `${prefix}:${counter.startsWith('go') ? goMajorMinor(counter) : versionMajorMinor(counter)}`;
    case 'GOOS':
    case 'GOARCH':
      return `${prefix}:${counter}`;
    case 'GoVersion':
      return `${prefix}:${goMajorMinor(counter)}`;
  }
  return counter;
}

function write(d: Data, week: string, program: string, prefix: string, counter: string, x: number) {
  const c = normalize(prefix, counter);
  const m1 = d.get(week) ?? d.set(week, new Map()).get(week)!;
  const m2 = m1.get(program) ?? m1.set(program, new Map()).get(program)!;
  const m3 = m2.get(prefix) ?? m2.set(prefix, new Map()).get(prefix)!;
  (m3.get(c) ?? m3.set(c, new Set()).get(c)!).add(x);
  if (prefix !== c) (m3.get(prefix) ?? m3.set(prefix, new Set()).get(prefix)!).add(x);
}

/** Returns week -> program -> chart -> bucket -> unique report count, for configured buckets only. */
export function goWorkerCounts(reports: GoReport[], cfg: UploadConfig): Map<string, number> {
  const d: Data = new Map();
  for (const r of reports) {
    for (const p of r.Programs ?? []) {
      write(d, r.Week, p.Program, 'Version', p.Version, r.X);
      write(d, r.Week, p.Program, 'GOOS', p.GOOS, r.X);
      write(d, r.Week, p.Program, 'GOARCH', p.GOARCH, r.X);
      write(d, r.Week, p.Program, 'GoVersion', p.GoVersion, r.X);
      for (const c of Object.keys(p.Counters ?? {})) write(d, r.Week, p.Program, split(c)[0], c, r.X);
    }
  }
  const out = new Map<string, number>();
  for (const [week, progs] of d) {
    for (const p of cfg.programs) {
      const charts: [string, string[]][] = [];
      if (!isToolchainProgram(p.name)) charts.push(['Version', p.versions]);
      charts.push(['GOOS', cfg.goos], ['GOARCH', cfg.goarch], ['GoVersion', cfg.goVersion]);
      for (const c of p.counters) charts.push([c.chart, c.buckets.map((b) => (c.name.includes(':') ? `${c.chart}:${b}` : c.chart))]);
      for (const [chart, counters] of charts) {
        const g = progs.get(p.name)?.get(chart);
        if (!g || (g.get(chart)?.size ?? 0) === 0) continue; // the worker omits charts with no data
        for (const counter of counters) {
          const c = normalize(chart, counter);
          out.set(`${week}|${p.name}|${chart}|${split(c)[1]}`, g.get(c)?.size ?? 0);
        }
      }
    }
  }
  return out;
}
