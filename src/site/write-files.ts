/**
 * Runs the writer of the site's non-HTML files (src/site/files.ts) on a
 * worker thread, so it reads the site data of this build (its own module
 * state, whatever the calling process read before) and runs beside
 * `astro build`. Then moves the written files into the built site.
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FilesReply } from './files-worker.ts';

export interface FilesEnv {
  siteData: string;
  base: string;
  siteUrl: string | null;
  images: { dir: string; manifest: string } | null;
}

/** Writes every non-HTML file of the site in `siteData` into `outDir`; returns the counts by extension. */
export function writeFilesOnWorker(outDir: string, env: FilesEnv): Promise<Map<string, number>> {
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
    const worker = new Worker(new URL('./files-worker-entry.mjs', import.meta.url), { workerData: { outDir }, env: workerEnv });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (reply: FilesReply) => settle(() => ('error' in reply ? reject(new Error(reply.error)) : resolve(new Map(reply.counts)))));
    worker.on('error', (e) => settle(() => reject(new Error(`the file writer thread failed: ${e.message}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the file writer thread exited with code ${code}`))));
  });
}

/**
 * Moves every file under `from` to the same place under `to` (folders made
 * as needed), then removes `from`. A file already in `to` is an error: the
 * two builds must not write the same path.
 */
export async function mergeInto(from: string, to: string): Promise<number> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => relative(from, join(e.parentPath, e.name)));
  const made = new Set<string>();
  let moved = 0;
  for (const f of files) {
    const target = join(to, f);
    const dir = dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    // A hard link (or an exclusive copy where links are not supported) fails on an existing
    // path; removing `from` then leaves the one name.
    await link(join(from, f), target).catch((e: NodeJS.ErrnoException) =>
      e.code === 'EPERM' || e.code === 'ENOTSUP' || e.code === 'EXDEV' ? copyFile(join(from, f), target, constants.COPYFILE_EXCL) : Promise.reject(e),
    );
    moved++;
  }
  await rm(from, { recursive: true, force: true });
  return moved;
}
