/** The page filter every built page passes through: invisible characters in names are shown, nothing else changes. */
import { describe, expect, it } from 'vitest';
import { onRequest } from '../../src/middleware.ts';

async function through(body: string, type: string): Promise<Response> {
  const res = await onRequest({} as never, async () => new Response(body, { status: 200, headers: { 'Content-Type': type } }));
  return res as Response;
}

describe('page middleware', () => {
  it('shows bidi controls and other invisible characters in a page as escaped code points, in text and attributes', async () => {
    // What Astro writes for a bucket named `vscode<U+202E>exe` in a heading, a title and a data attribute.
    const html =
      '<!doctype html><html><head><title>vscode\u202Eexe · Telemetry estimates</title></head><body><h1 data-name="vscode\u202Eexe">vscode\u202Eexe &amp; \u2066co\u2069</h1><p>zero\u200Bwidth</p></body></html>';
    const res = await through(html, 'text/html');
    const out = await res.text();
    expect(out).toBe(
      '<!doctype html><html><head><title>vscode&lt;U+202E&gt;exe · Telemetry estimates</title></head><body><h1 data-name="vscode&lt;U+202E&gt;exe">vscode&lt;U+202E&gt;exe &amp; &lt;U+2066&gt;co&lt;U+2069&gt;</h1><p>zero&lt;U+200B&gt;width</p></body></html>',
    );
    expect(out).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C]/);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
  });

  it('leaves pages without such characters byte for byte, and downloads untouched', async () => {
    const page = '<p>Okabe–Ito · 61.7% (60.0–63.5%) × −1 日本語 🙂</p>\n<pre>a\tb\r\n</pre>';
    expect(await (await through(page, 'text/html; charset=utf-8')).text()).toBe(page);
    // CSV and JSON downloads keep the names exactly as the data has them.
    const csv = 'week,bucket\n2026-11-01,a\u202Eb\n';
    expect(await (await through(csv, 'text/csv; charset=utf-8')).text()).toBe(csv);
    const json = '{"bucket":"a\u202Eb"}';
    expect(await (await through(json, 'application/json')).text()).toBe(json);
  });
});
