import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LoginResponse, SignInOptions } from '@ray-console/shared';
import { ErrorText } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { api } from '../../lib/api-client';
import { clusterKeys, sessionKeys } from './api';

/**
 * "Sign in as me" in the token prompt, for a cluster whose token discovery found in a Secret: offered
 * when the API server says the person may get it; the console then reads it for them, and the token
 * never reaches the page. A chunk of its own, fetched only for such clusters: the prompt is on the
 * first page, which must stay small (docs/benchmarks.md, "Initial load").
 */
export function SignInAsMe({ clusterId }: { clusterId: string }) {
  const { t } = useT('clusters');
  const queryClient = useQueryClient();
  // Under the cluster's key: a sign-in or sign-out asks again. An error just leaves the button out.
  const options = useQuery(
    queryOptions({
      queryKey: [...clusterKeys.cluster(clusterId), 'sign-in-options'] as const,
      queryFn: () => api.get(`${signInPath(clusterId)}/options`, SignInOptions),
      staleTime: 30_000,
      retry: false,
    }),
  );
  const signIn = useMutation({
    mutationFn: () => api.send('POST', `${signInPath(clusterId)}/kubernetes-secret`, undefined, LoginResponse),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: clusterKeys.cluster(clusterId) });
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
      await queryClient.invalidateQueries({ queryKey: sessionKeys.session });
    },
  });
  if (!options.data?.kubernetesSecret) return null;
  return (
    <div className="as-me">
      {signIn.isError ? (
        <div className="panel panel-error" role="alert">
          <ErrorText error={signIn.error} />
        </div>
      ) : null}
      <p>{t('prompt.asMeIntro', { user: options.data.kubernetesUser ?? '' })}</p>
      <button
        type="button"
        className="button button-primary"
        disabled={signIn.isPending}
        onClick={() => signIn.mutate()}
      >
        {signIn.isPending ? t('prompt.validating') : t('prompt.asMe')}
      </button>
    </div>
  );
}

const signInPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/sign-in`;
