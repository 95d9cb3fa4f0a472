import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClusterList, LoginResponse, type ClusterSummary } from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { renderPage } from '../../test/render-page';
import { ClusterLayout } from './cluster-layout';

const cluster = (over: Partial<ClusterSummary> = {}): ClusterSummary => ({
  id: 'prod',
  displayName: 'Production',
  authMode: 'token',
  signedIn: false,
  tokenHint: { kind: 'text', text: 'The token is in the team vault under "ray/prod".' },
  ...over,
});

/** A console with one cluster, not signed in; `login` answers the sign-in. */
function consoleWith(summary: ClusterSummary, login: () => Response) {
  const bff = fakeBff();
  let signedIn = summary.signedIn;
  bff.on('GET', '/api/clusters', () => answer(ClusterList, [{ ...summary, signedIn }]));
  bff.on('POST', '/api/clusters/prod/login', () => {
    const res = login();
    if (res.ok) signedIn = true;
    return res;
  });
  return bff;
}

const open = () => renderPage(<ClusterLayout />, { path: '/clusters/:clusterId', url: '/clusters/prod' });
const tokenField = () => screen.getByLabelText('Authentication Token') as HTMLInputElement;

describe('the token prompt', () => {
  it('says where the token is, keeps Sign in disabled while the field is empty, and masks the token until asked', async () => {
    consoleWith(cluster(), () => answer(LoginResponse, { id: 'prod', rayVersion: '2.60.0', authMode: 'token' }));
    const user = userEvent.setup();
    open();
    await screen.findByRole('heading', { name: 'Token Authentication Required' });
    expect(document.title).toBe('Sign in · Production · Ray Console');
    expect(screen.getByRole('complementary', { name: 'Where the token is' }).textContent).toContain('ray/prod');
    const signIn = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(signIn.disabled).toBe(true);
    await user.type(tokenField(), '   ');
    expect(signIn.disabled).toBe(true);
    expect(tokenField().type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show token' }));
    expect(tokenField().type).toBe('text');
  });

  it('shows why the head refused the token, clears the field, and lets the user try again', async () => {
    let attempts = 0;
    const bff = consoleWith(cluster(), () =>
      ++attempts === 1
        ? error(
            401,
            'token_rejected',
            'The Ray head at http://ray-head.prod.internal:8265 rejected the token. It may have changed (cluster re-created); sign in with the current one.',
          )
        : answer(LoginResponse, { id: 'prod', rayVersion: '2.60.0', authMode: 'token' }),
    );
    const user = userEvent.setup();
    open();
    await screen.findByRole('heading', { name: 'Token Authentication Required' });
    await user.type(tokenField(), 'old-token{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('rejected the token');
    expect(tokenField().value).toBe('');
    const login = bff.requests.find((r) => r.path === '/api/clusters/prod/login')!;
    expect(login.body).toEqual({ token: 'old-token' });
    expect(login.headers.get('X-CSRF-Token')).toBe('csrf-test');

    await user.type(tokenField(), ' new-token ');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Production' });
    expect(screen.getByRole('navigation', { name: 'Cluster' })).toBeTruthy();
    expect(bff.requests.filter((r) => r.path === '/api/clusters/prod/login').at(-1)!.body).toEqual({
      token: 'new-token',
    });
  });

  it('says plainly when the head cannot be reached', async () => {
    consoleWith(cluster(), () =>
      error(
        502,
        'ray_unreachable',
        'The Ray head at http://ray-head.prod.internal:8265 did not answer. Check that the cluster is running; the console retries by itself.',
      ),
    );
    const user = userEvent.setup();
    open();
    await screen.findByRole('heading', { name: 'Token Authentication Required' });
    await user.type(tokenField(), 'a-token{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('did not answer');
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true),
    );
  });

  it('tells the user when the token this session held was rejected', async () => {
    consoleWith(cluster({ signOutReason: 'token_rejected' }), () => error(500, 'internal', 'unused'));
    open();
    expect((await screen.findByText(/rejected the token this session held/)).textContent).toContain('Production');
  });
});
