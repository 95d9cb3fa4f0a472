import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { THEME_KEY } from '../lib/theme';
import { InEnglish } from '../test/i18n';
import { ThemeSwitch } from './theme-switch';

/** What the browser runs from <head> before its first paint on the next visit. */
const beforeFirstPaint = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../public/theme.js'),
  'utf8',
);
const reload = () => {
  delete document.documentElement.dataset.theme;
  new Function(beforeFirstPaint)();
};

afterEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('the theme switch', () => {
  it('draws the page dark at once, and the next visit dark before its first paint', async () => {
    const user = userEvent.setup();
    render(<ThemeSwitch />, { wrapper: InEnglish });
    const select = screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement;
    expect(select.value).toBe('system');
    await user.selectOptions(select, 'Dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');

    reload();
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('goes back to the system’s scheme and forgets the choice', async () => {
    localStorage.setItem(THEME_KEY, 'light');
    reload();
    const user = userEvent.setup();
    render(<ThemeSwitch />, { wrapper: InEnglish });
    const select = screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement;
    expect(select.value).toBe('light');
    await user.selectOptions(select, 'System');
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
    reload();
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it('ignores a stored value it does not know', () => {
    localStorage.setItem(THEME_KEY, 'sepia');
    reload();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    render(<ThemeSwitch />, { wrapper: InEnglish });
    expect((screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement).value).toBe('system');
  });
});
