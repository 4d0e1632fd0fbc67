// The chart frozen at one week as a standalone SVG (read from the images `npm run build` prepared, when there).
import type { APIRoute } from 'astro';
import { weekFileSvgCached } from '../../../../site/charts.ts';
import { SVG_TYPE } from '../../../../site/downloads.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = async ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(await weekFileSvgCached(view, week), { headers: { 'content-type': SVG_TYPE } });
};
