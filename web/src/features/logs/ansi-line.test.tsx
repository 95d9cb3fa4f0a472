import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { AnsiLine } from './ansi-line';

const ESC = '\u001b';

describe('a log line with ANSI colours', () => {
  it('draws the sixteen colours in the theme’s palette, so black stays readable on a dark log', () => {
    const { container } = render(
      <AnsiLine line={`${ESC}[30mblack${ESC}[0m ${ESC}[91mbright red${ESC}[0m ${ESC}[47mon white${ESC}[0m`} query="" />,
    );
    const coloured = [...container.querySelectorAll<HTMLElement>('span[style]')];
    expect(coloured.map((s) => [s.textContent, s.style.color || s.style.backgroundColor])).toEqual([
      ['black', 'var(--ansi-black)'],
      ['bright red', 'var(--ansi-bright-red)'],
      ['on white', 'var(--ansi-white)'],
    ]);
  });

  it('draws a true colour as the program asked', () => {
    const { container } = render(<AnsiLine line={`${ESC}[38;2;10;200;30mexact${ESC}[0m`} query="" />);
    expect(container.querySelector<HTMLElement>('span[style]')!.style.color).toBe('rgb(10, 200, 30)');
  });
});
