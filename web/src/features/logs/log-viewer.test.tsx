import { beforeAll, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { browser, currentUrl, renderPage } from '../../test/render-page';
import { LogStore } from './log-store';
import { LogViewer } from './log-viewer';

// happy-dom does no layout: give the log's scroll area the size a screen would, and scrolling that
// moves it and says so, so the virtual list draws the rows in view (and only those) as a browser does.
beforeAll(() => {
  const scrollTops = new WeakMap<Element, number>();
  Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: HTMLElement, top: number) {
      scrollTops.set(this, top);
    },
  });
  HTMLElement.prototype.scrollTo = function (this: HTMLElement, options?: ScrollToOptions | number) {
    this.scrollTop = typeof options === 'object' ? (options.top ?? this.scrollTop) : 0;
    this.dispatchEvent(new Event('scroll'));
  } as typeof HTMLElement.prototype.scrollTo;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('log-scroll') ? 360 : 0;
    },
  });
  // As tall as the list inside it says it is.
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('log-scroll') ? 800 : 0;
    },
  });
});

/** A finished job's log of 5,000 lines, three of them an exception. */
function finishedLog(): LogStore {
  const store = new LogStore((run) => run());
  const lines = Array.from({ length: 5000 }, (_, i) =>
    [1200, 3400, 4800].includes(i + 1) ? `ValueError: bad input at step ${i + 1}` : `step ${i + 1} ok`,
  );
  store.appendLines(lines);
  store.setState({ kind: 'ended' });
  return store;
}

const open = (url: string) =>
  renderPage(<LogViewer store={finishedLog()} version={1} downloadHref="/download" label="Job log" />, {
    path: '/clusters/:clusterId/jobs/:jobId',
    url,
  });

const shownLines = () =>
  [...screen.getByTestId('log-lines').querySelectorAll('.log-line')].map((row) =>
    Number(row.getAttribute('data-line')),
  );

describe('the log viewer', () => {
  it('opens a link with a search at its first match, and Next jumps to the next one', async () => {
    const user = userEvent.setup();
    open('/clusters/c1/jobs/raysubmit_1?tab=overview&find=ValueError');
    await waitFor(() => expect(screen.getByTestId('match-count').textContent).toBe('1 of 3'));
    expect((screen.getByRole('searchbox', { name: 'Search log' }) as HTMLInputElement).value).toBe('ValueError');
    await waitFor(() => expect(shownLines()).toContain(1200));
    expect(shownLines()).not.toContain(4800);

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByTestId('match-count').textContent).toBe('2 of 3');
    await waitFor(() => expect(shownLines()).toContain(3400));
  });

  it('puts the search in the URL as the user types, keeping the page’s other parameters', async () => {
    const user = userEvent.setup();
    open('/clusters/c1/jobs/raysubmit_1?tab=overview');
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), 'valueerror');
    await waitFor(() => expect(currentUrl.search.get('find')).toBe('valueerror'));
    expect(currentUrl.navigationType).toBe('REPLACE');
    expect(currentUrl.search.get('tab')).toBe('overview');
    await waitFor(() => expect(screen.getByTestId('match-count').textContent).toBe('1 of 3'));

    await user.clear(screen.getByRole('searchbox', { name: 'Search log' }));
    await waitFor(() => expect(currentUrl.search.has('find')).toBe(false));
  });

  it('opens a link with a line at that line, marked, and a click on a line number selects that line in the URL', async () => {
    const user = userEvent.setup();
    open('/clusters/c1/jobs/raysubmit_1?line=2500');
    const target = await screen.findByTestId('log-target-line');
    expect(target.getAttribute('data-line')).toBe('2500');
    expect(shownLines()).not.toContain(1);

    const row = within(screen.getByTestId('log-lines')).getByText('step 2503 ok').closest('.log-line')!;
    await user.click(within(row as HTMLElement).getByText('2503'));
    expect(currentUrl.search.get('line')).toBe('2503');
    expect(currentUrl.navigationType).toBe('PUSH');
    await waitFor(() => expect(screen.getByTestId('log-target-line').getAttribute('data-line')).toBe('2503'));
  });

  it('goes Back to the line selected before, and scrolls to it when it is out of view', async () => {
    const user = userEvent.setup();
    open('/clusters/c1/jobs/raysubmit_1?line=300');
    await screen.findByTestId('log-target-line');
    const row = within(screen.getByTestId('log-lines')).getByText('step 301 ok').closest('.log-line')!;
    await user.click(within(row as HTMLElement).getByText('301'));
    await waitFor(() => expect(screen.getByTestId('log-target-line').getAttribute('data-line')).toBe('301'));
    await user.click(screen.getByRole('button', { name: 'Bottom' }));
    await waitFor(() => expect(shownLines()).toContain(5000));

    act(() => browser.back());
    await waitFor(() => expect(screen.getByTestId('log-target-line').getAttribute('data-line')).toBe('300'));
    expect(currentUrl.search.get('line')).toBe('300');
    expect(shownLines()).not.toContain(5000);
  });

  it('is a log region named after its log', () => {
    open('/clusters/c1/jobs/raysubmit_1');
    expect(screen.getByRole('log', { name: 'Job log' })).toBe(screen.getByTestId('log-lines'));
  });

  it('ignores a line in the URL that is not a line number', async () => {
    open('/clusters/c1/jobs/raysubmit_1?line=-3x');
    await waitFor(() => expect(screen.getByTestId('line-count').textContent).toBe('5,000 lines'));
    expect(screen.queryByTestId('log-target-line')).toBeNull();
  });
});
