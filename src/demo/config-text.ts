/**
 * The demo's own chart config (Go's config.txt format) and upload config
 * (Go's config.json format), both rendered from the model so the archive,
 * the configs and the truth can never disagree.
 */
import { type ChartModel, type DemoModel, type ProgramModel, SAMPLE_RATE } from './model.ts';

/** The counter expression of a chart as the upload config names it. */
function counterExpression(ch: ChartModel): string {
  if (ch.type === 'stack' || (ch.buckets.length === 1 && ch.names[0] === ch.chart)) return ch.chart;
  return `${ch.chart}:{${ch.buckets.join(',')}}`;
}

function configCounterLines(ch: ChartModel): string[] {
  if (ch.multiline && ch.type !== 'stack') return [`counter: ${ch.chart}:{`, ...ch.buckets.map((b, i) => `\t${b}${i < ch.buckets.length - 1 ? ',' : ''}`), '}'];
  return [`counter: ${counterExpression(ch)}${ch.type === 'stack' ? ' # a stack counter' : ''}`];
}

/** Program order in both configs: as Go's files list them, tools first. */
function configOrder(model: DemoModel): ProgramModel[] {
  const rank = (p: ProgramModel) => (p.base === 'gopls' ? 0 : p.base === 'go' ? 1 : p.base === 'compile' ? 2 : p.base === 'govulncheck' ? 3 : 4);
  return [...model.programs].sort((a, b) => rank(a) - rank(b));
}

/** The demo chart config text (`config.txt`). */
export function demoChartConfig(model: DemoModel): string {
  const out: string[] = [
    '# Chart config of the demo archive, in the format of golang.org/x/telemetry',
    '# internal/chartconfig/config.txt. Generated with the demo archive: the',
    '# upload config (config.json) and the truth (truth.json) follow it.',
    '',
  ];
  const records: string[][] = [];
  for (const p of configOrder(model)) {
    for (const ch of p.charts) {
      const r: string[] = [];
      if (ch.comment) r.push(`# ${ch.comment}`);
      r.push(`title: ${ch.title}`);
      r.push(...configCounterLines(ch));
      r.push(`description: ${ch.description}`);
      r.push(`type: ${ch.type}`);
      ch.issues.forEach((issue, i) => r.push(`issue: ${issue}${i === 1 && ch.issues.length > 1 ? ' # follow-up' : ''}`));
      r.push(`program: ${p.name}`);
      if (p.module) r.push(`module: ${p.module}`);
      if (ch.minVersion) r.push(`version: ${ch.minVersion}${ch.type === 'histogram' ? ' # first release with the histogram' : ''}`);
      if (ch.depth !== undefined) r.push(`depth: ${ch.depth}`);
      if (ch.error !== undefined) r.push(`error: ${ch.error}`);
      records.push(r);
    }
  }
  out.push(records.map((r) => r.join('\n')).join('\n---\n'));
  return out.join('\n') + '\n';
}

const GOOS_LIST = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'illumos',
  'ios',
  'js',
  'linux',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
];
const GOARCH_LIST = ['386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle', 'ppc64', 'ppc64le', 'riscv64', 's390x', 'wasm'];

/** Every released version of a program plus the prereleases before its minor releases. */
function versionsOf(p: ProgramModel): string[] {
  const out: string[] = [];
  for (const r of p.releases) {
    if (r.major) out.push(p.toolchain ? r.version.replace(/\.0$/, 'rc1') : `${r.version}-pre.1`);
    out.push(r.version);
  }
  return out;
}

/** The demo upload config text (`config.json`), tab-indented like Go's. */
export function demoUploadConfig(model: DemoModel): string {
  const goVersions: string[] = ['go1.24.0', 'go1.24.13', 'go1.25.0', 'go1.25.7'];
  for (const r of model.goReleases) {
    if (r.major) goVersions.push(r.version.replace(/\.0$/, 'rc1'));
    goVersions.push(r.version);
  }
  const programs = [...model.programs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => {
      const counters = p.charts.filter((c) => c.type !== 'stack').map((c) => ({ Name: counterExpression(c), Rate: c.rate }));
      const stacks = p.charts.filter((c) => c.type === 'stack').map((c) => ({ Name: c.chart, Rate: c.rate, Depth: c.depth ?? 16 }));
      return { Name: p.name, Versions: versionsOf(p), Counters: counters.length ? counters : null, Stacks: stacks.length ? stacks : null };
    });
  const cfg = { GOOS: GOOS_LIST, GOARCH: GOARCH_LIST, GoVersion: [...new Set(goVersions)], SampleRate: SAMPLE_RATE, Programs: programs };
  // Go's encoder escapes <, > and & (histogram buckets such as <10ms) in config.json too.
  return JSON.stringify(cfg, null, '\t').replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) + '\n';
}
