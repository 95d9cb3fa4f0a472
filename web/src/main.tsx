import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { drawWhenCatalogsAreThere } from './app/first-draw';
import { createQueryClient } from './app/query-client';
import { preloadPageAt } from './app/route-pages';
import { AppRoutes } from './app/router';
import { startI18n } from './i18n/i18n';
import './styles.css';

const queryClient = createQueryClient();
const i18nReady = startI18n();
preloadPageAt(window.location.pathname, queryClient);

drawWhenCatalogsAreThere(
  document.getElementById('root')!,
  i18nReady,
  <QueryClientProvider client={queryClient}>
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  </QueryClientProvider>,
);
