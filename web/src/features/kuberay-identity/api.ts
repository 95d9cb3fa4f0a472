import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KubeCanI, KubeIdentity, type KubeCanIQuery } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { ApiError } from '../../lib/api-error';

/**
 * Whose Kubernetes identity the console acts with (issue 12). Everything Kubernetes-side hangs under
 * one key, so pasting or forgetting a token refreshes every "may I?" answer with it.
 */
export const kubeIdentityKeys = {
  all: ['kubernetes-identity'] as const,
  identity: () => [...kubeIdentityKeys.all, 'identity'] as const,
  canI: (q: KubeCanIQuery) => [...kubeIdentityKeys.all, 'can-i', q] as const,
};

export const kubeIdentityQuery = () =>
  queryOptions({
    queryKey: kubeIdentityKeys.identity(),
    queryFn: () => api.get('/api/kubernetes/identity', KubeIdentity),
    // It changes when the person pastes or forgets a token (those refresh it) or a token expires.
    staleTime: 60_000,
  });

/**
 * The person's Kubernetes identity, for pages that offer Kubernetes actions: `acting` is false while it
 * loads, when there is none (`identity.enable` says how to get one) or when it cannot be read, so
 * create and delete stay hidden until the console can act.
 */
export function useKubeIdentity(): { identity: KubeIdentity | undefined; acting: boolean; isPending: boolean } {
  const query = useQuery(kubeIdentityQuery());
  const identity = query.data;
  return { identity, acting: identity !== undefined && identity.mode !== 'none', isPending: query.isPending };
}

/**
 * May the person do this (a SelfSubjectAccessReview as them)? False while unknown, and when there is no
 * identity to ask with; the API server still decides at the action itself.
 */
export function useKubeCanI(q: KubeCanIQuery, enabled = true): boolean {
  const { acting } = useKubeIdentity();
  const query = useQuery({
    queryKey: kubeIdentityKeys.canI(q),
    queryFn: () => {
      const search = new URLSearchParams({ verb: q.verb, kind: q.kind, namespace: q.namespace });
      if (q.name) search.set('name', q.name);
      return api.get(`/api/kubernetes/identity/can-i?${search}`, KubeCanI);
    },
    enabled: enabled && acting,
    staleTime: 30_000,
    retry: false,
  });
  return query.data?.allowed === true;
}

/** Refreshes everything Kubernetes-side after the identity changed (a 401 from a pasted token, say). */
export function useRefreshKubeIdentity() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: kubeIdentityKeys.all });
}

/** True for the errors that mean "paste a (new) token": the identity page asks again. */
export const asksForKubeToken = (error: unknown): boolean =>
  error instanceof ApiError &&
  (error.code === 'kube_token_expired' ||
    error.code === 'kube_token_rejected' ||
    error.code === 'kube_identity_required');

export function usePasteKubeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.send('PUT', '/api/kubernetes/identity/token', { token }, KubeIdentity),
    onSuccess: async (identity) => {
      queryClient.setQueryData(kubeIdentityKeys.identity(), identity);
      await queryClient.invalidateQueries({ queryKey: kubeIdentityKeys.all });
    },
  });
}

export function useForgetKubeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.send('DELETE', '/api/kubernetes/identity/token', undefined, null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kubeIdentityKeys.all }),
  });
}
