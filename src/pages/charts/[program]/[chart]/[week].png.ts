// The week's chart as a PNG (1200 px wide) for link previews, rendered with resvg at build time.
// `npm run build` renders them beforehand on worker threads into the image cache (see src/site/prerender.ts);
// this route then reads the cached bytes, and renders any image the cache lacks itself.
import type { APIRoute } from 'astro';
import { PNG_TYPE } from '../../../../site/downloads.ts';
import { weekPngCached } from '../../../../site/charts.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = async ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(new Uint8Array(await weekPngCached(view, week)), { headers: { 'content-type': PNG_TYPE } });
};
