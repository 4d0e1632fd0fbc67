/**
 * Runs the writer of the site's non-HTML files (src/site/files.ts) on a
 * worker thread, so it reads the site data of this build (its own module
 * state, whatever the calling process read before) and runs beside
 * `astro build`, and merges the tree one build wrote into the other's.
 */
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeptFiles, WrittenFiles } from './files.ts';
import type { FilesReply } from './files-worker.ts';

export interface FilesEnv {
  siteData: string;
  base: string;
  siteUrl: string | null;
  images: { dir: string; manifest: string } | null;
  /** Files of the last site to take as they are once checked (src/site/files.ts writeSiteFiles). */
  kept?: KeptFiles | null;
}

/** Writes every non-HTML file of the site in `siteData` into `outDir`, taking those of `env.kept` that still match; returns the counts by extension, each file's SHA-256 and how many were taken. */
export function writeFilesOnWorker(outDir: string, env: FilesEnv): Promise<WrittenFiles> {
  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TELEMETRY_SITE_DATA: env.siteData,
    TELEMETRY_BASE: env.base,
    ...(env.siteUrl ? { TELEMETRY_SITE_URL: env.siteUrl } : {}),
    ...(env.images ? { TELEMETRY_IMAGE_CACHE: env.images.dir, TELEMETRY_IMAGE_MANIFEST: env.images.manifest } : {}),
  };
  if (!env.images) {
    delete workerEnv.TELEMETRY_IMAGE_CACHE;
    delete workerEnv.TELEMETRY_IMAGE_MANIFEST;
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./files-worker-entry.mjs', import.meta.url), { workerData: { outDir, kept: env.kept ?? null }, env: workerEnv });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (reply: FilesReply) =>
      settle(() => ('error' in reply ? reject(new Error(reply.error)) : resolve({ counts: new Map(reply.counts), hashes: reply.hashes, kept: reply.kept }))),
    );
    worker.on('error', (e) => settle(() => reject(new Error(`the file writer thread failed: ${e.message}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the file writer thread exited with code ${code}`))));
  });
}

/**
 * Moves every file under `from` to the same place under `to`, then removes
 * `from`. A folder that `to` does not have is moved whole, with one rename;
 * only folders both have are merged entry by entry, so the cost follows the
 * smaller tree where they overlap. A file already in `to` is an error
 * (EEXIST): the two builds must not write the same path. Returns the number
 * of files moved.
 */
export async function mergeInto(from: string, to: string): Promise<number> {
  const moved = await mergeFolder(from, to);
  await rm(from, { recursive: true, force: true });
  return moved;
}

async function mergeFolder(from: string, to: string): Promise<number> {
  let moved = 0;
  for (const e of await readdir(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    const dest = join(to, e.name);
    const there = await lstat(dest).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (there === null) {
      moved += e.isDirectory() ? await countFiles(src) : 1;
      await rename(src, dest);
    } else if (e.isDirectory() && there.isDirectory()) {
      moved += await mergeFolder(src, dest);
    } else {
      throw Object.assign(new Error(`EEXIST: the site build and the file writer both wrote ${dest}`), { code: 'EEXIST', path: dest });
    }
  }
  return moved;
}

async function countFiles(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
}
