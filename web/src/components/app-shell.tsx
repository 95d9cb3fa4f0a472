import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/use-t';
import { Link, useNavigate } from 'react-router';
import { sessionQuery, useSignOutEverywhere } from '../features/clusters/api';
import { LanguageSwitcher } from './language-switcher';
import { ThemeSwitch } from './theme-switch';

/**
 * The frame of every page: the product name, the way back to the cluster list, the language, the
 * theme, and sign-out of everything. With single sign-on it names the signed-in person, and sign-out
 * also ends the session at the identity provider.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const signOut = useSignOutEverywhere();
  const navigate = useNavigate();
  const { t } = useT('common');
  const { t: tId } = useT('identity');
  const session = useQuery(sessionQuery()).data;
  const person = session?.person;
  // With single sign-on the hook itself leaves for the provider's sign-out.
  const onSignOut = () =>
    signOut.mutate(undefined, { onSuccess: ({ signOutUrl }) => void (signOutUrl ? undefined : navigate('/')) });
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          {t('shell.brand')}
        </Link>
        <nav aria-label={t('shell.mainNav')}>
          <Link to="/">{t('shell.clusters')}</Link>
          {/* Issue 12: where the console acts on Kubernetes as the person, the page that says as whom. */}
          {session?.kubernetes ? <Link to="/kubernetes/identity">{t('shell.kubeIdentity')}</Link> : null}
        </nav>
        <LanguageSwitcher />
        <ThemeSwitch />
        {person ? (
          <span className="signed-in-person" title={person.email ?? person.subject}>
            {tId('shell.signedInAs', { name: person.name })}
          </span>
        ) : null}
        <button
          type="button"
          className="button button-quiet"
          disabled={signOut.isPending}
          title={person ? tId('shell.signOutTitle', { issuer: new URL(person.issuer).host }) : undefined}
          onClick={onSignOut}
        >
          {person ? tId('shell.signOut') : t('shell.signOutAll')}
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
