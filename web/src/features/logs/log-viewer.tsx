import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LOG_LINE_CONTINUED } from '@ray-console/shared';
import { ErrorText } from '../../components/error-panel';
import type { T } from '../../i18n/catalogs';
import { formatNumber } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import type { LogStore } from './log-store';
import { AnsiLine } from './ansi-line';
import { findMatches } from './log-search';
import { useUrlText } from '../../lib/url-text';
import { lineFromSearch, withLogPlace } from './log-place';
import { logPaletteStyle } from './log-palette';

const paletteStyle = logPaletteStyle();

const ROW_HEIGHT = 18;

const stateText = (store: LogStore, t: T<'logs'>): string => {
  const s = store.state;
  switch (s.kind) {
    case 'loading':
      return t('viewer.state.loading');
    case 'streaming':
      return t('viewer.state.streaming');
    case 'reconnecting':
      return t('viewer.state.reconnecting');
    case 'ended':
      return s.status ? t('viewer.state.ended', { status: s.status }) : t('viewer.state.complete');
    case 'error':
      return t('viewer.state.error');
  }
};

/** Why the log stopped, in the user's language. */
function StoppedReason({ store }: { store: LogStore }) {
  const { t } = useT('logs');
  const s = store.state;
  if (s.kind !== 'error') return null;
  return (
    <span role="alert">
      {' · '}
      {s.reason === 'failed' ? (
        <ErrorText error={s.error} />
      ) : s.reason === 'closed' ? (
        <>
          {t('viewer.closed')}
          {s.detail ? (
            <span className="muted error-detail" lang="en">
              {' '}
              {s.detail}
            </span>
          ) : null}
        </>
      ) : (
        t('viewer.stopped')
      )}
    </span>
  );
}

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
  label,
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
  const { t } = useT('logs');
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
      <div className="log-toolbar" role="toolbar" aria-label={t('viewer.tools')}>
        <label htmlFor={searchId} className="visually-hidden">
          {t('viewer.search')}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder={t('viewer.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        <span className="muted" aria-live="polite" data-testid="match-count">
          {query === ''
            ? ''
            : searching
              ? t('viewer.searching')
              : matches.length === 0
                ? t('viewer.noMatches')
                : t('viewer.matchOf', { current: formatNumber(current + 1), total: formatNumber(matches.length) })}
        </span>
        <button
          type="button"
          className="button button-small"
          onClick={() => goTo(current - 1)}
          disabled={matches.length === 0}
        >
          {t('viewer.previous')}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => goTo(current + 1)}
          disabled={matches.length === 0}
        >
          {t('viewer.next')}
        </button>
        <span className="toolbar-gap" />
        <button
          type="button"
          className="button button-small"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
        >
          {follow ? t('viewer.pause') : t('viewer.follow')}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setFollow(false);
            virtualizer.scrollToIndex(0, { align: 'start' });
          }}
        >
          {t('viewer.top')}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => virtualizer.scrollToIndex(Math.max(0, count - 1), { align: 'end' })}
        >
          {t('viewer.bottom')}
        </button>
        <a className="button button-small" href={downloadHref} download>
          {t('viewer.download')}
        </a>
      </div>
      <div className="log-status muted">
        <span data-testid="log-state">{stateText(store, t)}</span> ·{' '}
        <span data-testid="line-count">{t('viewer.lines', { count: store.totalLines })}</span>
        <StoppedReason store={store} />
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
        aria-label={label ?? t('viewer.jobLog')}
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
                    <Rich
                      ns="logs"
                      k="viewer.skipped"
                      values={{ from: formatNumber(skipped.from), to: formatNumber(skipped.to) }}
                      components={{ a: <a href={downloadHref} /> }}
                    />
                  </span>
                ) : (
                  <span className="log-text">
                    {continued ? (
                      <span className="log-continued" title={t('viewer.continued')}>
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
