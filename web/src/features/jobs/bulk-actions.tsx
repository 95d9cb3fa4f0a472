import { useState } from 'react';
import { isTerminalJobStatus, type JobSummary } from '@ray-console/shared';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { errorWords } from '../../i18n/error-text';
import { useT } from '../../i18n/use-t';
import type { Permissions } from '../clusters/permissions';
import { useDeleteJob, useStopJob } from './api';

type Action = 'stop' | 'delete';
interface Outcome {
  id: string;
  ok: boolean;
  text: string;
}

/**
 * Stop or delete the selected jobs together, after a confirmation, reporting the outcome per job: one
 * failing (a driver script, a job already gone) does not hide what happened to the others.
 */
export function BulkActions({
  clusterId,
  jobs,
  permissions,
  onDone,
}: {
  clusterId: string;
  jobs: JobSummary[];
  /** With roles: a viewer stops nothing, an operator only their own jobs. */
  permissions: Permissions;
  onDone: () => void;
}) {
  const roleText = useT('roles').t;
  const stop = useStopJob(clusterId);
  const remove = useDeleteJob(clusterId);
  const [confirming, setConfirming] = useState<Action | undefined>();
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const { t } = useT('jobs');
  const common = useT('common').t;

  const allowed = jobs.filter((j) => permissions.mayActOn(j));
  const notOwn = jobs.length - allowed.length;
  const stoppable = allowed.filter((j) => j.type === 'SUBMISSION' && !isTerminalJobStatus(j.status));
  const deletable = allowed.filter((j) => j.type === 'SUBMISSION' && isTerminalJobStatus(j.status));

  const run = async (action: Action) => {
    setBusy(true);
    const targets = action === 'stop' ? stoppable : deletable;
    const results = await Promise.allSettled(
      targets.map((j) => (action === 'stop' ? stop.mutateAsync(j.id) : remove.mutateAsync(j.id))),
    );
    setOutcomes(
      results.map((r, i) => {
        const id = targets[i]!.id;
        if (r.status === 'rejected') {
          const { text, detail } = errorWords(r.reason, common);
          return { id, ok: false, text: detail ? `${text} (${detail})` : text };
        }
        const value = r.value as { stopped?: boolean; deleted?: boolean };
        if (action === 'stop')
          return { id, ok: true, text: value.stopped ? t('bulk.stopping') : t('bulk.alreadyEnded') };
        return { id, ok: true, text: value.deleted ? t('bulk.deleted') : t('bulk.notDeleted') };
      }),
    );
    setBusy(false);
    setConfirming(undefined);
    onDone();
  };

  if (jobs.length === 0 && outcomes.length === 0) return null;
  return (
    <div className="panel" aria-live="polite">
      {jobs.length > 0 ? (
        <div className="toolbar">
          <span>{t('bulk.selected', { count: jobs.length })}</span>
          <button
            type="button"
            className="button button-small"
            disabled={stoppable.length === 0}
            onClick={() => setConfirming('stop')}
          >
            {t('bulk.stop', { count: stoppable.length })}
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            disabled={deletable.length === 0}
            onClick={() => setConfirming('delete')}
          >
            {t('bulk.delete', { count: deletable.length })}
          </button>
          {notOwn > 0 ? (
            <span className="role-note">
              {permissions.may('operator') ? roleText('jobs.notOwn', { count: notOwn }) : roleText('needs.operator')}
            </span>
          ) : null}
          {allowed.length > stoppable.length + deletable.length ? (
            <span className="muted">{t('bulk.driverNote')}</span>
          ) : null}
        </div>
      ) : null}
      {outcomes.length > 0 ? (
        <ul className="outcomes" aria-label={t('bulk.outcomes')}>
          {outcomes.map((o) => (
            <li key={o.id} className={o.ok ? '' : 'field-error'}>
              {t('bulk.outcome', { id: o.id, text: o.text })}
            </li>
          ))}
        </ul>
      ) : null}
      <ConfirmDialog
        open={confirming !== undefined}
        title={
          confirming === 'stop'
            ? t('bulk.stopTitle', { count: stoppable.length })
            : t('bulk.deleteTitle', { count: deletable.length })
        }
        confirmLabel={
          confirming === 'stop'
            ? t('bulk.stopConfirm', { count: stoppable.length })
            : t('bulk.deleteConfirm', { count: deletable.length })
        }
        danger
        busy={busy}
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => confirming && void run(confirming)}
      >
        <p>
          {confirming === 'stop'
            ? t('bulk.stopText', { count: stoppable.length })
            : t('bulk.deleteText', { count: deletable.length })}
        </p>
        <ul>
          {(confirming === 'stop' ? stoppable : deletable).map((j) => (
            <li key={j.id}>
              <code>{j.id}</code>
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </div>
  );
}
