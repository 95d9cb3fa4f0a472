import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '@lingui/react';
import { ScriptLoadError } from '../components/script-load-error';
import { i18n } from '../i18n/i18n';

/**
 * Draws the app once the first page's catalogs are there (fetched beside the cluster list), so a
 * Chinese reader never sees English first. If they could not be fetched (usually a deploy replaced
 * the files while the tab was open), the app would show message ids instead of words: the page is
 * treated as one whose script is missing (script-load-error.tsx), reloading once by itself and then
 * saying so, with a reload button.
 */
export function drawWhenCatalogsAreThere(root: HTMLElement, catalogs: Promise<void>, app: ReactNode): void {
  const draw = (content: ReactNode) =>
    createRoot(root).render(
      <StrictMode>
        <I18nProvider i18n={i18n}>{content}</I18nProvider>
      </StrictMode>,
    );
  catalogs.then(
    () => draw(app),
    () => draw(<ScriptLoadError />),
  );
}
