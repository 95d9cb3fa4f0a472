import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Person } from '@ray-console/shared';
import { sessionOf, testPerson } from '../../support/person-session.js';
import { startConsole, type RunningConsole } from './console.js';
import type { KubeContext } from './global-setup.js';

/**
 * Consoles that act on Kubernetes as a person (issue 12), for the kubernetes test project.
 *
 *   const ctx = kubeContext();
 *   const c = await startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer); // acts as user `viewer`
 *   await c.client.request('POST', '/api/kubernetes/...', { json: ... });
 *
 *   const c = await startImpersonatingConsole(ctx);                         // impersonates OIDC people
 *   c.client.cookies.set(...(await c.signInPerson(testPerson('alice', ['team-a'])))); // RBAC for User alice / Group team-a
 *
 * Grant rights with Roles/RoleBindings in a fresh namespace (`kube.createNamespace`), as the other tests do.
 */

/** A kubeconfig whose one user is `token` (insecure-skip-tls-verify, like the harness's own). */
export function kubeconfigForToken(ctx: KubeContext, token: string, user = 'person'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ray-console-kubeconfig-')), 'kubeconfig.yaml');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server: ctx.server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user } }],
      'current-context': 'test',
    }),
    { mode: 0o600 },
  );
  return file;
}

/**
 * The console on "the person's machine": KUBERNETES_ACT_AS=kubeconfig with a kubeconfig holding `token`
 * (`ctx.tokens.viewer` → user `viewer`). Discovery stays off unless `env` switches it on.
 */
export function startConsoleAsKubeconfigUser(
  ctx: KubeContext,
  token: string,
  env: Record<string, string | undefined> = {},
): Promise<RunningConsole> {
  return startConsole({ KUBECONFIG: kubeconfigForToken(ctx, token), KUBERNETES_ACT_AS: 'kubeconfig', ...env });
}

export interface ImpersonatingConsole extends RunningConsole {
  /** Writes a session of `person` (as an OIDC sign-in would) and returns its cookie `[name, value]` for `client.cookies.set`. */
  signInPerson(person?: Person): Promise<[string, string]>;
}

/**
 * The console "in a cluster with OIDC sign-in": KUBERNETES_ACT_AS=impersonate with the admin kubeconfig
 * as its own identity (system:masters may impersonate), OIDC configured against an issuer on loopback
 * that is never contacted (people are written into the session store as a sign-in would leave them).
 * `Impersonate-User` is the person's `sub` (`sub-<name>` for `testPerson(name)`) unless
 * KUBERNETES_IMPERSONATE_USER_CLAIM says otherwise.
 */
export async function startImpersonatingConsole(
  ctx: KubeContext,
  env: Record<string, string | undefined> = {},
): Promise<ImpersonatingConsole> {
  const console = await startConsole({
    KUBECONFIG: ctx.kubeconfigPath,
    KUBERNETES_ACT_AS: 'impersonate',
    OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/unused',
    OIDC_CLIENT_ID: 'ray-console',
    PUBLIC_URL: 'http://127.0.0.1:9',
    ...env,
  });
  return {
    ...console,
    async signInPerson(person = testPerson('alice', [])) {
      const cookie = await sessionOf(console.store, console.secret, person);
      const eq = cookie.indexOf('=');
      return [cookie.slice(0, eq), cookie.slice(eq + 1)];
    },
  };
}
