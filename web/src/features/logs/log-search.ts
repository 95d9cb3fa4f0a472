/**
 * Finds the lines that contain a query, case-insensitively, without blocking the page: the scan runs
 * in slices of `sliceSize` lines and yields between slices, so a million-line log stays responsive
 * while it is searched. Returns the matching line numbers in order; `signal` cancels a stale search.
 */
export async function findMatches(
  lines: readonly string[],
  query: string,
  options: { signal?: AbortSignal; sliceSize?: number; yieldTo?: () => Promise<void> } = {},
): Promise<number[]> {
  const needle = query.toLowerCase();
  if (needle === '') return [];
  const sliceSize = options.sliceSize ?? 50_000;
  const yieldTo = options.yieldTo ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  const matches: number[] = [];
  for (let start = 0; start < lines.length; start += sliceSize) {
    if (options.signal?.aborted) throw new DOMException('search cancelled', 'AbortError');
    const end = Math.min(lines.length, start + sliceSize);
    for (let i = start; i < end; i++) {
      if (lines[i]!.toLowerCase().includes(needle)) matches.push(i);
    }
    if (end < lines.length) await yieldTo();
  }
  return matches;
}

/** The parts of a line split around every occurrence of the query, for highlighting. */
export function splitByQuery(text: string, query: string): { text: string; match: boolean }[] {
  if (query === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let from = 0;
  for (;;) {
    const at = lower.indexOf(needle, from);
    if (at < 0) break;
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from), match: false });
  return parts;
}
