import { describe, expect, it } from 'vitest';
import { ANSI_NAMES, LOG_THEMES, contrastRatio, logPaletteStyle } from './log-palette';

// WCAG 2 AA for normal text (log lines are small monospace text, so the 3:1 for large or bold text does
// not apply): 4.5:1 against the log's background, in each theme.
const AA_NORMAL_TEXT = 4.5;

describe('the log palette', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`keeps every ANSI colour and the plain text readable on the ${theme} log (≥ 4.5:1)`, () => {
      const { background, text, ansi } = LOG_THEMES[theme];
      const tooFaint = ANSI_NAMES.map((name) => ({ name, ratio: contrastRatio(ansi[name], background) })).filter(
        (c) => c.ratio < AA_NORMAL_TEXT,
      );
      expect(tooFaint).toEqual([]);
      expect(contrastRatio(text, background)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    });
  }

  it('gives the viewer one custom property per colour, each following the theme', () => {
    const style = logPaletteStyle() as Record<string, string>;
    expect(style['--ansi-black']).toBe(`light-dark(${LOG_THEMES.light.ansi.black}, ${LOG_THEMES.dark.ansi.black})`);
    for (const name of ANSI_NAMES)
      expect(style[`--ansi-${name}`]).toMatch(/^light-dark\(#[0-9a-f]{6}, #[0-9a-f]{6}\)$/);
  });
});
