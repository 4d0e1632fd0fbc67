// npm run data -- [options]: the data pipeline (scripts/telemetry.ts) run as
// JavaScript bundled by esbuild, so no TypeScript is compiled at start-up, in
// the main thread or in the worker threads.
//
// The bundle lives in .cache/cli/: telemetry.mjs and worker-entry.mjs (the
// name src/pipeline/pool.ts starts its workers from), plus inputs.json: the
// SHA-256 of every project file it was built from (with this launcher,
// tsconfig.json and package-lock.json) and of the bundle's own files. Each run
// hashes them again (a few milliseconds) and rebuilds the bundle when one
// changed or is gone, so a bundle never runs older than its sources, nor half
// written. Packages stay outside the bundle and are loaded from node_modules
// as usual.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Two levels below the project folder, as src/pipeline/run.ts finds it from its own module's URL.
const OUT = join(ROOT, '.cache', 'cli');
const STAMP = join(OUT, 'inputs.json');
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** One hash over the given files (relative to the project folder), or null when one cannot be read. */
function digest(files) {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    let text;
    try {
      text = readFileSync(join(ROOT, f));
    } catch {
      return null;
    }
    h.update(`${f}\0${text.length}\0`);
    h.update(text);
  }
  return h.digest('hex');
}

function upToDate() {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    return Array.isArray(stamp.inputs) && Array.isArray(stamp.outputs) && stamp.digest === digest([...stamp.inputs, ...stamp.outputs]);
  } catch {
    return false;
  }
}

/** Writes a file whole or not at all, so a concurrent run never reads half of one. */
function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * Packages the pipeline imports only through modules it shares with the site
 * (arquero, for the site's chart tables) and never calls: marked free of side
 * effects, so the bundle leaves them out instead of loading them at start-up.
 */
const UNUSED_PACKAGES = {
  name: 'unused-packages',
  setup(b) {
    b.onResolve({ filter: /^arquero$/ }, (a) => ({ path: a.path, external: true, sideEffects: false }));
  },
};

async function build() {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { telemetry: 'scripts/telemetry.ts', 'worker-entry': 'src/pipeline/worker.ts' },
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [UNUSED_PACKAGES],
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  for (const f of r.outputFiles) writeAtomic(f.path, f.contents);
  const inputs = [...Object.keys(r.metafile.inputs), SELF, 'tsconfig.json', 'package-lock.json'].sort();
  const outputs = r.outputFiles.map((f) => relative(ROOT, f.path)).sort();
  // The stamp last: until it is written, the next run builds again.
  writeAtomic(STAMP, `${JSON.stringify({ digest: digest([...inputs, ...outputs]), inputs, outputs }, null, 1)}\n`);
}

if (!upToDate()) {
  try {
    await build();
  } catch (e) {
    // esbuild has printed what it could not compile.
    process.stderr.write(`error: could not bundle the pipeline into ${relative(ROOT, OUT)}: ${e.message.split('\n')[0]}\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(join(OUT, 'telemetry.mjs')).href);
