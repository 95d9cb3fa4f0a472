import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/document-title';

/** A URL the console has no page for (a mistyped or outdated link), with the way back. */
export function NotFoundPage() {
  useDocumentTitle(['Page not found']);
  return (
    <p className="panel">
      This page does not exist. <Link to="/">Go back to the cluster list.</Link>
    </p>
  );
}
