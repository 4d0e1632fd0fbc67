// Every site-data file is also a download under /data/.
import type { APIRoute, GetStaticPaths } from 'astro';
import { readSiteText, siteIndex } from '../../site/data.ts';

const TYPES: Record<string, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json', txt: 'text/plain; charset=utf-8' };

export const getStaticPaths: GetStaticPaths = () => siteIndex().files.map((file) => ({ params: { file } }));

export const GET: APIRoute = ({ params }) => {
  const file = params.file!;
  return new Response(readSiteText(file), { headers: { 'content-type': TYPES[file.split('.').pop()!] ?? 'application/octet-stream' } });
};
