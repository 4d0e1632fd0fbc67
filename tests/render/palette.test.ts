import { describe, expect, it } from 'vitest';
import { BACKGROUND, bucketStyle, CATEGORICAL, chartThemeCss, contrastRatio, NEUTRAL, OTHER, seriesStyle } from '../../src/render/palette.ts';

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

  it('extends past 8 with distinct dash and marker per round, deterministically', () => {
    const styles = Array.from({ length: 32 }, (_, i) => seriesStyle(i, 'light'));
    const keys = styles.map((s) => `${s.colour}|${s.dash}|${s.marker}`);
    expect(new Set(keys).size).toBe(32);
    expect(styles[8]!.colour).toBe(styles[0]!.colour);
    expect(styles[8]!.dash).not.toBe(styles[0]!.dash);
    expect(styles[8]!.marker).not.toBe(styles[0]!.marker);
    expect(seriesStyle(32, 'light')).toEqual(styles[0]);
    expect(seriesStyle(5, 'dark')).toEqual(seriesStyle(5, 'dark'));
  });

  it('assigns by canonical index, so a bucket keeps its colour when others are missing', () => {
    const canonical = ['vscode', 'neovim', 'emacs', 'other'];
    expect(bucketStyle('emacs', canonical, 'light')).toEqual(bucketStyle('emacs', canonical.slice(), 'light'));
    expect(bucketStyle('emacs', canonical, 'light').colour).toBe(CATEGORICAL.light[2]);
    expect(bucketStyle('other', canonical, 'dark').colour).toBe(OTHER.dark);
    // Unknown buckets follow the canonical list in the order given.
    expect(bucketStyle('zed', canonical, 'light', ['helix', 'zed']).colour).toBe(CATEGORICAL.light[5]);
  });

  it('uses custom properties with literal fallbacks for the css theme', () => {
    expect(seriesStyle(3, 'css').colour).toBe(`var(--chart-series-3, ${CATEGORICAL.light[3]})`);
    const css = chartThemeCss();
    for (let i = 0; i < 8; i++) {
      expect(css).toContain(`--chart-series-${i}:${CATEGORICAL.light[i]}`);
      expect(css).toContain(`--chart-series-${i}:${CATEGORICAL.dark[i]}`);
    }
    expect(css).toContain('prefers-color-scheme: dark');
  });
});
