import { useId, useState } from 'react';
import { useT } from '../i18n/use-t';
import { applyTheme, storedTheme, THEMES, type Theme } from '../lib/theme';

/** Light, dark, or the system's scheme; remembered in this browser (public/theme.js applies it on load). */
export function ThemeSwitch() {
  const { t } = useT('shell');
  const [theme, setTheme] = useState(storedTheme);
  const id = useId();
  return (
    <span className="header-setting">
      <label htmlFor={id}>{t('theme.label')}</label>
      <select
        id={id}
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((option) => (
          <option key={option} value={option}>
            {t(`theme.${option}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
