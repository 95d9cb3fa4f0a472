import { useId, useState } from 'react';
import { applyTheme, storedTheme, THEMES, type Theme } from '../lib/theme';

const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Light, dark, or the system's scheme; remembered in this browser (public/theme.js applies it on load). */
export function ThemeSwitch() {
  const [theme, setTheme] = useState(storedTheme);
  const id = useId();
  return (
    <span className="header-setting">
      <label htmlFor={id}>Theme</label>
      <select
        id={id}
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {LABELS[t]}
          </option>
        ))}
      </select>
    </span>
  );
}
