import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSignOutEverywhere } from '../features/clusters/api';
import { ThemeSwitch } from './theme-switch';

/** The frame of every page: the product name, the way back to the cluster list, and sign-out of everything. */
export function AppShell({ children }: { children: ReactNode }) {
  const signOut = useSignOutEverywhere();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          Ray Console
        </Link>
        <nav aria-label="Main">
          <Link to="/">Clusters</Link>
        </nav>
        <ThemeSwitch />
        <button
          type="button"
          className="button button-quiet"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate('/') })}
        >
          Sign out of all clusters
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
