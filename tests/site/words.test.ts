/** The site's wording of statistical facts: display names, skew notes, the "adjusted for" label. */
import { describe, expect, it } from 'vitest';
import { adjustedFigure, adjustedLabel, categoryName, dimensionNoun, listNouns, sensitivityNote, skewNote } from '../../src/site/words.ts';
import { dimensionSkew } from '../../src/skew/skew.ts';

const ref = { linux: 0.45, darwin: 0.3, windows: 0.25 };

describe('display names', () => {
  it('names categories and dimensions, and leaves unknown names as they are', () => {
    expect(categoryName('GOOS', 'darwin')).toBe('macOS');
    expect(categoryName('GOOS', 'plan9')).toBe('Plan 9');
    expect(categoryName('gopls/client', 'vscode')).toBe('VS Code');
    expect(categoryName('GOARCH', 'arm64')).toBe('arm64');
    expect(categoryName('GOOS', 'toString')).toBe('toString');
    expect(categoryName('__proto__', 'constructor')).toBe('constructor');
    expect(dimensionNoun('GOOS')).toBe('OS');
    expect(dimensionNoun('gopls/client')).toBe('editor');
    expect(dimensionNoun('toString')).toBe('toString');
  });

  it('lists dimensions in words', () => {
    expect(listNouns([])).toBe('');
    expect(listNouns(['GOOS'])).toBe('OS');
    expect(listNouns(['GOOS', 'gopls/client'])).toBe('OS and editor');
    expect(listNouns(['GOARCH', 'GOOS', 'gopls/client'])).toBe('architecture, OS and editor');
  });

  it('names adjusted values by what they assume, with the reference', () => {
    expect(adjustedLabel({ dims: ['GOARCH', 'GOOS', 'gopls/client'], reference: 'Go Developer Survey 2024' })).toBe(
      'if opt-in depended only on architecture, OS and editor (Go Developer Survey 2024)',
    );
    expect(adjustedLabel({ dims: ['GOOS'], reference: 'the census' })).toBe('if opt-in depended only on OS (the census)');
    expect(adjustedLabel(null)).toBeUndefined();
    expect(adjustedFigure({ dims: ['GOOS', 'GOARCH'] }, '31% (28–34%)')).toBe('if opt-in depended only on OS and architecture: 31% (28–34%)');
  });

  it('says a sensitive figure depends on who opted in, and never recommends the adjusted value', () => {
    const note = sensitivityNote({ dims: ['GOOS', 'GOARCH'], reference: 'the survey' })!;
    expect(note).toMatch(/^Sensitive to who opted in: if opt-in depended only on OS and architecture \(the survey\), /);
    expect(note).toContain('95% margin');
    expect(note).not.toMatch(/better|more accurate|corrected|see the adjusted|use the adjusted/i);
    expect(sensitivityNote(null)).toBeUndefined();
  });
});

describe('skew notes', () => {
  it('none: no note', () => {
    expect(skewNote(dimensionSkew('GOOS', { linux: 0.46, darwin: 0.29, windows: 0.25 }, 1000, ref), 'the survey')).toBeNull();
    expect(skewNote({ dimension: 'GOOS', level: 'moderate', notable: [] }, 'the survey')).toBeNull();
  });

  it('moderate, one group named', () => {
    expect(skewNote(dimensionSkew('GOOS', { linux: 0.45, darwin: 0.36, windows: 0.19 }, 1000, ref), 'the survey')).toBe(
      'Installations on Windows are under-represented: 19% of reports vs 25% in the survey (0.8×). Results that differ by OS may be skewed.',
    );
  });

  it('strong, the over- and the under-represented group, pointing at the adjusted estimates', () => {
    expect(skewNote(dimensionSkew('GOOS', { linux: 0.3, darwin: 0.6, windows: 0.1 }, 1000, ref), 'the 2024 Go Developer Survey')).toBe(
      'Installations on macOS are over-represented: 60% of reports vs 30% in the 2024 Go Developer Survey (2.0×); ' +
        'installations on Windows are under-represented: 10% of reports vs 25% in the 2024 Go Developer Survey (0.4×). ' +
        'Results that differ by OS may be skewed. Charts show, beside the raw figures, what they would be if opt-in depended only on the reference dimensions: a sensitivity check, not a correction.',
    );
  });

  it('shares under 10% get one decimal; each dimension has its own preposition and noun', () => {
    const note = skewNote(
      {
        dimension: 'gopls/client',
        level: 'moderate',
        notable: [{ category: 'neovim', sample: 0.042, reference: 0.0625, ratio: 0.672 }],
      },
      'x',
    );
    expect(note).toBe('Installations using Neovim are under-represented: 4.2% of reports vs 6.3% in x (0.7×). Results that differ by editor may be skewed.');
    const arch = skewNote({ dimension: 'GoVersion', level: 'strong', notable: [{ category: 'go1.21', sample: 0.5, reference: 0.2, ratio: 2.5 }] }, 'x');
    expect(arch).toBe(
      'Installations built with go1.21 are over-represented: 50% of reports vs 20% in x (2.5×). Results that differ by Go version may be skewed. Charts show, beside the raw figures, what they would be if opt-in depended only on the reference dimensions: a sensitivity check, not a correction.',
    );
    // A dimension the site has no words for: "with" and the name itself.
    const other = skewNote({ dimension: 'go/mode', level: 'moderate', notable: [{ category: '<b>', sample: 0.3, reference: 0.2, ratio: 1.5 }] }, 'x');
    expect(other).toBe('Installations with <b> are over-represented: 30% of reports vs 20% in x (1.5×). Results that differ by go/mode may be skewed.');
  });
});
