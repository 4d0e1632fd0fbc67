/**
 * Synthetic stack counters: plausible Go call stacks in the form the telemetry
 * client writes (`name\nframe\nframe...`, each frame `func:+lineOffset`,
 * at most `depth` frames), with a heavy-tailed (Zipf) popularity.
 */
import type { Rng } from '../lib/random.ts';

/** Function names by program family, used to build frames. */
const FUNCS: Record<string, string[]> = {
  gopls: [
    'internal/cache.(*Snapshot).load',
    'internal/cache.(*Snapshot).TypeCheck',
    'internal/cache.(*typeCheckBatch).checkPackage',
    'internal/cache.(*typeCheckBatch).getImportGraph',
    'internal/cache.(*Session).DidModifyFiles',
    'internal/cache.(*View).snapshot',
    'internal/cache/metadata.Graph.Clone',
    'internal/cache/parsego.Parse',
    'internal/cache.(*parseCache).parseFiles',
    'internal/golang.Completion',
    'internal/golang/completion.(*completer).collectCompletions',
    'internal/golang/completion.(*completer).expectedCallParamType',
    'internal/golang.Hover',
    'internal/golang.References',
    'internal/golang.Rename',
    'internal/golang.PrepareRename',
    'internal/golang.Definition',
    'internal/golang.Implementation',
    'internal/golang.CodeActions',
    'internal/golang.inlineCall',
    'internal/golang.extractFunctionMethod',
    'internal/golang.SignatureHelp',
    'internal/golang.DocumentSymbols',
    'internal/golang.semanticTokens',
    'internal/golang.(*tokenVisitor).inspect',
    'internal/golang.InlayHint',
    'internal/server.(*server).Hover',
    'internal/server.(*server).Completion',
    'internal/server.(*server).Rename',
    'internal/server.(*server).CodeAction',
    'internal/server.(*server).DidChange',
    'internal/server.(*server).diagnoseChangedViews',
    'internal/server.(*server).Initialize',
    'internal/protocol.serverDispatch',
    'internal/protocol.ServerHandler.func1',
    'internal/lsprpc.(*streamServer).ServeStream.func1',
    'internal/analysis/fillstruct.populateValue',
    'internal/util/astutil.PathEnclosingInterval',
  ],
  go: [
    'internal/modload.LoadPackages',
    'internal/modload.loadFromRoots',
    'internal/load.PackagesAndErrors',
    'internal/load.(*Package).load',
    'internal/work.(*Builder).Do',
    'internal/work.(*Builder).build',
    'internal/work.(*Builder).link',
    'internal/modfetch.(*codeRepo).Stat',
    'internal/vcs.(*Cmd).run1',
    'internal/toolchain.Exec',
    'internal/test.runTest',
    'internal/cache.(*DiskCache).Get',
  ],
  compile: [
    'internal/base.FatalfAt',
    'internal/base.Fatalf',
    'internal/ssagen.(*state).Fatalf',
    'internal/ssagen.(*ssafn).Fatalf',
    'internal/ssa.(*Func).Fatalf',
    'internal/ssa.Compile',
    'internal/ssa.cse',
    'internal/ssa.regalloc',
    'internal/ssa.(*regAllocState).regalloc',
    'internal/ssagen.buildssa',
    'internal/ssagen.(*state).stmt',
    'internal/ssagen.(*state).expr',
    'internal/ssagen.(*state).stmtList',
    'internal/noder.(*reader).funcBody',
    'internal/noder.(*reader).expr',
    'internal/noder.unified',
    'internal/noder.LoadPackage',
    'internal/types2.(*Checker).handleBailout',
    'internal/types2.(*Checker).exprInternal',
    'internal/types2.(*Checker).rawExpr',
    'internal/inline.CanInline',
    'internal/escape.(*escape).exprSkipInit',
    'internal/walk.walkExpr',
    'internal/walk.Walk',
    'internal/gc.compileFunctions.func5.1',
    'internal/gc.Main',
  ],
  dlv: [
    'pkg/proc.(*Target).Continue',
    'pkg/proc.(*TargetGroup).Continue',
    'pkg/proc.(*EvalScope).EvalExpression',
    'pkg/proc.(*evalStack).run',
    'pkg/proc.(*Variable).loadValueInternal',
    'pkg/proc.(*BinaryInfo).LoadBinaryInfo',
    'pkg/proc.(*BinaryInfo).loadDebugInfoMaps',
    'pkg/proc/native.(*nativeProcess).resume',
    'pkg/proc/gdbserial.(*gdbConn).resume',
    'pkg/dwarf/reader.(*Reader).NextMemberVariable',
    'service/dap.(*Session).handleRequest',
    'service/dap.(*Session).onVariablesRequest',
    'service/dap.(*Session).onStackTraceRequest',
    'service/debugger.(*Debugger).Command',
    'service/rpc2.(*RPCServer).Command',
    'pkg/terminal.(*Term).Run',
  ],
};

