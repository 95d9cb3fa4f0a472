import { useT } from '../i18n/use-t';
import { errorWords } from '../i18n/error-text';

/**
 * A failed load, said plainly in the user's language, with a way to try again. The BFF's own English
 * message, which names what failed, follows as the detail (marked as English for screen readers).
 */
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
