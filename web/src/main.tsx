import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '@lingui/react';
import { BrowserRouter } from 'react-router';
import { createQueryClient } from './app/query-client';
import { pageNamespacesAt, preloadPageAt } from './app/route-pages';
import { AppRoutes } from './app/router';
import { i18n, startI18n } from './i18n/i18n';
import './styles.css';

const queryClient = createQueryClient();
const i18nReady = startI18n(pageNamespacesAt(window.location.pathname));
preloadPageAt(window.location.pathname, queryClient);

// Drawn once the first page's catalogs are there (fetched beside the cluster list), so a Chinese
// reader never sees English first; drawn anyway if they failed (the ids show, the app still works).
const draw = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </I18nProvider>
    </StrictMode>,
  );
i18nReady.then(draw, draw);
