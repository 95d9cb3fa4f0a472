import { switchLanguage } from '../i18n/i18n';
import { isLanguage, languageNames, languages } from '../i18n/languages';
import { useT } from '../i18n/use-t';

/** The language of the console, remembered in this browser; each option named in its own language. */
export function LanguageSwitcher() {
  const { t, language } = useT('common');
  return (
    <label className="language-switcher">
      <span className="visually-hidden">{t('shell.language')}</span>
      <select
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) void switchLanguage(event.target.value);
        }}
      >
        {languages.map((option) => (
          <option key={option} value={option} lang={option}>
            {languageNames[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
