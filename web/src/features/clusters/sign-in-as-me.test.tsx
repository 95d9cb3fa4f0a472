import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClusterList, LoginResponse, SignInOptions, type ClusterSummary } from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { renderPage } from '../../test/render-page';
import { ClusterLayout } from './cluster-layout';

const ID = 'k8s~team-a~ray';
const PATH = `/api/clusters/${encodeURIComponent(ID)}`;

const discovered: ClusterSummary = {
  id: ID,
  displayName: 'team-a/ray',
  authMode: 'token',
  signedIn: false,
  tokenHint: { kind: 'kubernetes-secret', text: 'The token is in the Secret "ray" in namespace "team-a".' },
  kubernetes: {
    namespace: 'team-a',
    name: 'ray',
    ready: true,
    conditions: [],
    workers: { desired: 0, available: 0, ready: 0 },
    auth: { mode: 'token', source: 'authOptions', secret: { name: 'ray', key: 'auth_token' } },
  },
};

function consoleWith(options: SignInOptions, signInAsMe: () => Response) {
  const bff = fakeBff();
  let signedIn = false;
  bff.on('GET', '/api/clusters', () => answer(ClusterList, [{ ...discovered, signedIn }]));
  bff.on('GET', `${PATH}/sign-in/options`, () => answer(SignInOptions, options));
  bff.on('POST', `${PATH}/sign-in/kubernetes-secret`, () => {
    const res = signInAsMe();
    if (res.ok) signedIn = true;
    return res;
  });
  return bff;
}

const open = () =>
  renderPage(<ClusterLayout />, { path: '/clusters/:clusterId', url: `/clusters/${encodeURIComponent(ID)}` });

describe('Sign in as me', () => {
  it('signs in without a token leaving the page when the person may read the Secret', async () => {
    const bff = consoleWith({ kubernetesSecret: true, kubernetesUser: 'alice' }, () =>
      answer(LoginResponse, { id: ID, rayVersion: '2.60.0', authMode: 'token' }),
    );
    const user = userEvent.setup();
    open();
    const button = await screen.findByRole('button', { name: 'Sign in as me' });
    expect(screen.getByText(/read this cluster's token for you, as alice/)).toBeTruthy();
    await user.click(button);
    await screen.findByRole('heading', { name: 'team-a/ray' });
    const post = bff.requests.find((r) => r.path === `${PATH}/sign-in/kubernetes-secret`)!;
    expect(post.method).toBe('POST');
    expect(post.body).toBeUndefined();
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-test');
  });

  it('is not offered when the person may not read the Secret: the token prompt stays as it is', async () => {
    const bff = consoleWith({ kubernetesSecret: false, reason: 'not_permitted', kubernetesUser: 'bob' }, () =>
      error(500, 'internal', 'not expected'),
    );
    open();
    await screen.findByRole('heading', { name: 'Token Authentication Required' });
    await waitFor(() => expect(bff.requests.some((r) => r.path === `${PATH}/sign-in/options`)).toBe(true));
    expect(screen.queryByRole('button', { name: 'Sign in as me' })).toBeNull();
    expect(screen.getByLabelText('Authentication Token')).toBeTruthy();
  });

  it('shows what the API server refused, and leaves the prompt to try with a token', async () => {
    consoleWith({ kubernetesSecret: true, kubernetesUser: 'alice' }, () =>
      error(403, 'kube_forbidden', 'alice may not get secrets "ray" in namespace team-a.'),
    );
    const user = userEvent.setup();
    open();
    await user.click(await screen.findByRole('button', { name: 'Sign in as me' }));
    expect((await screen.findByRole('alert')).textContent).toContain('may not get secrets "ray" in namespace team-a');
    expect(screen.getByRole('heading', { name: 'Token Authentication Required' })).toBeTruthy();
    expect(screen.getByLabelText('Authentication Token')).toBeTruthy();
  });

  it('does not ask for a cluster whose token is in no Secret', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/clusters', () =>
      answer(ClusterList, [
        { ...discovered, kubernetes: { ...discovered.kubernetes!, auth: { mode: 'token', source: 'env' } } },
      ]),
    );
    open();
    await screen.findByRole('heading', { name: 'Token Authentication Required' });
    expect(bff.requests.some((r) => r.path.endsWith('/sign-in/options'))).toBe(false);
  });
});
