import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// A deploy replaced the files while the tab was open: every catalog chunk of the old build is gone.
vi.mock('../i18n/catalog-files', () => {
  const gone = () =>
    Promise.reject(
      new TypeError('Failed to fetch dynamically imported module: http://console/assets/catalog-en-first-old.js'),
    );
  return {
    catalogFiles: Object.fromEntries(
      ['en', 'zh-CN'].flatMap((language) =>
        ['common', 'clusters', 'shell', 'tokens'].map((ns) => [`./locales/${language}/${ns}.json`, gone]),
      ),
    ),
  };
});

const { drawWhenCatalogsAreThere } = await import('./first-draw');
const { startI18n } = await import('../i18n/i18n');

let reload: ReturnType<typeof vi.fn>;
let root: HTMLElement;

/** The browser's navigation record says how this page was loaded ('reload' after the automatic one). */
function loadedBy(type: 'navigate' | 'reload') {
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type } as PerformanceNavigationTiming]);
}

async function openTheConsole() {
  const catalogs = startI18n();
  await act(async () => {
    drawWhenCatalogsAreThere(root, catalogs, <p>The cluster list</p>);
    await catalogs.catch(() => undefined);
  });
}

beforeEach(() => {
  reload = vi.fn();
  vi.stubGlobal('location', { ...window.location, reload });
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  root.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the first page when its catalogs cannot be fetched', () => {
  it('reloads once by itself, saying so in words', async () => {
    loadedBy('navigate');
    await openTheConsole();
    // (Called twice under StrictMode's doubled effects in development; the first call leaves the page.)
    expect(reload).toHaveBeenCalled();
    expect(await screen.findByText('Loading the latest version of the console…')).toBeTruthy();
    expect(screen.queryByText('The cluster list')).toBeNull();
  });

  it('after that reload, says the page could not be loaded and offers the reload, in words', async () => {
    loadedBy('reload');
    await openTheConsole();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This page could not be loaded');
    expect(alert.textContent).not.toContain('scriptLoad');
    expect(reload).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
