// The chart's description and its figures for one week.
import type { APIRoute } from 'astro';
import { chartWeekJson, JSON_TYPE } from '../../../../site/downloads.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(chartWeekJson(view, week), { headers: { 'content-type': JSON_TYPE } });
};
