/** The longest search kept from a URL; the search box takes anything, a link beyond this is cut to it. */
const MAX_FIND = 1000;

/**
 * The selected line a page's URL names (`line`, numbered from 1), or undefined when it names none or
 * something that is not a line number (a hand-edited link falls back to the log's end, never fails).
 */
export function lineFromSearch(search: URLSearchParams): number | undefined {
  const text = search.get('line');
  return text && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
}

/**
 * The page's search with the log viewer's place changed (`find`, `line`), every other parameter (the
 * page's tab, which log) kept. An empty search or no line removes the parameter.
 */
export function withLogPlace(search: URLSearchParams, place: { find?: string; line?: number }): string {
  const next = new URLSearchParams(search);
  if (place.find !== undefined) {
    if (place.find === '') next.delete('find');
    else next.set('find', place.find.slice(0, MAX_FIND));
  }
  if (place.line !== undefined) next.set('line', String(place.line));
  return `?${next.toString()}`;
}
