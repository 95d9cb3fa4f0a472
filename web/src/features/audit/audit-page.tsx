import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AuditEvent, AuditPerson } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { auditTrailQuery } from './api';

const ACTION_LABELS: Record<AuditEvent['action'], string> = {
  'sign-in': 'Sign-in',
  'sign-out': 'Sign-out',
  'job.submit': 'Submit job',
  'job.stop': 'Stop job',
  'job.delete': 'Delete job',
  'package.upload': 'Upload package',
  'audit.read': 'Read audit trail',
};

const REASON_LABELS: Record<string, string> = {
  user: 'by the user',
  user_all: 'signed out of every cluster',
  token_rejected: 'the head rejected the token',
  token_missing: 'the head asked for a token',
  endpoint_changed: "the cluster's address changed",
  endpoint_unbound: 'a token stored before tokens were tied to addresses',
  validation: 'invalid input',
  ray_unreachable: 'the head could not be reached',
  rate_limited: 'too many attempts',
  unavailable: 'the session store was unavailable',
  forbidden: "the person's role does not allow it",
};

/** Who signed in and out of this cluster, and which jobs were submitted, stopped and deleted. */
export function AuditPage() {
  const { clusterId = '' } = useParams();
  // The person filter lives in the URL (`?person=<subject>`), so a filtered trail can be linked to.
  const [search, setSearch] = useSearchParams();
  const person = search.get('person') ?? undefined;
  const trail = useInfiniteQuery(auditTrailQuery(clusterId, person));
  const { t } = useT('roles');
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
  if (trail.isPending) return <p aria-busy="true">Loading the audit trail…</p>;
  if (trail.isError && !trail.data) return <ErrorPanel error={trail.error} onRetry={() => void trail.refetch()} />;
  const events = trail.data.pages.flatMap((p) => p.events);
  return (
    <section aria-labelledby="audit-title" className="audit">
      <h2 id="audit-title">Audit trail</h2>
      <p className="muted">
        Every sign-in and sign-out, and every job submitted, stopped or deleted on this cluster through the console,
        newest first. The console keeps the most recent events here; the full record is in its log output.
      </p>
      {person ? (
        <p role="status">
          <Rich
            ns="roles"
            k="audit.onlyBy"
            values={{ name: personName(events, person) }}
            components={{ strong: <strong /> }}
          />{' '}
          <button type="button" className="button button-small" onClick={() => filterBy(undefined)}>
            {t('audit.showEveryone')}
          </button>
        </p>
      ) : events.some((e) => e.person) ? (
        <p className="muted">{t('audit.pickPerson')}</p>
      ) : null}
      {trail.isError ? (
        <ErrorPanel error={trail.error} title="Showing what was loaded; the latest refresh failed" />
      ) : null}
      {events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <table className="table" aria-describedby="audit-title">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">{t('audit.person')}</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Job</th>
              <th scope="col">Client address</th>
              <th scope="col">Session</th>
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
          {trail.isFetchingNextPage ? 'Loading…' : 'Show older events'}
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
  const { t } = useT('roles');
  const reason = event.reason ? (REASON_LABELS[event.reason] ?? event.reason) : undefined;
  return (
    <tr data-action={event.action} data-outcome={event.outcome}>
      <td>
        <time dateTime={event.time}>{new Date(event.time).toLocaleString()}</time>
      </td>
      <td>
        {event.person ? (
          <button
            type="button"
            className="link-button"
            title={t('audit.filterTitle', { name: event.person.name, subject: event.person.subject })}
            onClick={() => onPerson(event.person!)}
          >
            {event.person.name}
          </button>
        ) : (
          '—'
        )}
      </td>
      <td>{ACTION_LABELS[event.action]}</td>
      <td>
        <span className={`badge ${event.outcome === 'success' ? 'badge-ok' : 'badge-bad'}`}>
          {event.outcome === 'success' ? 'Succeeded' : 'Failed'}
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
        {event.session ? <code title="A keyed hash of the session, not the session id">{event.session}</code> : '—'}
      </td>
    </tr>
  );
}
