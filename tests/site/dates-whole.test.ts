import { describe, expect, it } from 'vitest';
import { keepDatesWhole } from '../../src/middleware.ts';

describe('keepDatesWhole', () => {
  it('keeps every date of the text on one line, and leaves attributes, charts and preformatted text alone', () => {
    const html =
      '<p title="2026-01-01">weeks 2026-04-26 to 2026-11-15.</p><svg><text>2026-01-01</text></svg>' +
      '<a href="/w/2026-01-04/">2026-01-04</a> (x)<pre>2026-02-02</pre><b>no date</b><p>2026-11-09–2026-11-15</p>';
    expect(keepDatesWhole(html)).toBe(
      '<p title="2026-01-01">weeks <span class="nw">2026-04-26</span> to <span class="nw">2026-11-15</span>.</p><svg><text>2026-01-01</text></svg>' +
        '<a href="/w/2026-01-04/"><span class="nw">2026-01-04</span></a> (x)<pre>2026-02-02</pre><b>no date</b>' +
        '<p><span class="nw">2026-11-09</span>–<span class="nw">2026-11-15</span></p>',
    );
  });
  it('leaves an element alone up to the first closing tag of its name in any case, and reads one never closed as text', () => {
    expect(keepDatesWhole('<title>2026-01-01</TITLE><p>2026-01-02</p><pre>2026-01-03<p>2026-01-04</p>')).toBe(
      '<title>2026-01-01</TITLE><p><span class="nw">2026-01-02</span></p><pre><span class="nw">2026-01-03</span><p><span class="nw">2026-01-04</span></p>',
    );
    // `</svg >` is no closing tag: the element runs to the next `</svg>`.
    expect(keepDatesWhole('<SVG><text>2026-01-01</text></svg ><svg>x</svg><b>2026-01-05</b>')).toBe(
      '<SVG><text>2026-01-01</text></svg ><svg>x</svg><b><span class="nw">2026-01-05</span></b>',
    );
    // Text before the first tag and after the last is not between tags.
    expect(keepDatesWhole('start 2026-01-01 <i>2026-01-02</i> end 2026-01-03')).toBe(
      'start 2026-01-01 <i><span class="nw">2026-01-02</span></i> end 2026-01-03',
    );
  });
  it('finds dates in every text node, not only the first (no state left between matches)', () => {
    const out = keepDatesWhole('<i>2026-01-04</i><i>2026-01-11</i><i>2026-01-18</i>');
    expect(out.match(/class="nw"/g)).toHaveLength(3);
  });
});
