// The week's chart as a PNG (1200 px wide) for link previews, rendered with resvg at build time.
import type { APIRoute } from 'astro';
import { PNG_TYPE } from '../../../../site/downloads.ts';
import { weekPng } from '../../../../site/charts.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(new Uint8Array(weekPng(view, week)), { headers: { 'content-type': PNG_TYPE } });
};
