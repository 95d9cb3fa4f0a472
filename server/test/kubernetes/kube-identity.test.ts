import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeIdentity } from '@ray-console/shared';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext } from './support/kube.js';
import { startConsoleAsKubeconfigUser, startImpersonatingConsole } from './support/person-console.js';
import { testPerson } from '../support/person-session.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { waitFor } from '../support/wait.js';

const ctx = kubeContext();
const kube = new Kube(ctx);

let ns: string;
let running: RunningConsole | undefined;

/** A Role on rayclusters bound to one subject. */
async function grant(namespace: string, subject: Record<string, string>, verbs = ['create', 'get', 'list', 'delete']) {
  const name = `rc-${Object.values(subject)
    .join('-')
    .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 60);
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace },
    rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs }],
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [subject],
  });
}

const canI = (c: RunningConsole, namespace: string, verb = 'create') =>
  c.client.get(`/api/kubernetes/identity/can-i?verb=${verb}&kind=RayCluster&namespace=${namespace}`);

beforeAll(async () => {
  ns = await kube.createNamespace('kube-identity');
});

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('GET /api/kubernetes/identity and can-i, per mode', () => {
  it('kubeconfig: the kubeconfig user as the API server names it; can-i answers for that user', async () => {
    await grant(ns, { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'viewer' });
    running = await startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer);
    const res = await running.client.get('/api/kubernetes/identity');
    expect(res.status).toBe(200);
    expect(res.json<KubeIdentity>()).toMatchObject({ mode: 'kubeconfig', configured: 'kubeconfig', user: 'viewer' });
    // The session says the console acts on Kubernetes, so the shell links the identity page.
    expect((await running.client.get('/api/session')).json()).toMatchObject({ kubernetes: 'kubeconfig' });
    expect((await canI(running, ns)).json()).toEqual({ allowed: true });
    expect((await canI(running, 'default')).json()).toEqual({ allowed: false });
    expect(
      (await running.client.get('/api/kubernetes/identity/can-i?verb=create&kind=RayCluster&namespace=Bad_NS')).status,
    ).toBe(400);
  });

  it('impersonate: the OIDC person and their groups; without a person, how to get one', async () => {
    await grant(ns, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ray-team' });
    const c = await startImpersonatingConsole(ctx);
    running = c;
    const [name, value] = await c.signInPerson(testPerson('carol', ['ray-team']));
    c.client.cookies.set(name, value);
    expect((await c.client.get('/api/kubernetes/identity')).json<KubeIdentity>()).toMatchObject({
      mode: 'impersonate',
      user: 'sub-carol',
      groups: ['ray-team'],
    });
    expect((await canI(c, ns)).json()).toEqual({ allowed: true });
    expect((await canI(c, 'default')).json()).toEqual({ allowed: false });
  });

  it('off: no identity, and Kubernetes actions say how to enable them', async () => {
    running = await startConsole({ KUBERNETES_ACT_AS: 'off' });
    expect((await running.client.get('/api/kubernetes/identity')).json()).toEqual({
      mode: 'none',
      configured: 'off',
      enable: 'configure',
    });
    expect((await running.client.get('/api/session')).json()).not.toHaveProperty('kubernetes');
    const res = await canI(running, ns);
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'kube_identity_required', params: { mode: 'off' } } });
  });
});

describe('a pasted Kubernetes token (KUBERNETES_ACT_AS=token)', () => {
  it('from the TokenRequest API works with its expiry shown; once the API server stops accepting it, the page asks again; the token is in no answer or log', async () => {
    await kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'paster', namespace: ns } });
    await grant(ns, { kind: 'ServiceAccount', name: 'paster', namespace: ns });
    const token = await kube.serviceAccountToken(ns, 'paster', 3600);
    running = await startConsole({ KUBECONFIG: ctx.kubeconfigPath, KUBERNETES_ACT_AS: 'token' });
    const { client } = running;

    expect((await client.get('/api/kubernetes/identity')).json()).toEqual({
      mode: 'none',
      configured: 'token',
      enable: 'paste_token',
    });
    expect((await canI(running, ns)).json()).toMatchObject({ error: { code: 'kube_identity_required' } });

    const before = Date.now();
    const pasted = await client.request('PUT', '/api/kubernetes/identity/token', { json: { token: `  ${token}\n` } });
    expect(pasted.status, pasted.text).toBe(200);
    const identity = pasted.json<KubeIdentity>();
    expect(identity).toMatchObject({
      mode: 'token',
      user: `system:serviceaccount:${ns}:paster`,
      groups: expect.arrayContaining(['system:serviceaccounts', `system:serviceaccounts:${ns}`]),
    });
    const expires = Date.parse(identity.expiresAt!);
    expect(expires).toBeGreaterThan(before + 3500_000);
    expect(expires).toBeLessThan(before + 3700_000);
    // It acts as the service account: allowed where its Role is, not elsewhere.
    expect((await canI(running, ns)).json()).toEqual({ allowed: true });
    expect((await canI(running, 'default')).json()).toEqual({ allowed: false });

    // The API server stops accepting it (its ServiceAccount is gone): 401, forgotten, asked again. The API
    // server caches a token's authentication for a few seconds, so the first calls may still pass.
    await kube.delete('ServiceAccount', ns, 'paster');
    const rejected = await waitFor(
      'the API server to reject the token of the deleted ServiceAccount',
      async () => {
        const res = await canI(running!, ns);
        return res.status === 200 ? undefined : res;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(rejected.status).toBe(401);
    expect(rejected.json()).toMatchObject({ error: { code: 'kube_token_rejected' } });
    expect((await client.get('/api/kubernetes/identity')).json()).toMatchObject({
      mode: 'none',
      enable: 'paste_token',
    });
    // And pasting it again is refused the same way.
    const again = await client.request('PUT', '/api/kubernetes/identity/token', { json: { token } });
    expect(again.status).toBe(401);
    expect(again.json()).toMatchObject({ error: { code: 'kube_token_rejected' } });

    // The audit names the person's Kubernetes user, never the token.
    expect(running.logs.join('')).toContain(`"kubeUser":"system:serviceaccount:${ns}:paster"`);
    // Not in any answer, log line, or byte of the data folder (the session store holds it sealed).
    expectNoSecrets(running, [client], [token]);
  });

  it('an expired token is refused at once as expired; forget leaves nothing', async () => {
    running = await startConsole({ KUBECONFIG: ctx.kubeconfigPath, KUBERNETES_ACT_AS: 'token' });
    const expired = ['{"alg":"RS256"}', JSON.stringify({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 60 }), 'sig']
      .map((p) => Buffer.from(p).toString('base64url'))
      .join('.');
    const res = await running.client.request('PUT', '/api/kubernetes/identity/token', { json: { token: expired } });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'kube_token_expired' } });
    expect((await running.client.request('DELETE', '/api/kubernetes/identity/token')).status).toBe(204);
    const none = await running.client.request('PUT', '/api/kubernetes/identity/token', { json: { token: '' } });
    expect(none.status).toBe(400);
    expect(none.json()).toMatchObject({ error: { code: 'validation', fields: { token: expect.any(String) } } });
  });

  it('a console that does not use pasted tokens refuses one, saying what it does', async () => {
    running = await startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer);
    const res = await running.client.request('PUT', '/api/kubernetes/identity/token', { json: { token: 'abc' } });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict', params: { mode: 'kubeconfig' } } });
  });
});
