/** The themes a user can pick; `system` follows the operating system's light or dark scheme. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Where the choice is remembered: a preference, not a secret (public/theme.js reads the same key). */
export const THEME_KEY = 'ray-console.theme';

/** The theme picked before, or `system` when none was (or storage is refused, or holds something else). */
export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Draws the page in a theme and remembers it. The stylesheet's colours are `light-dark()` pairs chosen
 * by `color-scheme`, which `data-theme` on <html> sets; without it the system's scheme applies.
 */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    if (theme === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not remembered, but applied for this visit.
  }
}
