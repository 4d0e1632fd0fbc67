// The page script, minified at build time (esbuild, deterministic); the readable source is src/site/site.js.
import type { APIRoute } from 'astro';
import { transform } from 'esbuild';
import source from '../site/site.js?raw';

export const GET: APIRoute = async () => {
  const { code } = await transform(source, { minify: true, target: 'es2017', legalComments: 'none' });
  return new Response(code, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
};
