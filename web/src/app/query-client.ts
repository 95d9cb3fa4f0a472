import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, needsSignIn } from '../lib/api-error';
import { clusterKeys } from '../features/clusters/api';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/**
 * One query client for the app. When any cluster call says the session is no longer signed in there
 * (token rejected, signed out elsewhere), the cluster list is refetched so that cluster shows its prompt.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (needsSignIn(error)) void client.invalidateQueries({ queryKey: clusterKeys.list() });
      },
    }),
    defaultOptions: {
      queries: {
        // Sign-in problems and bad requests do not get better by retrying; an unreachable head might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
  return client;
}
