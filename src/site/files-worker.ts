/**
 * The worker thread that writes the site's non-HTML files (src/site/files.ts)
 * into `workerData.outDir` (taking the still matching files of
 * `workerData.kept` from the last site), with the site data, base path and prepared images
 * of its environment (TELEMETRY_SITE_DATA, TELEMETRY_BASE,
 * TELEMETRY_IMAGE_CACHE, TELEMETRY_IMAGE_MANIFEST), as in the Astro build.
 * Replies once: the counts by extension and each file's SHA-256, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type KeptFiles, writeSiteFiles } from './files.ts';

export type FilesReply = { counts: [string, number][]; hashes: [string, string][]; kept: number } | { error: string };

const { outDir, kept } = workerData as { outDir: string; kept: KeptFiles | null };

writeSiteFiles(outDir, kept).then(
  ({ counts, hashes, kept: taken }) => parentPort!.postMessage({ counts: [...counts], hashes, kept: taken } satisfies FilesReply),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies FilesReply),
);
