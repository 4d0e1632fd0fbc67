// One chart over every week as a standalone SVG (light theme, title drawn in).
import type { APIRoute } from 'astro';
import { shareLineSvg, stackLineSvg, WIDE } from '../../../../site/charts.ts';
import { isStackWeek } from '../../../../site/data.ts';
import { SVG_TYPE } from '../../../../site/downloads.ts';
import { referenceWeek, siteModel } from '../../../../site/model.ts';
import { chartRoutes, type ChartProps } from '../../../../site/routes.ts';

export const getStaticPaths = chartRoutes;

export const GET: APIRoute = ({ props }) => {
  const { view } = props as ChartProps;
  const ref = referenceWeek(siteModel(), view);
  const o = { width: WIDE, theme: 'light' as const, heading: true, id: 'chart' };
  const svg = ref && isStackWeek(ref) ? stackLineSvg(view, ref, o) : shareLineSvg(view, ref, o);
  return new Response(svg, { headers: { 'content-type': SVG_TYPE } });
};
