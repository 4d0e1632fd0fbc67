/** Invisible characters in names: shown as code points in chart images, never drawn raw. */
import { describe, expect, it } from 'vitest';
import { codePointName, isInvisible, revealInvisible } from '../../src/lib/visible.ts';
import { barChart } from '../../src/render/bar-chart.ts';
import { lineChart } from '../../src/render/line-chart.ts';
import { textWidth, truncateText } from '../../src/render/measure.ts';
import { svgToPng } from '../../src/render/png.ts';
import { barData, lineData } from './fixtures.ts';
import { texts } from './svg-helpers.ts';

const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
// Anything revealInvisible replaces: bidi controls, C0 and C1 controls, zero-width and format characters, separators, lone surrogates.
const HIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

describe('revealInvisible', () => {
  it('shows every bidi control as its code point', () => {
    for (const c of BIDI) {
      expect(isInvisible(c)).toBe(true);
      expect(revealInvisible(`a${c}b`)).toBe(`a<${codePointName(c)}>b`);
    }
    expect(revealInvisible('vscode\u202Eedoc')).toBe('vscode<U+202E>edoc');
    expect(revealInvisible('\u2067x\u2069')).toBe('<U+2067>x<U+2069>');
  });

  it('shows other invisible characters, keeps whitespace and visible text', () => {
    expect(revealInvisible('a\u0000\u0007\u007F\u0085b')).toBe('a<U+0000><U+0007><U+007F><U+0085>b');
    expect(revealInvisible('zero\u200Bwidth\u200D\u2060\uFEFF\u00AD')).toBe('zero<U+200B>width<U+200D><U+2060><U+FEFF><U+00AD>');
    expect(revealInvisible('line\u2028para\u2029')).toBe('line<U+2028>para<U+2029>');
    expect(revealInvisible('lone \uD800 \uDFFF')).toBe('lone <U+D800> <U+DFFF>');
    expect(revealInvisible('tag \u{E0041}')).toBe('tag <U+E0041>');
    expect(revealInvisible('\uFFFE')).toBe('<U+FFFE>');
    const visible = 'gopls/client:vscode <10ms >=5s é 日本語 🙂 a–b × −1 \u00A0 \t\n\r';
    expect(revealInvisible(visible)).toBe(visible);
    // HTML passes its own marker.
    expect(revealInvisible('a\u202Eb', (n) => `&lt;${n}&gt;`)).toBe('a&lt;U+202E&gt;b');
  });

  it('replaces exactly what the pattern of src/lib/visible.ts matches: every code point, lone surrogates, pairs and text around them', () => {
    const pattern = /(?![\t\n\r])\p{Cc}|\p{Cf}|\p{Cs}|\p{Zl}|\p{Zp}|[\uFFFE\uFFFF]/gu;
    const byPattern = (x: string) => x.replace(pattern, (ch) => `<${codePointName(ch)}>`);
    let differing = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (revealInvisible(`a${ch}b`) !== byPattern(`a${ch}b`)) differing++;
    }
    expect(differing).toBe(0);
    for (const x of ['\uD800', '\uDC00x', 'x\uDBFF', '\uDC00\uD800', '\uD83D\uDE00\uDB40\uDC41', '\uD83D\uD83D\uDE00', 'é\u202E\uD800'])
      expect(revealInvisible(x), JSON.stringify(x)).toBe(byPattern(x));
  });

  it('catches every character of the list above, one by one', () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      const ch = String.fromCharCode(cp);
      if (HIDDEN.test(ch)) expect(revealInvisible(ch), codePointName(ch)).toBe(`<${codePointName(ch)}>`);
    }
  });
});

describe('chart images with bidi controls in names', () => {
  const EVIL = 'vscode\u202Eexe.txt';

  it('draw no raw control character in the SVG or its text', () => {
    const bar = barData();
    bar.title = `Editors\u2067 of ${EVIL}`;
    bar.bars = bar.bars.map((b, i) => (i === 0 ? { ...b, bucket: EVIL } : b));
    bar.buckets = bar.bars.map((b) => b.bucket);
    const line = lineData();
    line.title = `Editors ${EVIL}`;
    line.series = line.series.map((x, i) => (i === 0 ? { ...x, label: EVIL } : x));
    for (const svg of [barChart(bar, { width: 720 }), lineChart(line, { width: 720 })]) {
      expect(svg).not.toMatch(HIDDEN);
      expect(svg).toContain('vscode&lt;U+202E&gt;exe.txt');
      expect(texts(svg).some((t) => t.text.includes('vscode&lt;U+202E&gt;exe'))).toBe(true);
      // The image renders.
      expect(svgToPng(svg).subarray(1, 4).toString()).toBe('PNG');
    }
  });

  it('measure a control character as its marker, so labels fit', () => {
    expect(textWidth('a\u202Eb', 12)).toBeCloseTo(textWidth('a<U+202E>b', 12), 6);
    const cut = truncateText(`${'\u202E'.repeat(20)}`, 100, 12);
    expect(textWidth(revealInvisible(cut), 12)).toBeLessThanOrEqual(100);
  });
});
