import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AuditEvent, AuditPerson } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { formatDateTime } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import { auditTrailQuery } from './api';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** The reasons the audit trail records, worded in the audit catalog; any other is shown as recorded. */
const REASONS = [
  'user',
  'user_all',
  'token_rejected',
  'token_missing',
  'endpoint_changed',
  'endpoint_unbound',
  'validation',
  'ray_unreachable',
  'rate_limited',
  'unavailable',
  'forbidden',
  'kube_forbidden',
] as const;
const isKnownReason = (reason: string): reason is (typeof REASONS)[number] =>
  (REASONS as readonly string[]).includes(reason);

/** Who signed in and out of this cluster, and which jobs were submitted, stopped and deleted. */
export function AuditPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.audit');
  // The person filter lives in the URL (`?person=<subject>`), so a filtered trail can be linked to.
  const [search, setSearch] = useSearchParams();
  const person = search.get('person') ?? undefined;
  const trail = useInfiniteQuery(auditTrailQuery(clusterId, person));
  const { t } = useT('audit');
  const roles = useT('roles').t;
  const filterBy = (p: AuditPerson | undefined) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (p) next.set('person', p.subject);
        else next.delete('person');
        return next;
      },
      { replace: true },
    );
  if (trail.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (trail.isError && !trail.data) return <ErrorPanel error={trail.error} onRetry={() => void trail.refetch()} />;
  const events = trail.data.pages.flatMap((p) => p.events);
  return (
    <section aria-labelledby="audit-title" className="audit">
      <h2 id="audit-title">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      {person ? (
        <p role="status">
          <Rich
            ns="roles"
            k="audit.onlyBy"
            values={{ name: personName(events, person) }}
            components={{ strong: <strong /> }}
          />{' '}
          <button type="button" className="button button-small" onClick={() => filterBy(undefined)}>
            {roles('audit.showEveryone')}
          </button>
        </p>
      ) : events.some((e) => e.person) ? (
        <p className="muted">{roles('audit.pickPerson')}</p>
      ) : null}
      {trail.isError ? <ErrorPanel error={trail.error} title={t('stale')} /> : null}
      {events.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <table className="table" aria-describedby="audit-title">
          <thead>
            <tr>
              <th scope="col">{t('columns.time')}</th>
              <th scope="col">{t('columns.person')}</th>
              <th scope="col">{t('columns.action')}</th>
              <th scope="col">{t('columns.outcome')}</th>
              <th scope="col">{t('columns.job')}</th>
              <th scope="col">{t('columns.client')}</th>
              <th scope="col">{t('columns.session')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <AuditRow key={e.id} clusterId={clusterId} event={e} onPerson={filterBy} />
            ))}
          </tbody>
        </table>
      )}
      {trail.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void trail.fetchNextPage()}
          disabled={trail.isFetchingNextPage}
        >
          {trail.isFetchingNextPage ? t('loadingMore') : t('more')}
        </button>
      ) : null}
    </section>
  );
}

/** The name the trail shows for a subject (the newest event's), or the subject itself. */
function personName(events: readonly AuditEvent[], subject: string): string {
  return events.find((e) => e.person?.subject === subject)?.person?.name ?? subject;
}

function AuditRow({
  clusterId,
  event,
  onPerson,
}: {
  clusterId: string;
  event: AuditEvent;
  onPerson: (p: AuditPerson) => void;
}) {
  const { t } = useT('audit');
  const roles = useT('roles').t;
  const tokens = useT('tokens').t;
  const reason = event.reason ? (isKnownReason(event.reason) ? t(`reasons.${event.reason}`) : event.reason) : undefined;
  return (
    <tr data-action={event.action} data-outcome={event.outcome}>
      <td>
        <time dateTime={event.time}>{formatDateTime(event.time)}</time>
      </td>
      <td>
        {event.person ? (
          <button
            type="button"
            className="link-button"
            title={roles('audit.filterTitle', { name: event.person.name, subject: event.person.subject })}
            onClick={() => onPerson(event.person!)}
          >
            {event.person.name}
          </button>
        ) : (
          '—'
        )}
      </td>
      <td>{t(`actions.${event.action}`)}</td>
      <td>
        <span className={`badge ${event.outcome === 'success' ? 'badge-ok' : 'badge-bad'}`}>
          {event.outcome === 'success' ? t('succeeded') : t('failed')}
        </span>
        {reason ? <span className="sub"> {reason}</span> : null}
      </td>
      <td>
        {event.jobId ? (
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(event.jobId)}`}>
            <code>{event.jobId}</code>
          </Link>
        ) : (
          '—'
        )}
      </td>
      <td>
        <code>{event.clientAddress}</code>
      </td>
      <td>
        {event.session ? <code title={t('sessionHash')}>{event.session}</code> : '—'}
        {/* A managed cluster: the call used the token the console holds, not one the session signed in with. */}
        {event.tokenSource === 'token-file' ? <span className="sub"> {tokens('auditTokenFile')}</span> : null}
        {/* Sign in as me: the console read the token from the cluster's Secret as this Kubernetes user. */}
        {event.tokenSource === 'kubernetes-secret' ? (
          <span className="sub"> {t('fromSecret', { user: event.kubernetesUser ?? '—' })}</span>
        ) : null}
      </td>
    </tr>
  );
}
