import { errorWords } from '../i18n/error-text';
import { useT } from '../i18n/use-t';

/**
 * An error said in the user's language, then the BFF's own English message, which names what failed,
 * as the detail (marked as English for screen readers). For errors shown inside a form or a dialog.
 */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useT('common');
  const { text, detail } = errorWords(error, t);
  return (
    <>
      <span>{text}</span>
      {detail ? (
        <span className="muted error-detail" lang="en">
          {' '}
          {detail}
        </span>
      ) : null}
    </>
  );
}

/** A failed load, said plainly in the user's language, with a way to try again. */
export function ErrorPanel({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useT('common');
  const { text, detail } = errorWords(error, t);
  return (
    <div className="panel panel-error" role="alert">
      <strong>{title ?? t('errorPanel.title')}</strong>
      <p>{text}</p>
      {detail ? (
        <p className="muted error-detail" lang="en">
          {detail}
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('errorPanel.retry')}
        </button>
      ) : null}
    </div>
  );
}
