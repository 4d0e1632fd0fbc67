import { describe, expect, it } from 'vitest';
import { BACKGROUND, bucketStyle, CATEGORICAL, chartThemeCss, contrastRatio, distinctStyles, NEUTRAL, OTHER, seriesStyle } from '../../src/render/palette.ts';

const THEMES = ['light', 'dark'] as const;

describe('palette', () => {
  for (const theme of THEMES) {
    it(`keeps every series colour at >= 3:1 against the ${theme} background`, () => {
      for (const c of [...CATEGORICAL[theme], OTHER[theme], NEUTRAL[theme].count]) {
        expect(contrastRatio(c, BACKGROUND[theme]), `${c} on ${BACKGROUND[theme]}`).toBeGreaterThanOrEqual(3);
      }
    });
    it(`keeps text at >= 4.5:1 and axis lines at >= 3:1 in ${theme}`, () => {
      const n = NEUTRAL[theme];
      expect(n.background).toBe(BACKGROUND[theme]);
      expect(contrastRatio(n.text, n.background)).toBeGreaterThanOrEqual(7);
      expect(contrastRatio(n.muted, n.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(n.muted, n.provisional)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(n.axis, n.background)).toBeGreaterThanOrEqual(3);
    });
    it(`has 8 distinct colours in ${theme}, none equal to the other grey`, () => {
      expect(new Set(CATEGORICAL[theme]).size).toBe(8);
      expect(CATEGORICAL[theme]).not.toContain(OTHER[theme]);
    });
  }

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it('extends past 8 with a distinct marker per round, never a dash, deterministically', () => {
    const styles = Array.from({ length: 32 }, (_, i) => seriesStyle(i, 'light'));
    const keys = styles.map((s) => `${s.colour}|${s.marker}`);
    expect(new Set(keys).size).toBe(32);
    expect(styles[8]!.colour).toBe(styles[0]!.colour);
    expect(styles[8]!.marker).not.toBe(styles[0]!.marker);
    for (const s of styles) expect(Object.keys(s).sort()).toEqual(['colour', 'marker']);
    expect(seriesStyle(32, 'light')).toEqual(styles[0]);
    expect(seriesStyle(5, 'dark')).toEqual(seriesStyle(5, 'dark'));
  });

  it('gives the series of one chart distinct colours, even when canonical indexes collide', () => {
    // zed is bucket 8 of the canonical list: its own colour would repeat vscode's.
    const canonical = ['vscode', 'vscode-insiders', 'cursor', 'neovim', 'vim', 'emacs', 'sublimetext', 'helix', 'zed', 'other'];
    const drawn = ['vscode', 'cursor', 'neovim', 'vim', 'emacs', 'zed'];
    const styles = distinctStyles(drawn, canonical, 'light');
    expect(new Set(styles.map((s) => s.colour)).size).toBe(drawn.length);
    // Buckets whose colour is free keep it; zed takes the first free colour (index 1, vscode-insiders' unused one).
    expect(styles[0]!.colour).toBe(CATEGORICAL.light[0]);
    expect(styles[1]!.colour).toBe(CATEGORICAL.light[2]);
    expect(styles[5]!.colour).toBe(CATEGORICAL.light[1]);
    // Nine buckets: eight colours, then a second marker.
    const nine = distinctStyles(canonical.slice(0, 9), canonical, 'dark');
    expect(new Set(nine.map((s) => s.colour)).size).toBe(8);
    expect(new Set(nine.map((s) => `${s.colour}|${s.marker}`)).size).toBe(9);
    expect(distinctStyles(['other', 'vscode'], canonical, 'light')[0]!.colour).toBe(OTHER.light);
    // A bucket's colour does not depend on the order the series are given in.
    expect(distinctStyles([...drawn].reverse(), canonical, 'light').reverse()).toEqual(styles);
  });

  it('assigns by canonical index, so a bucket keeps its colour when others are missing', () => {
    const canonical = ['vscode', 'neovim', 'emacs', 'other'];
    expect(bucketStyle('emacs', canonical, 'light')).toEqual(bucketStyle('emacs', canonical.slice(), 'light'));
    expect(bucketStyle('emacs', canonical, 'light').colour).toBe(CATEGORICAL.light[2]);
    expect(bucketStyle('other', canonical, 'dark').colour).toBe(OTHER.dark);
    // Unknown buckets follow the canonical list in the order given.
    expect(bucketStyle('zed', canonical, 'light', ['helix', 'zed']).colour).toBe(CATEGORICAL.light[5]);
  });

  it('uses the custom properties the page CSS defines for the css theme', () => {
    expect(seriesStyle(3, 'css').colour).toBe('var(--chart-series-3)');
    const css = chartThemeCss();
    for (let i = 0; i < 8; i++) {
      expect(css).toContain(`--chart-series-${i}:${CATEGORICAL.light[i]}`);
      expect(css).toContain(`--chart-series-${i}:${CATEGORICAL.dark[i]}`);
    }
    expect(css).toContain('prefers-color-scheme: dark');
  });
});
