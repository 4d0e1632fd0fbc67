// The site is static; `npm run build` sets TELEMETRY_SITE_DATA (where the data
// pipeline wrote its files) and TELEMETRY_BASE (the URL path it is served under).
import { defineConfig } from 'astro/config';

export default defineConfig({
  base: process.env.TELEMETRY_BASE ?? '/',
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  compressHTML: true,
  // The server bundle only renders the pages at build time and is never served, so Rollup's
  // tree-shaking, about a second of every build, buys nothing: the pages are the same bytes.
  vite: { build: { rollupOptions: { treeshake: false } } },
});
