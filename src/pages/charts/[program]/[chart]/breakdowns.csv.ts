// Every week of one counter chart by program version, OS and Go version: its rows of breakdowns.csv.
import type { APIRoute } from 'astro';
import { chartHasBreakdowns } from '../../../../site/breakdowns.ts';
import { chartBreakdownCsv, CSV_TYPE } from '../../../../site/downloads.ts';
import { chartRoutes, type ChartProps } from '../../../../site/routes.ts';

export const getStaticPaths = () => chartRoutes().filter((r) => chartHasBreakdowns(r.props.view));

export const GET: APIRoute = ({ props }) => {
  const { view } = props as ChartProps;
  return new Response(chartBreakdownCsv(view), { headers: { 'content-type': CSV_TYPE } });
};
