import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { AuditEvent } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { auditTrailQuery } from './api';

const ACTION_LABELS: Record<AuditEvent['action'], string> = {
  'sign-in': 'Sign-in',
  'sign-out': 'Sign-out',
  'job.submit': 'Submit job',
  'job.stop': 'Stop job',
  'job.delete': 'Delete job',
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
};

/** Who signed in and out of this cluster, and which jobs were submitted, stopped and deleted. */
export function AuditPage() {
  const { clusterId = '' } = useParams();
  const trail = useInfiniteQuery(auditTrailQuery(clusterId));
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
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Job</th>
              <th scope="col">Client address</th>
              <th scope="col">Session</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <AuditRow key={e.id} clusterId={clusterId} event={e} />
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

function AuditRow({ clusterId, event }: { clusterId: string; event: AuditEvent }) {
  const { t } = useT('tokens');
  const reason = event.reason ? (REASON_LABELS[event.reason] ?? event.reason) : undefined;
  return (
    <tr data-action={event.action} data-outcome={event.outcome}>
      <td>
        <time dateTime={event.time}>{new Date(event.time).toLocaleString()}</time>
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
        {/* A managed cluster: the call used the token the console holds, not one the session signed in with. */}
        {event.tokenSource === 'token-file' ? <span className="sub"> {t('auditTokenFile')}</span> : null}
      </td>
    </tr>
  );
}
