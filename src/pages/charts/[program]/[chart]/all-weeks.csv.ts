// Every week of one chart: its rows of estimates.csv (or stacks.csv).
import type { APIRoute } from 'astro';
import { chartCsv, CSV_TYPE } from '../../../../site/downloads.ts';
import { chartRoutes, type ChartProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view } = props as ChartProps;
  return new Response(chartCsv(view), { headers: { 'content-type': CSV_TYPE } });
};
