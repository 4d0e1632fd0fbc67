/**
 * cmd/go, the go command: its subcommands, the total of invocations, the
 * -buildmode values, and the host macOS version. CI machines run `go test`
 * and `vet` most; package-manager Linux installs build PIE binaries more often.
 */
import { type Activity, type Cell, type ChartModel, CMD_GO, type ProgramModel } from '../model-types.ts';
import { clamp, counterNames, normalize, pick } from './common.ts';
import { GO_RELEASES, GO_UPGRADE_SPLIT, goToolchainSpeed } from './releases.ts';

/** The cmd/go model; it has no stack chart, so it draws nothing from the stacks stream. */
export function cmdGoProgram(): ProgramModel {
  return {
    name: CMD_GO,
    base: 'go',
    module: '',
    releases: GO_RELEASES,
    toolchain: true,
    speed: goToolchainSpeed,
    upgradeSplit: GO_UPGRADE_SPLIT,
    wslSplit: 0,
    charts: [subcommandChart(), invocationsChart(), buildmodeChart(), darwinMajorChart()],
  };
}

const SUBCOMMANDS = ['build', 'test', 'run', 'mod', 'vet', 'generate', 'install', 'get', 'work', 'env'];
function subcommandF(c: Cell): number[] {
  if (c.activity === 'ci') return normalize([0.2, 0.48, 0.02, 0.1, 0.12, 0.04, 0.02, 0.005, 0, 0.015]);
  if (c.goos === 'windows') return normalize([0.36, 0.14, 0.24, 0.09, 0.01, 0.02, 0.05, 0.06, 0.005, 0.025]);
  if (c.goos === 'darwin') return normalize([0.28, 0.25, 0.19, 0.09, 0.03, 0.02, 0.04, 0.05, 0.01, 0.04]);
  return normalize([0.27, 0.27, 0.16, 0.09, 0.03, 0.03, 0.04, 0.05, 0.01, 0.05]);
}
const INVOCATIONS: Record<Activity, number> = { light: 12, regular: 70, heavy: 400, ci: 1500 };

/** go/subcommand: invocations split over subcommands. */
function subcommandChart(): ChartModel {
  return {
    chart: 'go/subcommand',
    type: 'partition',
    buckets: SUBCOMMANDS,
    names: counterNames('go/subcommand', SUBCOMMANDS),
    rate: 1,
    minVersion: '',
    title: 'go command subcommands',
    description: 'Which subcommands of the go command run.',
    issues: ['https://go.dev/issue/67244'],
    multiline: true,
    model: 'multinomial',
    params: (c) => ({ present: 1, mean: INVOCATIONS[c.activity], f: subcommandF(c) }),
  };
}

/** go/invocations: the number of go/subcommand events. */
function invocationsChart(): ChartModel {
  return {
    chart: 'go/invocations',
    type: 'partition',
    buckets: ['go/invocations'],
    names: ['go/invocations'],
    rate: 1,
    minVersion: '',
    title: 'cmd/go invocations',
    description: 'Number of invocations of the go command.',
    issues: ['https://go.dev/issue/67244'],
    model: 'total',
    of: 'go/subcommand',
  };
}

const BUILDMODE = ['default', 'exe', 'pie', 'c-archive', 'c-shared', 'plugin', 'archive'];
function buildmodeP(c: Cell): number[] {
  const linux = c.goos === 'linux';
  const p = [
    0.02,
    c.goos === 'windows' ? 0.12 : 0.008,
    linux ? (c.linuxPkg ? 0.11 : 0.05) : c.goos === 'darwin' ? 0.01 : c.goos === 'freebsd' ? 0.03 : 0.004,
    c.goos === 'darwin' ? 0.02 : 0.012,
    linux ? 0.03 : c.goos === 'darwin' ? 0.025 : 0.02,
    linux ? 0.004 : 0,
    0.003,
  ];
  const a = pick(c, { light: 0.4, regular: 1, heavy: 2.2, ci: 3 });
  return p.map((x) => clamp(x * a, 0.9));
}

/** go/build/flag/buildmode: -buildmode values, by platform. */
function buildmodeChart(): ChartModel {
  return {
    chart: 'go/build/flag/buildmode',
    type: 'partition',
    buckets: BUILDMODE,
    names: counterNames('go/build/flag/buildmode', BUILDMODE),
    rate: 0.5,
    minVersion: '',
    title: 'cmd/go buildmode values',
    description: 'Values of the -buildmode flag given to the go command.',
    issues: ['https://go.dev/issue/67244', 'https://go.dev/issue/67245'],
    multiline: true,
    error: 0.05,
    model: 'independent',
    params: (c) => ({ p: buildmodeP(c), mu: BUILDMODE.map(() => pick(c, { light: 2, regular: 3, heavy: 6, ci: 40 })) }),
  };
}

const DARWIN_MAJOR = ['22', '23', '24', '25', '26'];
function darwinMajorPrimary(t: number): number[] {
  // macOS 26 (Darwin 25) ... the newest major ships around 60% into the window and is adopted gradually.
  const newest = t < 0.6 ? 0 : 0.55 * (1 - Math.exp(-(t - 0.6) * 5));
  const rest = [0.03, 0.08, 0.27, 0.62].map((x) => x * (1 - newest));
  return [...rest, newest];
}

/** go/platform/host/darwin/major-version: darwin hosts only, a new major adopted late in the window. */
function darwinMajorChart(): ChartModel {
  return {
    chart: 'go/platform/host/darwin/major-version',
    type: 'partition',
    buckets: DARWIN_MAJOR,
    names: counterNames('go/platform/host/darwin/major-version', DARWIN_MAJOR),
    rate: 1,
    minVersion: 'go1.26.0',
    title: 'Darwin OS version (subtract 9 for the macOS version)',
    description: 'Major Darwin version of the host running the go command.',
    issues: ['https://go.dev/issue/71159'],
    model: 'primary',
    params: (c, t) => {
      const primary = darwinMajorPrimary(t);
      return {
        present: c.goos === 'darwin' ? 1 : 0,
        primary,
        // An OS upgrade during the week shows both majors.
        extra: primary.map((_, i) => (i > 0 ? 0.02 : 0)),
        mu: INVOCATIONS[c.activity],
        muExtra: 10,
      };
    },
  };
}
