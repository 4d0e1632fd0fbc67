// The chart frozen at one week as a standalone SVG.
import type { APIRoute } from 'astro';
import { weekFileSvg } from '../../../../site/charts.ts';
import { SVG_TYPE } from '../../../../site/downloads.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(weekFileSvg(view, week), { headers: { 'content-type': SVG_TYPE } });
};
