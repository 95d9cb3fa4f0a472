import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LOG_LINE_CONTINUED } from '@ray-console/shared';
import type { LogStore } from './log-store';
import { AnsiLine } from './ansi-line';
import { findMatches } from './log-search';
import { useUrlText } from '../../lib/url-text';
import { lineFromSearch, withLogPlace } from './log-place';
import { logPaletteStyle } from './log-palette';

const paletteStyle = logPaletteStyle();

const ROW_HEIGHT = 18;

const stateText = (store: LogStore): string => {
  const s = store.state;
  switch (s.kind) {
    case 'loading':
      return 'Loading…';
    case 'streaming':
      return 'Live';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'ended':
      return s.status ? `Ended (${s.status})` : 'Complete';
    case 'error':
      return 'Stopped';
  }
};

/**
 * A log viewer that stays responsive on a million lines: only the visible rows are in the DOM (fixed
 * row height, so no measuring), the search scans in slices between frames, and following the tail
 * pauses by itself when the reader scrolls up. The search (`find`) and the selected line (`line`) live
 * in the page's URL (log-place.ts), so a link opens the log at the same place: the line is scrolled to
 * and marked (e.g. the line of an exception), the search's first match is scrolled to. Clicking a
 * line's number selects it (a history entry of its own); typing a search replaces the current entry.
 */
export function LogViewer({
  store,
  version,
  downloadHref,
  label = 'Job log',
}: {
  store: LogStore;
  version: number;
  downloadHref: string;
  /** The accessible name of the lines' scroll area (each page's viewer names its log). */
  label?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const targetLine = lineFromSearch(search);
  const [query, setQuery] = useUrlText(
    search.get('find') ?? '',
    (text) =>
      void navigate({ search: withLogPlace(search, { find: text }) }, { replace: true, preventScrollReset: true }),
    150,
  );
  // A log opened at a line or a search stays there instead of following the tail.
  const [follow, setFollow] = useState(targetLine === undefined && query === '');
  const [matches, setMatches] = useState<number[]>([]);
  const [current, setCurrent] = useState(0);
  const [searching, setSearching] = useState(false);
  const searchId = useId();
  const count = store.lines.length;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  // Follow the tail: each batch of new lines scrolls to the end while following is on.
  useEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, count, version, virtualizer]);

  // Go to the selected line once it has arrived; once per line, so the reader can scroll away from it. A
  // line selected by a click is in view already (`reached` is set by the click, and nothing scrolls).
  const targetIndex = targetLine === undefined ? undefined : store.rowOfLine(targetLine);
  const [reached, setReached] = useState<number>();
  useEffect(() => {
    if (targetLine === undefined || reached === targetLine || targetIndex === undefined || targetIndex >= count) return;
    setFollow(false);
    virtualizer.scrollToIndex(targetIndex, { align: 'center' });
    setReached(targetLine);
  }, [reached, targetLine, targetIndex, count, virtualizer]);

  const loaded = store.state.kind === 'ended';
  // Search again when the query changes; a newer query cancels the older scan.
  useEffect(() => {
    if (query === '') {
      setMatches([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      findMatches(store.lines, query, { signal: controller.signal })
        .then((found) => {
          setMatches(found);
          setCurrent(0);
          setSearching(false);
          if (found.length > 0) {
            setFollow(false);
            virtualizer.scrollToIndex(found[0]!, { align: 'center' });
          }
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // Lines arriving later are not re-searched on every batch (Enter re-runs the search), but a log that has
    // just finished loading is, so a log opened with a search finds its lines.
  }, [query, store, virtualizer, loaded]);

  const goTo = (index: number) => {
    if (matches.length === 0) return;
    const next = (index + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    virtualizer.scrollToIndex(matches[next]!, { align: 'center' });
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    goTo(event.shiftKey ? current - 1 : current + 1);
  };

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
    if (!atBottom && follow) setFollow(false);
  };

  const currentLine = matches.length > 0 ? matches[current] : undefined;
  return (
    <div className="log-viewer" style={paletteStyle}>
      <div className="log-toolbar" role="toolbar" aria-label="Log tools">
        <label htmlFor={searchId} className="visually-hidden">
          Search log
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search log"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        <span className="muted" aria-live="polite" data-testid="match-count">
          {query === ''
            ? ''
            : searching
              ? 'Searching…'
              : matches.length === 0
                ? 'No matches'
                : `${current + 1} of ${matches.length}`}
        </span>
        <button
          type="button"
          className="button button-small"
          onClick={() => goTo(current - 1)}
          disabled={matches.length === 0}
        >
          Previous
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => goTo(current + 1)}
          disabled={matches.length === 0}
        >
          Next
        </button>
        <span className="toolbar-gap" />
        <button
          type="button"
          className="button button-small"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
        >
          {follow ? 'Pause' : 'Follow'}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setFollow(false);
            virtualizer.scrollToIndex(0, { align: 'start' });
          }}
        >
          Top
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => virtualizer.scrollToIndex(Math.max(0, count - 1), { align: 'end' })}
        >
          Bottom
        </button>
        <a className="button button-small" href={downloadHref} download>
          Download
        </a>
      </div>
      <div className="log-status muted">
        <span data-testid="log-state">{stateText(store)}</span> ·{' '}
        <span data-testid="line-count">{store.totalLines.toLocaleString('en-US')} lines</span>
        {store.state.kind === 'error' ? <span role="alert"> · {store.state.message}</span> : null}
      </div>
      <div
        ref={scrollRef}
        className="log-scroll"
        onScroll={onScroll}
        tabIndex={0}
        // A log: its name says which. Not announced as it changes (aria-live off): scrolling a virtual list
        // swaps rows in and out, which a screen reader would read as new lines; the status line says "Live".
        role="log"
        aria-live="off"
        aria-label={label}
        data-testid="log-lines"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const skipped = store.skippedAt(row.index);
            const number = store.lineNumber(row.index);
            const line = store.lines[row.index] ?? '';
            const continued = line.startsWith(LOG_LINE_CONTINUED);
            return (
              <div
                key={row.key}
                className={
                  row.index === currentLine
                    ? 'log-line log-line-current'
                    : row.index === targetIndex
                      ? 'log-line log-line-target'
                      : 'log-line'
                }
                {...(row.index === targetIndex ? { 'data-testid': 'log-target-line' } : {})}
                style={{ transform: `translateY(${row.start}px)` }}
                data-line={number}
              >
                {skipped ? (
                  <span className="log-number" aria-hidden="true">
                    …
                  </span>
                ) : (
                  // Out of the tab order and hidden from screen readers: a pointer's shortcut to a link to
                  // the line; the numbers would otherwise be read before every line.
                  <Link
                    className="log-number"
                    aria-hidden="true"
                    tabIndex={-1}
                    to={{ search: withLogPlace(search, { line: number }) }}
                    preventScrollReset
                    onClick={() => {
                      setReached(number);
                      setFollow(false);
                    }}
                  >
                    {number}
                  </Link>
                )}
                {skipped ? (
                  <span className="log-text log-skipped" role="note" data-testid="log-skipped">
                    Lines {skipped.from.toLocaleString('en-US')}–{skipped.to.toLocaleString('en-US')} are not shown live
                    (the console keeps the latest lines only); <a href={downloadHref}>download the full log</a> to read
                    them.
                  </span>
                ) : (
                  <span className="log-text">
                    {continued ? (
                      <span className="log-continued" title="Continues the line above (a long line is cut into pieces)">
                        ↪
                      </span>
                    ) : null}
                    <AnsiLine line={continued ? line.slice(LOG_LINE_CONTINUED.length) : line} query={query} />
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
