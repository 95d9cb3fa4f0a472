import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { rayServiceListQuery } from './api';
import { ClusterLink, ServiceState, detailHref, tone } from './service-parts';

/** RayServices the person may list, read-only: their state, clusters and Serve applications. */
export function RayServicesPage() {
  const { t } = useT('kuberayServices');
  useDocumentTitle([t('list.title')]);
  const [params, setParams] = useSearchParams();
  const namespace = params.get('namespace') ?? '';
  const [field, setField] = useState(namespace);
  const list = useQuery(rayServiceListQuery(namespace));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = field.trim();
    setParams(next ? { namespace: next } : {});
  };
  return (
    <section aria-labelledby="rayservices-title" className="rayservices">
      <h1 id="rayservices-title">{t('list.title')}</h1>
      <form onSubmit={submit} className="input-row" role="search">
        <label htmlFor="rayservices-namespace">{t('list.namespace')}</label>
        <input
          id="rayservices-namespace"
          value={field}
          placeholder={t('list.allNamespaces')}
          onChange={(e) => setField(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" className="button">
          {t('list.show')}
        </button>
      </form>
      {list.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : list.isError && !list.data ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          {list.data.problems.map((p) => (
            <p key={p.namespace} className="panel panel-warning" role="status">
              {t('list.problem', { namespace: p.namespace })} {p.message}
            </p>
          ))}
          {list.data.items.length === 0 ? (
            <p className="muted">
              {list.data.namespaces.length === 0
                ? t('list.noNamespaces')
                : t('list.empty', { namespaces: list.data.namespaces.join(', ') })}
            </p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">{t('list.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('columns.name')}</th>
                  <th scope="col">{t('columns.namespace')}</th>
                  <th scope="col">{t('columns.state')}</th>
                  <th scope="col">{t('columns.active')}</th>
                  <th scope="col">{t('columns.pending')}</th>
                  <th scope="col">{t('columns.applications')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={`${s.namespace}/${s.name}`}>
                    <th scope="row">
                      <Link to={detailHref(s.namespace, s.name)}>{s.name}</Link>
                    </th>
                    <td>{s.namespace}</td>
                    <td>
                      <ServiceState service={s} />
                    </td>
                    <td>{s.active ? <ClusterLink cluster={s.active} /> : '—'}</td>
                    <td>{s.pending ? <ClusterLink cluster={s.pending} /> : '—'}</td>
                    <td>
                      {(s.active?.applications ?? []).length === 0
                        ? '—'
                        : s.active!.applications.map((a) => (
                            <div key={a.name}>
                              {a.name} <span className={tone(a.status)}>{a.status}</span>
                            </div>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
