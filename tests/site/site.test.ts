/** Pure helpers of the site's pages: safe links, stack text, precision wording, Markdown escaping. */
import { describe, expect, it } from 'vitest';
import { formatEvents, formatPoints, markdownText, pct, interval } from '../../src/site/format.ts';
import { displayStack, htmlBytes, MAX_STACK_FRAMES, precisionSentence, precisionShort, stackLabel } from '../../src/site/model.ts';
import { safeHttpUrl } from '../../src/site/urls.ts';

describe('safeHttpUrl', () => {
  it('keeps http(s) URLs and refuses every other scheme', () => {
    expect(safeHttpUrl('https://go.dev/issue/1')).toBe('https://go.dev/issue/1');
    expect(safeHttpUrl(' http://example.org/a?b=c ')).toBe('http://example.org/a?b=c');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>', '//evil.example/', 'go.dev/issue/1', 'https://', ' vbscript:x'])
      expect(safeHttpUrl(bad)).toBeNull();
  });
});

describe('stack text', () => {
  it('names a stack by its first frame past the counter name and helper frames', () => {
    expect(stackLabel('crash/crash\nruntime.gopanic:+20\ngolang.org/x/tools/gopls/internal/golang.Hover:+15\nmain.main:+1')).toBe('golang.Hover:+15');
    expect(stackLabel('gopls/bug')).toBe('gopls/bug');
  });

  it('counts the bytes stack text takes once escaped, for the stack table budget', () => {
    expect(htmlBytes('a.f:+1')).toBe(6);
    // & < > " ' grow to entities; é is two bytes in UTF-8.
    expect(htmlBytes(`a<b>&"'é`)).toBe(1 + 4 + 1 + 4 + 5 + 6 + 5 + 2);
  });

  it('folds deep recursion and cuts very long stacks', () => {
    const cycle = ['a.f:+1', 'a.g:+2', 'a.h:+3'];
    const stack = ['crash/crash', 'runtime.morestack:+0', ...Array.from({ length: 500 }, () => cycle).flat(), 'main.main:+1'].join('\n');
    const shown = displayStack(stack).split('\n');
    expect(shown.length).toBeLessThan(12);
    expect(shown).toContain('    … the 3 frames above repeat 499 more times …');
    expect(shown.at(-1)).toBe('main.main:+1');
    const long = Array.from({ length: 300 }, (_, i) => `f${i}:+${i}`).join('\n');
    const cut = displayStack(long).split('\n');
    expect(cut.length).toBe(MAX_STACK_FRAMES + 1);
    expect(cut.some((l) => /… \d+ more lines …/.test(l))).toBe(true);
    expect(cut.at(-1)).toBe('f299:+299');
  });
});

describe('precision wording', () => {
  it('follows the precision note of docs/methodology.md §4', () => {
    expect(precisionSentence(2094)).toBe(
      'Precision note (99% confidence): based on 2,094 eligible reports, each share is within ±2.8 points of its true value with 99% confidence (±1 point needs 16,588 reports).',
    );
    expect(precisionSentence(20000)).toBe(
      'Precision note (99% confidence): based on 20,000 eligible reports, each share is within ±0.91 points of its true value with 99% confidence.',
    );
    for (const n of [60, 2094, 20000]) expect(precisionSentence(n)).not.toMatch(/every share/);
    expect(precisionSentence(49)).toMatch(/only counts are shown/);
    expect(precisionSentence(0)).toBe('No eligible reports this week.');
    expect(precisionShort(2094)).toBe('2,094 eligible reports · each share ±2.1 points (95%)');
  });
});

describe('formats', () => {
  it('writes shares, intervals and points', () => {
    expect(pct(0.617301, [0.599682, 0.634616])).toBe('61.7%');
    expect(interval(0.617301, [0.599682, 0.634616])).toBe('60.0–63.5%');
    expect(interval(0.004, [0.001, 0.009])).toBe('0.10–0.90%');
    expect(formatPoints(0.031, 'pts')).toBe('+3.1 pts');
    expect(formatPoints(-0.0047, 'pts')).toBe('−0.47 pts');
    expect(formatPoints(0.021)).toBe('+2.1 points');
  });

  it('writes events per installation to 3 significant digits', () => {
    expect([0, 0.0038267, 2.3149, 34.87, 146.65, 12345.6].map(formatEvents)).toEqual(['0', '0.00383', '2.31', '34.9', '147', '12,300']);
  });

  it('escapes Markdown link text', () => {
    expect(markdownText('a [b] \\ c\nd')).toBe('a \\[b\\] \\\\ c d');
  });
});
