import type { CSSProperties } from 'react';

/** The sixteen ANSI colours, in SGR order (30-37, then 90-97). */
export const ANSI_NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'bright-black',
  'bright-red',
  'bright-green',
  'bright-yellow',
  'bright-blue',
  'bright-magenta',
  'bright-cyan',
  'bright-white',
] as const;
export type AnsiName = (typeof ANSI_NAMES)[number];

interface LogTheme {
  background: string;
  text: string;
  ansi: Record<AnsiName, string>;
}

/**
 * The log's colours in each theme. A program's ANSI colours are drawn in the theme's version of that
 * colour rather than the xterm value Anser gives (black, 0 0 0, would vanish on a dark log; bright
 * white on a light one): every one has a contrast of at least 4.5:1 (WCAG AA for normal text; log text
 * is small) against the log's background in its theme, which log-palette.test.ts checks. 256-colour and
 * true-colour values are a program's explicit choice and are drawn as given.
 */
export const LOG_THEMES: Record<'light' | 'dark', LogTheme> = {
  light: {
    background: '#ffffff',
    text: '#1b1f24',
    ansi: {
      black: '#24292f',
      red: '#cf222e',
      green: '#116329',
      yellow: '#7d4e00',
      blue: '#0969da',
      magenta: '#8250df',
      cyan: '#1b7c83',
      white: '#6e7781',
      'bright-black': '#57606a',
      'bright-red': '#a40e26',
      'bright-green': '#1a7f37',
      'bright-yellow': '#633c01',
      'bright-blue': '#0550ae',
      'bright-magenta': '#6639ba',
      'bright-cyan': '#136061',
      'bright-white': '#424a53',
    },
  },
  dark: {
    background: '#0d1117',
    text: '#e6edf3',
    ansi: {
      black: '#8b949e',
      red: '#ff7b72',
      green: '#3fb950',
      yellow: '#d29922',
      blue: '#58a6ff',
      magenta: '#bc8cff',
      cyan: '#39c5cf',
      white: '#b1bac4',
      'bright-black': '#9ea7b3',
      'bright-red': '#ffa198',
      'bright-green': '#56d364',
      'bright-yellow': '#e3b341',
      'bright-blue': '#79c0ff',
      'bright-magenta': '#d2a8ff',
      'bright-cyan': '#56d4dd',
      'bright-white': '#ffffff',
    },
  },
};

/**
 * The palette as CSS custom properties for the log's element: each colour is `light-dark(…)`, so it
 * follows the theme the page is drawn in (the system's, or the one picked in the header) with no script.
 */
export function logPaletteStyle(): CSSProperties {
  const { light, dark } = LOG_THEMES;
  const vars: Record<string, string> = {
    '--log-bg': `light-dark(${light.background}, ${dark.background})`,
    '--log-text': `light-dark(${light.text}, ${dark.text})`,
  };
  for (const name of ANSI_NAMES) vars[`--ansi-${name}`] = `light-dark(${light.ansi[name]}, ${dark.ansi[name]})`;
  return vars as CSSProperties;
}

/** WCAG 2 relative luminance of an sRGB colour written `#rrggbb`. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
