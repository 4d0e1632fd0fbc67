/**
 * A worker thread of the PNG pool (src/site/prerender.ts). Tasks:
 * - `{ id, count }`: how many chart-week routes the site has.
 * - `{ id, route }`: the week image of chart-week route `route` (in the order
 *   of `chartWeekRoutes()`), from the image cache or rendered now and stored,
 *   and its SVG text kept beside it; replies with both keys and whether the
 *   PNG was a hit.
 * - `{ id, svg, width }`: renders `svg` and replies with the PNG bytes (no cache).
 * - `{ id, pageKeys: sources, part, parts }`: the key of every chart-week page
 *   of one slice of the routes (src/site/page-keys.ts), and for the last
 *   part the key of every week page too.
 * The site data is read from TELEMETRY_SITE_DATA, as in the Astro build, and
 * only with the first task, never as the thread loads: the build starts the
 * threads while its data step is still writing the site data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImageCache } from '../render/image-cache.ts';
import { svgToPng } from '../render/png.ts';
import { FILE_PNG, weekFileSvg } from './charts.ts';
import { chartWeekPageKeys, type KeyParts, weekPageKeys } from './page-keys.ts';
import { chartWeekRoutes, weekRouteKey } from './routes.ts';

export type PngTask =
  | { id: number; count: true }
  | { id: number; route: number }
  | { id: number; svg: string; width?: number }
  | { id: number; pageKeys: string; part: number; parts: number };
export type PngReply =
  | { id: number; count: number }
  | { id: number; route: string; key: string; hit: boolean; svgKey: string }
  | { id: number; png: Uint8Array }
  | { id: number; pageKeys: [string, string][]; weekPageKeys: [string, string][] }
  | { id: number; error: string };

const { cacheDir } = workerData as { cacheDir: string | null };
const cache = cacheDir ? new ImageCache(cacheDir) : null;
let routes: ReturnType<typeof chartWeekRoutes> | null = null;

async function handle(task: PngTask): Promise<PngReply> {
  if ('svg' in task) {
    const png = svgToPng(task.svg, task.width === undefined ? {} : { width: task.width });
    return { id: task.id, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
  }
  if ('pageKeys' in task) {
    // The charts' parts of the keys are made once for both kinds of page, and dropped with the reply.
    const made: KeyParts = new Map();
    return {
      id: task.id,
      pageKeys: chartWeekPageKeys(task.pageKeys, task.part, task.parts, made),
      weekPageKeys: task.part === task.parts - 1 ? weekPageKeys(task.pageKeys, made) : [],
    };
  }
  routes ??= chartWeekRoutes();
  if ('count' in task) return { id: task.id, count: routes.length };
  if (!cache) throw new Error('no image cache folder');
  const r = routes[task.route];
  if (!r) throw new Error(`no chart-week route ${task.route}`);
  const svg = weekFileSvg(r.props.view, r.props.week);
  const { key, hit } = await cache.ensurePng(svg, FILE_PNG);
  return { id: task.id, route: weekRouteKey(r.params), key, hit, svgKey: await cache.keepSvg(svg) };
}

parentPort!.on('message', (task: PngTask) => {
  handle(task).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) => parentPort!.postMessage({ id: task.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
