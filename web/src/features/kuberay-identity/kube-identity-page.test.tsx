import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KubeIdentity } from '@ray-console/shared';
import { formatDateTime } from '../../i18n/format';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { renderPage } from '../../test/render-page';
import { KubeIdentityPage } from './kube-identity-page';

const open = () => renderPage(<KubeIdentityPage />, { path: '/kubernetes/identity', url: '/kubernetes/identity' });
const NONE: KubeIdentity = { mode: 'none', configured: 'token', enable: 'paste_token' };

describe('the Kubernetes identity page', () => {
  it('asks for a token, sends it once (with CSRF), clears the field, and then shows who the console acts as and until when', async () => {
    const bff = fakeBff();
    let held: KubeIdentity = NONE;
    bff.on('GET', '/api/kubernetes/identity', () => answer(KubeIdentity, held));
    bff.on('PUT', '/api/kubernetes/identity/token', () => {
      held = {
        mode: 'token',
        configured: 'token',
        user: 'system:serviceaccount:team-a:me',
        groups: ['system:serviceaccounts'],
        expiresAt: '2030-01-01T12:00:00.000Z',
      };
      return answer(KubeIdentity, held);
    });
    bff.on('DELETE', '/api/kubernetes/identity/token', () => {
      held = NONE;
      return new Response(null, { status: 204 });
    });
    const user = userEvent.setup();
    open();
    const field = (await screen.findByLabelText('Kubernetes token')) as HTMLInputElement;
    expect(field.type).toBe('password');
    const submit = screen.getByRole('button', { name: 'Use this token' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await user.type(field, ' eyJ.secret.token ');
    await user.click(submit);

    await screen.findByText('system:serviceaccount:team-a:me');
    const put = bff.requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({ token: 'eyJ.secret.token' });
    expect(put.headers.get('X-CSRF-Token')).toBe('csrf-test');
    const who = screen.getByText('system:serviceaccount:team-a:me').closest('dl')!;
    expect(who.textContent).toContain('the Kubernetes token you pasted');
    expect(who.textContent).toContain(formatDateTime('2030-01-01T12:00:00.000Z', 'en'));
    // The token is nowhere on the page any more.
    expect(document.body.innerHTML).not.toContain('secret.token');

    await user.click(screen.getByRole('button', { name: 'Forget the token' }));
    await waitFor(() => expect(bff.requests.some((r) => r.method === 'DELETE')).toBe(true));
    expect(await screen.findByLabelText('Kubernetes token')).toBeTruthy();
  });

  it('shows why a token was refused, in words, and keeps asking', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/identity', () => answer(KubeIdentity, NONE));
    bff.on('PUT', '/api/kubernetes/identity/token', () =>
      error(401, 'kube_token_rejected', 'The Kubernetes API server does not accept this token.'),
    );
    const user = userEvent.setup();
    open();
    await user.type(await screen.findByLabelText('Kubernetes token'), 'revoked{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('no longer accepts your token');
    expect((screen.getByLabelText('Kubernetes token') as HTMLInputElement).value).toBe('');
  });

  it('says how Kubernetes actions are enabled when the console has none, and who it acts as when it does', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/identity', () =>
      answer(KubeIdentity, { mode: 'none', configured: 'off', enable: 'configure' }),
    );
    const first = open();
    expect((await screen.findByRole('status')).textContent).toContain('KUBERNETES_ACT_AS');
    expect(screen.queryByLabelText('Kubernetes token')).toBeNull();
    first.unmount();

    bff.on('GET', '/api/kubernetes/identity', () =>
      answer(KubeIdentity, { mode: 'impersonate', configured: 'impersonate', user: 'alice', groups: ['ray-team'] }),
    );
    open();
    await screen.findByText('alice');
    expect(screen.getByText('you, signed in: the console impersonates you and your groups')).toBeTruthy();
    expect(screen.getByText('ray-team')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Forget the token' })).toBeNull();
  });
});
