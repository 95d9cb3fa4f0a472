import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const SECRET = 'kube-identity-config-test-secret-0123456789';
const OIDC = {
  OIDC_ISSUER_URL: 'https://idp.example.test/realms/ray',
  OIDC_CLIENT_ID: 'ray-console',
  PUBLIC_URL: 'https://ray-console.example.test',
};

function kubeconfig(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kube-identity-config-')), 'kubeconfig');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
  return file;
}

function problems(env: Record<string, string>): string {
  try {
    loadConfig({ SESSION_SECRET: SECRET, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('KUBERNETES_ACT_AS', () => {
  it('auto: off for a console never pointed at Kubernetes, kubeconfig with a kubeconfig', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET }).kubeIdentity).toBeUndefined();
    const file = kubeconfig();
    expect(loadConfig({ SESSION_SECRET: SECRET, KUBECONFIG: file }).kubeIdentity).toMatchObject({
      mode: 'kubeconfig',
      source: { kind: 'kubeconfig', files: [file] },
    });
    // The same source as discovery when discovery is on.
    expect(
      loadConfig({ SESSION_SECRET: SECRET, KUBECONFIG: file, KUBERNETES_DISCOVERY: 'true' }).kubeIdentity?.source,
    ).toEqual({ kind: 'kubeconfig', files: [file], context: undefined });
  });

  it('auto in a Pod: impersonate with OIDC sign-in, a pasted token without', () => {
    const pod = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    expect(loadConfig({ SESSION_SECRET: SECRET, ...pod, ...OIDC }).kubeIdentity).toMatchObject({
      mode: 'impersonate',
      source: { kind: 'in-cluster', host: '10.0.0.1', port: '443' },
      impersonation: { userClaim: 'sub', userPrefix: '', groupsPrefix: '' },
    });
    expect(loadConfig({ SESSION_SECRET: SECRET, ...pod }).kubeIdentity?.mode).toBe('token');
  });

  it('off switches it off even with a kubeconfig', () => {
    expect(
      loadConfig({ SESSION_SECRET: SECRET, KUBECONFIG: kubeconfig(), KUBERNETES_ACT_AS: 'off' }).kubeIdentity,
    ).toBeUndefined();
  });

  it('refuses impersonation without OIDC sign-in, naming what to set', () => {
    expect(problems({ KUBECONFIG: kubeconfig(), KUBERNETES_ACT_AS: 'impersonate' })).toContain(
      'KUBERNETES_ACT_AS=impersonate: impersonation acts as the person signed in with OIDC; set OIDC_ISSUER_URL and OIDC_CLIENT_ID',
    );
  });

  it('refuses an unknown mode and impersonation prefixes without impersonation', () => {
    expect(problems({ KUBERNETES_ACT_AS: 'sa' })).toContain('KUBERNETES_ACT_AS: Use auto (the default), kubeconfig');
    expect(
      problems({
        KUBECONFIG: kubeconfig(),
        KUBERNETES_ACT_AS: 'kubeconfig',
        KUBERNETES_IMPERSONATE_USER_PREFIX: 'oidc:',
      }),
    ).toContain('KUBERNETES_IMPERSONATE_USER_PREFIX: only used with impersonation');
  });

  it('asks for a kubeconfig when told to use one and there is none', () => {
    const home = os.homedir();
    const message = problems({ KUBERNETES_ACT_AS: 'kubeconfig', KUBECONFIG: path.join(home, 'no-such-kubeconfig') });
    expect(message).toContain('KUBECONFIG: none of');
  });
});
