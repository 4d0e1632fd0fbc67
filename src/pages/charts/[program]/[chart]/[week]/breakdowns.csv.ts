// One week of one counter chart by program version, OS and Go version: its rows of breakdowns.csv.
import type { APIRoute } from 'astro';
import { withBreakdowns } from '../../../../../site/breakdowns.ts';
import { chartWeekBreakdownCsv, CSV_TYPE } from '../../../../../site/downloads.ts';
import { chartWeekRoutes, type ChartWeekProps } from '../../../../../site/routes.ts';

export const getStaticPaths = () => chartWeekRoutes().filter((r) => withBreakdowns(r.props.week) !== null);

export const GET: APIRoute = ({ props }) => {
  const { view, week } = props as ChartWeekProps;
  return new Response(chartWeekBreakdownCsv(view, week.week), { headers: { 'content-type': CSV_TYPE } });
};
