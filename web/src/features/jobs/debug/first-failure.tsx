import { Link } from 'react-router';
import type { FirstFailure } from '@ray-console/shared';
import { logPageHref } from '../../logs/log-link';
import { useT } from '../../../i18n/use-t';
import { exceptionLine, failureExplanation } from './debug-view';

/**
 * What the job page leads with when something failed: what happened in plain words, Ray's own message
 * (for an exception, its traceback), and one click to the log line where it happened.
 */
export function FirstFailurePanel({
  clusterId,
  failure,
  jobFailed,
  worker,
}: {
  clusterId: string;
  failure: FirstFailure;
  /** Where the failed task ran (from the failure list), for when Ray cannot find the task's part of the log. */
  worker?: { nodeId?: string | undefined; workerId?: string | undefined } | undefined;
  /** A job that has not failed (it caught the error, a retry worked, or it still runs) shows it as a warning. */
  jobFailed: boolean;
}) {
  const { t } = useT('debug');
  const { what, next } = failureExplanation(failure.kind, t);
  const find = exceptionLine(failure.detail, failure.log?.highlight) ?? failure.log?.highlight;
  return (
    <section
      className={`panel ${jobFailed ? 'panel-error' : 'panel-warning'} first-failure`}
      aria-labelledby="first-failure-title"
      data-testid="first-failure"
    >
      {jobFailed ? null : <p className="first-failure-context">{t('firstFailure.notFailed')}</p>}
      <h3 id="first-failure-title">{failure.title}</h3>
      <p>
        <strong>{what}</strong> {next}
      </p>
      {failure.detail ? (
        <pre
          className="traceback"
          data-testid="first-failure-detail"
          tabIndex={0}
          aria-label={t('firstFailure.traceback')}
        >
          {failure.detail}
        </pre>
      ) : null}
      {failure.log ? (
        <p>
          <Link className="button" to={logPageHref(clusterId, failure.log, find ? { find } : {}, worker)}>
            {t('firstFailure.openLog')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
