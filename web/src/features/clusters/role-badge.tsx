import type { Role } from '@ray-console/shared';
import { useT } from '../../i18n/use-t';

/** The signed-in person's role on a cluster (OIDC with roles); nothing in anonymous mode. */
export function RoleBadge({ role }: { role: Role | undefined }) {
  const { t } = useT('roles');
  if (!role) return null;
  return (
    <span className="badge" data-role={role}>
      {t('role.yours', { role: t(`role.${role}`) })}
    </span>
  );
}
