import { Link } from 'react-router';
import type { RayServiceCluster, RayServiceView } from '@ray-console/shared';
import { useT } from '../../i18n/use-t';
import { useKnownCluster } from './api';

const healthy = new Set(['RUNNING', 'HEALTHY', 'Running']);
const broken = new Set(['DEPLOY_FAILED', 'UNHEALTHY', 'FailedToUpdateService']);
export const tone = (status: string) =>
  healthy.has(status) ? 'badge badge-ok' : broken.has(status) ? 'badge badge-bad' : 'badge';

export const detailHref = (namespace: string, name: string) =>
  `/kubernetes/rayservices/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/** Ready, upgrading or suspended, from the conditions; the operator's `serviceStatus` beside it. */
export function ServiceState({ service }: { service: RayServiceView }) {
  const { t } = useT('kuberayServices');
  return (
    <>
      <span className={service.ready ? 'badge badge-ok' : 'badge'}>{service.ready ? t('ready') : t('notReady')}</span>
      {service.upgradeInProgress ? <span className="badge"> {t('upgrading')}</span> : null}
      {service.suspended ? <span className="badge"> {t('suspended')}</span> : null}
      {service.serviceStatus ? <span className="muted"> {service.serviceStatus}</span> : null}
    </>
  );
}

/** The cluster's name, linked to its page in the console when discovery found it. */
export function ClusterLink({ cluster }: { cluster: RayServiceCluster }) {
  const known = useKnownCluster();
  return known(cluster.clusterId) ? (
    <Link to={`/clusters/${encodeURIComponent(cluster.clusterId)}`}>{cluster.name}</Link>
  ) : (
    <code>{cluster.name}</code>
  );
}
