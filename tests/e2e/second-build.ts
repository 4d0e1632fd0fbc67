/**
 * A second site build for the browser tests, done the way `npm run build`
 * does its site step: `astro build` for the pages, then the file writer
 * (src/site/write-files.ts) for every download and /data/ file, moved in
 * beside them. Throws with the tool's output when a step fails. Astro keeps
 * build files under the project's .astro/, so two of these builds (two spec
 * files on two workers) take turns, by a lock.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { mergeInto, writeFilesOnWorker } from '../../src/site/write-files.ts';

/** Runs `build` (which runs Astro in this checkout) when no other spec's build is running. */
export async function inBuildTurn<T>(build: () => T): Promise<T> {
  mkdirSync(resolve('.cache'), { recursive: true });
  const release = await lockfile.lock(resolve('.cache'), {
    lockfilePath: resolve('.cache/second-build.lock'),
    realpath: false,
    // spawnSync blocks the refresh timer: a lock held through a whole build must not look stale.
    stale: 300_000,
    retries: { retries: 400, minTimeout: 250, maxTimeout: 1000 },
  });
  try {
    return build();
  } finally {
    await release();
  }
}

export async function buildSecondSite(opts: { out: string; siteData: string; base: string; siteUrl?: string }): Promise<void> {
  const r = await inBuildTurn(() =>
    spawnSync(process.execPath, [resolve('node_modules/astro/astro.js'), 'build', '--outDir', opts.out], {
      env: {
        ...process.env,
        ASTRO_TELEMETRY_DISABLED: '1',
        TELEMETRY_SITE_DATA: opts.siteData,
        TELEMETRY_BASE: opts.base,
        ...(opts.siteUrl ? { TELEMETRY_SITE_URL: opts.siteUrl } : {}),
      },
      encoding: 'utf8',
      timeout: 200_000,
    }),
  );
  if (r.status !== 0) throw new Error(`astro build failed:\n${r.stdout}\n${r.stderr}`);
  const files = `${opts.out}.files`;
  await writeFilesOnWorker(files, { siteData: opts.siteData, base: opts.base, siteUrl: opts.siteUrl ?? null, images: null });
  await mergeInto(files, opts.out);
}