const RUNTIME_PANIC = [
  'runtime.gopanic',
  'runtime.panicmem',
  'runtime.sigpanic',
  'runtime.goPanicIndex',
  'runtime.panicdottypeE',
  'runtime.throw',
  'runtime.fatalthrow',
  'runtime.mapaccess2_faststr',
];

/** One distinct stack of a stack counter. */
export interface StackSpec {
  /** The whole counter name as it appears in a report: `counter\nframe\n...`. */
  key: string;
  /** Relative popularity (Zipf). */
  weight: number;
  /** When set, only installations on this GOOS hit the stack. */
  goos: string;
}

export interface StackCatalogSpec {
  counter: string;
  /** Frame family: gopls, go, compile or dlv; or a module path for unknown programs. */
  family: string;
  /** Import path prefix of the program's packages. */
  prefix: string;
  count: number;
  depth: number;
  /** Frames that start every stack of this counter (e.g. the bug.Reportf helper). */
  head: string[];
  /** Whether stacks start in the runtime's panic path (crash counters). */
  crash: boolean;
  /** GOOS values that get a few platform-specific stacks. */
  platformSpecific: string[];
  zipf: number;
}

function frame(rng: Rng, fn: string): string {
  return `${fn}:+${1 + rng.int(rng.next() < 0.7 ? 40 : 400)}`;
}

/** A catalog of distinct stacks for one stack counter, most popular first. */
export function makeStackCatalog(rng: Rng, spec: StackCatalogSpec): StackSpec[] {
  const funcs = (FUNCS[spec.family] ?? FUNCS['go']!).map((f) => `${spec.prefix}/${f}`);
  const seen = new Set<string>();
  const out: StackSpec[] = [];
  for (let i = 0; out.length < spec.count && i < spec.count * 20; i++) {
    const frames: string[] = [];
    if (spec.crash) {
      frames.push(`${RUNTIME_PANIC[rng.int(RUNTIME_PANIC.length)]!}:+${1 + rng.int(60)}`);
      if (rng.next() < 0.4) frames.push(`${RUNTIME_PANIC[rng.int(RUNTIME_PANIC.length)]!}:+${1 + rng.int(30)}`);
    }
    for (const h of spec.head) frames.push(h);
    const want = Math.min(spec.depth, 5 + rng.int(spec.depth - 4));
    while (frames.length < want) {
      // Method values and interface wrappers show up as compiler-generated frames.
      if (rng.next() < 0.06) frames.push('<autogenerated>:1');
      else frames.push(frame(rng, funcs[rng.int(funcs.length)]!));
    }
    if (frames.length < spec.depth && rng.next() < 0.5) frames.push('runtime.goexit:+0');
    const key = [spec.counter, ...frames.slice(0, spec.depth)].join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, weight: 1 / (out.length + 1) ** spec.zipf, goos: '' });
  }
  // A few stacks belong to one platform's code paths (file locking, signals).
  let k = 3;
  for (const goos of spec.platformSpecific) {
    for (let j = 0; j < 2 && k < out.length; j++, k += 2) out[k]!.goos = goos;
  }
  return out;
}
