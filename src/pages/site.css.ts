// The stylesheet: the site's CSS plus the chart colour custom properties of the palette.
import type { APIRoute } from 'astro';
import { chartThemeCss } from '../render/index.ts';
import css from '../site/site.css?raw';

export const GET: APIRoute = () => new Response(css + '\n' + chartThemeCss(), { headers: { 'content-type': 'text/css; charset=utf-8' } });
