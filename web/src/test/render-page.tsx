import { useLayoutEffect, type ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { InEnglish } from './i18n';
import {
  MemoryRouter,
  Route,
  Routes,
  useLocation,
  useNavigate,
  useNavigationType,
  type NavigationType,
} from 'react-router';

/**
 * The URL the page shows now, as a test reads it: what a user would copy from the address bar, and how
 * the page got there (`PUSH` adds a history entry that Back returns from, `REPLACE` does not).
 */
export const currentUrl = {
  pathname: '',
  search: new URLSearchParams(),
  navigationType: 'POP' as NavigationType,
  get href() {
    return `${this.pathname}?${this.search.toString()}`;
  },
};

/** The browser's Back and Forward buttons, for the page rendered last. */
export const browser = { back: () => undefined as void, forward: () => undefined as void };

function UrlProbe() {
  const location = useLocation();
  const navigationType = useNavigationType();
  const navigate = useNavigate();
  useLayoutEffect(() => {
    browser.back = () => void navigate(-1);
    browser.forward = () => void navigate(1);
  }, [navigate]);
  useLayoutEffect(() => {
    currentUrl.pathname = location.pathname;
    currentUrl.search = new URLSearchParams(location.search);
    currentUrl.navigationType = navigationType;
  }, [location, navigationType]);
  return null;
}

/**
 * Renders a page as the app does (TanStack Query, React Router) at a URL, matched by `path` so the page
 * reads its params, in English. Each render has its own query client with retries off, so a failure shows at once.
 */
export function renderPage(page: ReactElement, { path, url }: { path: string; url: string }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <InEnglish>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[url]}>
          <UrlProbe />
          <Routes>
            <Route path={path} element={page} />
            <Route path="*" element={<p>Elsewhere</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </InEnglish>,
  );
}
