import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { lazyPart } from '../../lib/lazy-part';
import { rayClusterPagePath } from '../kuberay-cluster/paths';
import { clusterListQuery } from './api';
import { TokenPrompt } from './token-prompt';

/**
 * The frame of a cluster the session may use (cluster-frame.tsx), from the chunk every page inside a
 * cluster imports: a deep link fetches it with the page's chunk (route-pages.tsx), and the cluster list
 * prefetches it, so it adds no request to the way to a page.
 */
const clusterFrame = lazyPart(() => import('./use-cluster-title'));

/** Everything under `/clusters/:clusterId`: the prompt until signed in, then the cluster's pages. */
export function ClusterLayout() {
  const { clusterId = '' } = useParams();
  const clusters = useQuery(clusterListQuery());
  const cluster = clusters.data?.find((c) => c.id === clusterId);
  // A cluster the session may use: signed in, or one whose token the console holds.
  const usable = !!cluster && !cluster.misconfigured && (cluster.signedIn || !!cluster.managedToken);
  // The pages inside a usable cluster name themselves; the frame names what it shows instead of one.
  const { t: shell } = useT('shell');
  useDocumentTitle(
    !clusters.data || usable
      ? undefined
      : !cluster
        ? [shell('title.unknownCluster')]
        : cluster.misconfigured
          ? [cluster.displayName]
          : [shell('title.signIn'), cluster.displayName],
  );
  const { t } = useT('clusters');
  const common = useT('common').t;
  const tokens = useT('tokens').t;
  // A cluster whose token the console holds, with the prompt left on: someone holding the token may
  // still sign in with it (while the console's token file is out of date, say).
  const [ownToken, setOwnToken] = useState(false);
  // The frame of a cluster the session may use, asked for as soon as the list says so.
  const frame = clusterFrame.usePart(usable);

  if (clusters.isPending) return <p aria-busy="true">{common('loading')}</p>;
  if (clusters.isError) return <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} />;
  if (!cluster) {
    return (
      <div className="panel" role="alert">
        <Rich ns="clusters" k="layout.noSuchCluster" values={{ id: clusterId }} components={{ code: <code /> }} />
      </div>
    );
  }
  if (cluster.misconfigured) {
    // The console builds no client for such a cluster, so there is nothing to sign in to.
    return (
      <section className="prompt" aria-labelledby="misconfigured-title">
        <h1 id="misconfigured-title">{t('layout.misconfigured', { name: cluster.displayName })}</h1>
        <p className="panel panel-error" role="alert">
          {cluster.misconfigured}
        </p>
      </section>
    );
  }
  const managed = cluster.managedToken;
  if (!cluster.signedIn && !managed) {
    // A discovered cluster may not be ready to sign in to yet: its Kubernetes page says what it waits for.
    const k = cluster.kubernetes;
    return (
      <>
        {k ? (
          <p>
            <Link to={rayClusterPagePath(k.namespace, k.name)}>{t('layout.kubernetesPage')}</Link>
          </p>
        ) : null}
        <TokenPrompt cluster={cluster} />
      </>
    );
  }
  if (!cluster.signedIn && managed?.tokenPrompt && ownToken) {
    return (
      <>
        <TokenPrompt cluster={cluster} />
        <button type="button" className="button button-quiet" onClick={() => setOwnToken(false)}>
          {tokens('consoleToken')}
        </button>
      </>
    );
  }

  if (!frame) return <p aria-busy="true">{common('loading')}</p>;
  return <frame.ClusterFrame cluster={cluster} setOwnToken={setOwnToken} />;
}
