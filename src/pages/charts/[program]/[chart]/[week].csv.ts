// The chart's rows of estimates.csv (or stacks.csv) for one week.
import type { APIRoute } from 'astro';
import { chartWeekCsv, CSV_TYPE } from '../../../../site/downloads.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartWeekRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(chartWeekCsv(view, week.week), { headers: { 'content-type': CSV_TYPE } });
};
