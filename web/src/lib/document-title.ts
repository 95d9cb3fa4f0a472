import { useEffect } from 'react';

/**
 * Names the browser tab (and the history entry, and what a screen reader announces on arrival) from the
 * most specific part to the product: "Jobs · Production · Ray Console". `undefined` leaves the title to
 * another component (a frame whose page names itself).
 */
export function useDocumentTitle(parts: readonly string[] | undefined): void {
  const title = parts ? [...parts.filter((p) => p !== ''), 'Ray Console'].join(' · ') : undefined;
  useEffect(() => {
    if (title !== undefined) document.title = title;
  }, [title]);
}
