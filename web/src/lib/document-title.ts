import { useEffect } from 'react';
import { useT } from '../i18n/use-t';

/**
 * Names the browser tab (and the history entry, and what a screen reader announces on arrival) from the
 * most specific part to the product: "Jobs · Production · Ray Console". `undefined` leaves the title to
 * another component (a frame whose page names itself).
 */
export function useDocumentTitle(parts: readonly string[] | undefined): void {
  const { t } = useT('common');
  const title = parts ? [...parts.filter((p) => p !== ''), t('shell.brand')].join(' · ') : undefined;
  useEffect(() => {
    if (title !== undefined) document.title = title;
  }, [title]);
}
