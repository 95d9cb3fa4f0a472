import { Link } from 'react-router';
import { useT } from '../i18n/use-t';
import { useDocumentTitle } from '../lib/document-title';

/** A URL the console has no page for (a mistyped or outdated link), with the way back. */
export function NotFoundPage() {
  const { t } = useT('common');
  const { t: shell } = useT('shell');
  useDocumentTitle([shell('title.notFound')]);
  return (
    <p className="panel">
      {t('notFound.text')} <Link to="/">{t('notFound.back')}</Link>
    </p>
  );
}
