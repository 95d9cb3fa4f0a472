import type { ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { Link, useNavigate } from 'react-router';
import { useSignOutEverywhere } from '../features/clusters/api';
import { LanguageSwitcher } from './language-switcher';

/**
 * The frame of every page: the product name, the way back to the cluster list, the language, and
 * sign-out of everything.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const signOut = useSignOutEverywhere();
  const navigate = useNavigate();
  const { t } = useT('common');
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          {t('shell.brand')}
        </Link>
        <nav aria-label={t('shell.mainNav')}>
          <Link to="/">{t('shell.clusters')}</Link>
        </nav>
        <LanguageSwitcher />
        <button
          type="button"
          className="button button-quiet"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate('/') })}
        >
          {t('shell.signOutAll')}
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
