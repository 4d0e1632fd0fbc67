/**
 * govulncheck: scan level, mode and output format of its runs. CI machines
 * run it most, with JSON or SARIF output.
 */
import { type Cell, type ChartModel, GOVULNCHECK, type ProgramModel } from '../model-types.ts';
import { counterNames, normalize, pick } from './common.ts';
import { VULN_RELEASES } from './releases.ts';

/** The govulncheck model; it has no stack chart, so it draws nothing from the stacks stream. */
export function govulncheckProgram(): ProgramModel {
  return {
    name: GOVULNCHECK,
    base: 'govulncheck',
    module: 'golang.org/x/vuln',
    releases: VULN_RELEASES,
    toolchain: false,
    speed: (c) => (c.activity === 'ci' ? { d: 2, s: 1, key: 'ci' } : { d: 6, s: 3, key: 'user' }),
    upgradeSplit: 0.02,
    wslSplit: 0,
    charts: [
      vulnChart(
        'govulncheck/scan',
        ['symbol', 'package', 'module'],
        1,
        (c) => (c.activity === 'ci' ? [0.7, 0.2, 0.1] : [0.86, 0.1, 0.04]),
        'Scan level distribution',
      ),
      vulnChart(
        'govulncheck/mode',
        ['source', 'binary', 'extract', 'query', 'convert'],
        1,
        (c) => normalize(c.activity === 'ci' ? [0.7, 0.25, 0.03, 0, 0.02] : [0.84, 0.11, 0.02, 0.015, 0.015]),
        'Scan mode distribution',
      ),
      vulnChart(
        'govulncheck/format',
        ['text', 'json', 'sarif', 'openvex'],
        0.5,
        (c) => (c.activity === 'ci' ? [0.2, 0.42, 0.35, 0.03] : c.goos === 'windows' ? [0.88, 0.09, 0.025, 0.005] : [0.8, 0.14, 0.05, 0.01]),
        'Output format distribution',
      ),
    ],
  };
}

/** One govulncheck chart: runs per week split over `buckets` by `f`; the charts after scan share its number of runs. */
function vulnChart(name: string, buckets: string[], rate: number, f: (c: Cell) => number[], title: string): ChartModel {
  return {
    chart: name,
    type: 'partition',
    buckets,
    names: counterNames(name, buckets),
    rate,
    minVersion: '',
    title,
    description: `measure govulncheck ${title.toLowerCase()}`,
    issues: ['https://go.dev/issue/67678'],
    model: 'multinomial',
    ...(name === 'govulncheck/scan' ? {} : { nFrom: 'govulncheck/scan' }),
    params: (c) => ({ present: 1, mean: pick(c, { light: 1.5, regular: 3, heavy: 8, ci: 40 }), f: f(c) }),
  };
}
