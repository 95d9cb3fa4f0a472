import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { RayServiceCluster } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { ErrorPanel } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { rayServiceQuery, rayServiceYamlQuery } from './api';
import { ClusterLink, ServiceState, tone } from './service-parts';

/** One RayService, read-only: conditions, the active and pending clusters, each Serve application. */
export function RayServicePage() {
  const { namespace = '', name = '' } = useParams();
  const { t } = useT('kuberayServices');
  useDocumentTitle([name, t('list.title')]);
  const service = useQuery(rayServiceQuery(namespace, name));
  const [showYaml, setShowYaml] = useState(false);
  return (
    <section aria-labelledby="rayservice-title" className="rayservice">
      <p>
        <Link to="/kubernetes/rayservices">{t('detail.back')}</Link>
      </p>
      <h1 id="rayservice-title">{name}</h1>
      <p className="muted">{t('detail.namespace', { namespace })}</p>
      {service.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : service.isError && !service.data ? (
        <ErrorPanel error={service.error} onRetry={() => void service.refetch()} />
      ) : (
        <>
          <p>
            <ServiceState service={service.data} />
          </p>
          {service.data.conditions.length > 0 ? (
            <table className="table">
              <caption>{t('detail.conditions')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('columns.type')}</th>
                  <th scope="col">{t('columns.status')}</th>
                  <th scope="col">{t('columns.reason')}</th>
                  <th scope="col">{t('columns.message')}</th>
                </tr>
              </thead>
              <tbody>
                {service.data.conditions.map((c) => (
                  <tr key={c.type}>
                    <th scope="row">{c.type}</th>
                    <td>{c.status}</td>
                    <td>{c.reason ?? '—'}</td>
                    <td>{c.message ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t('detail.noStatus')}</p>
          )}
          {service.data.active ? <ServiceCluster role="active" cluster={service.data.active} /> : null}
          {service.data.pending ? <ServiceCluster role="pending" cluster={service.data.pending} /> : null}
        </>
      )}
      <p>
        <button type="button" className="button" aria-expanded={showYaml} onClick={() => setShowYaml((v) => !v)}>
          {t('detail.exportYaml')}
        </button>
      </p>
      {showYaml ? <Manifest namespace={namespace} name={name} /> : null}
    </section>
  );
}

function ServiceCluster({ role, cluster }: { role: 'active' | 'pending'; cluster: RayServiceCluster }) {
  const { t } = useT('kuberayServices');
  const id = `rayservice-${role}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {role === 'active' ? t('detail.active') : t('detail.pending')}: <ClusterLink cluster={cluster} />
      </h2>
      {cluster.trafficRoutedPercent !== undefined ? (
        <p className="muted">
          {t('detail.traffic', { traffic: cluster.trafficRoutedPercent, capacity: cluster.targetCapacity ?? 100 })}
        </p>
      ) : null}
      {cluster.applications.length === 0 ? <p className="muted">{t('detail.noApps')}</p> : null}
      {cluster.applications.map((app) => (
        <section key={app.name} aria-label={t('detail.application', { name: app.name })} className="serve-app">
          <h3>
            {app.name} <span className={tone(app.status)}>{app.status}</span>
          </h3>
          {app.message ? <pre className="traceback">{app.message}</pre> : null}
          {app.deployments.length > 0 ? (
            <table className="table">
              <caption className="visually-hidden">{t('detail.deploymentsOf', { name: app.name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('columns.deployment')}</th>
                  <th scope="col">{t('columns.status')}</th>
                  <th scope="col">{t('columns.message')}</th>
                </tr>
              </thead>
              <tbody>
                {app.deployments.map((d) => (
                  <tr key={d.name}>
                    <th scope="row">{d.name}</th>
                    <td>
                      <span className={tone(d.status)}>{d.status}</span>
                    </td>
                    <td>{d.message ? <pre className="traceback">{d.message}</pre> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ))}
    </section>
  );
}

/** The manifest `kubectl apply -f` takes, built by the server (no YAML library in the browser). */
function Manifest({ namespace, name }: { namespace: string; name: string }) {
  const { t } = useT('kuberayServices');
  const yaml = useQuery(rayServiceYamlQuery(namespace, name));
  if (yaml.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (yaml.isError) return <ErrorPanel error={yaml.error} onRetry={() => void yaml.refetch()} />;
  return (
    <div className="command">
      <pre aria-label={t('detail.yamlLabel', { name })}>{yaml.data.yaml}</pre>
      <CopyButton text={yaml.data.yaml} />
    </div>
  );
}
