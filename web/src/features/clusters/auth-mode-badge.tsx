import type { AuthMode } from '@ray-console/shared';
import { useT } from '../../i18n/use-t';

/** Whether the head asks for a token; "No authentication" is a warning: anyone who reaches it can use it. */
export function AuthModeBadge({ mode }: { mode: AuthMode }) {
  const { t } = useT('clusters');
  return <span className={`badge badge-auth-${mode}`}>{t(`authMode.${mode}`)}</span>;
}
