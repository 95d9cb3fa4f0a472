import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type {
  ClusterEvent,
  KubernetesCondition,
  PodProgress,
  RayClusterProgress,
  ReadRefusal,
} from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { formatDateTime } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { PROGRESS_REFRESH_MS, rayClusterProgressQuery } from './api';
import { DeleteRayClusterDialog } from './delete-raycluster-dialog';
import { summaryText } from './summary-text';
import { YamlExport } from './yaml-export';

/** Errors that a Kubernetes identity (pasted on the identity page) answers. */
const KUBE_IDENTITY_CODES = new Set(['kube_identity_required', 'kube_token_expired', 'kube_token_rejected']);

/**
 * A RayCluster's Kubernetes page (issue 12): what it waits for in one sentence, the operator's
 * conditions, its Pods with why one is stuck, the Events, the YAML, and Delete for a person who may.
 * It lives outside the cluster's own pages: a cluster still being created has no head to sign in to.
 * Read again every few seconds until the cluster is ready.
 */
export function RayClusterPage() {
  const { namespace = '', name = '' } = useParams();
  const { t } = useT('kuberayCluster');
  useDocumentTitle([t('title', { name })]);
  const progress = useQuery(rayClusterProgressQuery(namespace, name));
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  if (progress.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (progress.isError && !progress.data) {
    const identity = KUBE_IDENTITY_CODES.has(progress.error.code);
    return (
      <>
        <ErrorPanel error={progress.error} onRetry={() => void progress.refetch()} />
        {identity ? (
          <p>
            <Link to="/kubernetes/identity">{t('identityPage')}</Link>
          </p>
        ) : null}
      </>
    );
  }
  const p = progress.data;
  return (
    <section aria-labelledby="raycluster-title" className="raycluster">
      <p>
        <Link to="/">{t('allClusters')}</Link>
      </p>
      <div className="cluster-header">
        <h1 id="raycluster-title">{t('title', { name: p.name })}</h1>
        <span className="muted">{t('inNamespace', { namespace: p.namespace })}</span>
        <span className={p.ready ? 'badge badge-ok' : 'badge badge-bad'}>{p.ready ? t('ready') : t('notReady')}</span>
      </div>
      <p className={p.ready ? 'panel' : 'panel panel-warning'} role="status">
        {summaryText(p.summary, t)}
      </p>
      {p.ready ? null : <p className="muted">{t('refreshing', { seconds: PROGRESS_REFRESH_MS / 1000 })}</p>}
      <div className="toolbar">
        {p.ready ? (
          <Link className="button button-primary" to={`/clusters/${encodeURIComponent(p.clusterId)}`}>
            {t('openCluster')}
          </Link>
        ) : null}
        <span className="toolbar-gap" />
        {p.can.delete ? (
          <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
            {t('delete.button')}
          </button>
        ) : null}
      </div>
      <Conditions conditions={p.conditions} />
      <Pods progress={p} />
      <Events progress={p} />
      <YamlExport namespace={p.namespace} name={p.name} />
      <DeleteRayClusterDialog
        open={deleting}
        namespace={p.namespace}
        name={p.name}
        onClose={() => setDeleting(false)}
        onDeleted={() => void navigate('/')}
      />
    </section>
  );
}

/** What the API server refused, for whom: the rest of the page is still what the person may read. */
function Refused({ refusal }: { refusal: ReadRefusal }) {
  const { t } = useT('kuberayCluster');
  return (
    <div className="panel panel-warning">
      <p>{t('refused', { user: refusal.user ?? '?', verb: refusal.verb, resource: refusal.resource })}</p>
      <p className="muted error-detail" lang="en">
        {refusal.message}
      </p>
    </div>
  );
}

function Conditions({ conditions }: { conditions: KubernetesCondition[] }) {
  const { t } = useT('kuberayCluster');
  return (
    <section aria-labelledby="raycluster-conditions-title">
      <h2 id="raycluster-conditions-title">{t('conditions.title')}</h2>
      <p className="muted">{t('conditions.intro')}</p>
      {conditions.length === 0 ? (
        <p>{t('conditions.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('conditions.type')}</th>
              <th scope="col">{t('conditions.status')}</th>
              <th scope="col">{t('conditions.reason')}</th>
              <th scope="col">{t('conditions.message')}</th>
            </tr>
          </thead>
          <tbody>
            {conditions.map((c) => (
              <tr key={c.type}>
                <th scope="row">{c.type}</th>
                <td>{c.status}</td>
                <td>{c.reason}</td>
                <td lang="en">{c.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Pods({ progress }: { progress: RayClusterProgress }) {
  const { t } = useT('kuberayCluster');
  return (
    <section aria-labelledby="raycluster-pods-title">
      <h2 id="raycluster-pods-title">{t('pods.title')}</h2>
      {progress.podsRefused ? <Refused refusal={progress.podsRefused} /> : null}
      {progress.pods?.length === 0 ? <p>{t('pods.none')}</p> : null}
      {progress.pods && progress.pods.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('pods.name')}</th>
              <th scope="col">{t('pods.role')}</th>
              <th scope="col">{t('pods.phase')}</th>
              <th scope="col">{t('pods.node')}</th>
              <th scope="col">{t('pods.why')}</th>
              <th scope="col">{t('pods.restarts')}</th>
            </tr>
          </thead>
          <tbody>
            {progress.pods.map((pod) => (
              <PodRow key={pod.name} pod={pod} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function PodRow({ pod }: { pod: PodProgress }) {
  const { t } = useT('kuberayCluster');
  const tone = pod.phase === 'failed' || (pod.reason && pod.phase !== 'running') ? 'badge badge-bad' : 'badge';
  return (
    <tr>
      <th scope="row">
        <code>{pod.name}</code>
      </th>
      <td>{pod.role === 'head' ? t('pods.head') : t('pods.worker', { group: pod.group ?? '' })}</td>
      <td>
        <span className={pod.ready ? 'badge badge-ok' : tone}>
          {t(`phase.${pod.phase}`)}
          {pod.ready ? ` · ${t('pods.ready')}` : ''}
        </span>
      </td>
      <td>{pod.node ?? <span className="muted">{t('pods.noNode')}</span>}</td>
      <td>
        {pod.reason ? <strong>{pod.reason}</strong> : null}
        {pod.container ? <span className="muted"> ({pod.container})</span> : null}
        {pod.message ? (
          <span className="muted" lang="en">
            {' '}
            {pod.message}
          </span>
        ) : null}
      </td>
      <td>{pod.restarts}</td>
    </tr>
  );
}

function Events({ progress }: { progress: RayClusterProgress }) {
  const { t } = useT('kuberayCluster');
  return (
    <section aria-labelledby="raycluster-events-title">
      <h2 id="raycluster-events-title">{t('events.title')}</h2>
      {progress.eventsRefused ? <Refused refusal={progress.eventsRefused} /> : null}
      {progress.events?.length === 0 ? <p>{t('events.none')}</p> : null}
      {progress.events && progress.events.length > 0 ? (
        <>
          <p className="muted">{t('events.intro')}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('events.type')}</th>
                <th scope="col">{t('events.reason')}</th>
                <th scope="col">{t('events.object')}</th>
                <th scope="col">{t('events.message')}</th>
                <th scope="col">{t('events.count')}</th>
                <th scope="col">{t('events.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {progress.events.map((e, i) => (
                <EventRow key={`${e.object.kind}/${e.object.name}/${e.reason}/${i}`} event={e} />
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function EventRow({ event: e }: { event: ClusterEvent }) {
  const { t } = useT('kuberayCluster');
  return (
    <tr>
      <td>
        <span className={e.type === 'Warning' ? 'badge badge-bad' : 'badge'}>
          {e.type === 'Warning' ? t('events.warning') : t('events.normal')}
        </span>
      </td>
      <td>{e.reason}</td>
      <td>
        {e.object.kind} <code>{e.object.name}</code>
      </td>
      <td lang="en">{e.message}</td>
      <td>{e.count}</td>
      <td>{e.lastSeen ? formatDateTime(e.lastSeen) : ''}</td>
    </tr>
  );
}
