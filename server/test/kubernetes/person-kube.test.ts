import type { Request } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { personKubeOfConfig } from '../../src/kubernetes/person-kube-of.js';
import type { PersonKube } from '../../src/kubernetes/person-kube.js';
import { testPerson } from '../support/person-session.js';
import { Kube, kubeContext } from './support/kube.js';
import { kubeconfigForToken } from './support/person-console.js';

const ctx = kubeContext();
const kube = new Kube(ctx);

let allowedNs: string;
let otherNs: string;

/** A RayCluster small enough for the CRD's validation; no operator needed to store it. */
const rayCluster = (namespace: string, name: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, namespace },
  spec: {
    rayVersion: '2.52.0',
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
    },
  },
});

/** A Role allowing create/get/delete on rayclusters, bound to a user or a group. */
async function grantRayClusters(namespace: string, subject: { kind: 'User' | 'Group'; name: string }) {
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'raycluster-writer', namespace },
    rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['create', 'get', 'list', 'delete', 'patch'] }],
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'raycluster-writer', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'raycluster-writer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
  });
}

function personKubeFor(env: Record<string, string>, req: Partial<Request> = {}): Promise<PersonKube> {
  const config = loadConfig({ SESSION_SECRET: 'person-kube-test-secret-0123456789abcdef', ...env });
  const of = personKubeOfConfig(config, ['person-kube-test-secret-0123456789abcdef']);
  if (!of) throw new Error('no PersonKubeOf for this configuration');
  return of({ session: {}, ...req } as Request);
}

beforeAll(async () => {
  [allowedNs, otherNs] = await Promise.all([kube.createNamespace('pk-allowed'), kube.createNamespace('pk-other')]);
});

describe('the door: Kubernetes as the person', () => {
  it('kubeconfig mode acts as the kubeconfig user: allowed in one namespace, a 403 naming verb, resource and user in another', async () => {
    await grantRayClusters(allowedNs, { kind: 'User', name: 'viewer' });
    const person = await personKubeFor({
      KUBECONFIG: kubeconfigForToken(ctx, ctx.tokens.viewer),
      KUBERNETES_ACT_AS: 'kubeconfig',
    });
    expect(person.mode).toBe('kubeconfig');
    expect(person.user).toBe('viewer');

    // A dry run stores nothing; the real create does.
    await person.create('RayCluster', allowedNs, rayCluster(allowedNs, 'dry'), { dryRun: true });
    expect((await kube.get('RayCluster', allowedNs, 'dry')).status).toBe(404);
    await person.create('RayCluster', allowedNs, rayCluster(allowedNs, 'mine'));
    expect((await kube.get('RayCluster', allowedNs, 'mine')).status).toBe(200);
    expect(await person.allowed('create', 'RayCluster', allowedNs)).toBe(true);
    expect(await person.allowed('create', 'RayCluster', otherNs)).toBe(false);

    const refused = await person.create('RayCluster', otherNs, rayCluster(otherNs, 'theirs')).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'create', resource: 'rayclusters.ray.io', namespace: otherNs, user: 'viewer', name: 'theirs' },
    });
    expect((refused as Error).message).toContain(
      `viewer may not create rayclusters.ray.io "theirs" in namespace ${otherNs}`,
    );

    // Already there: 409 conflict. Invalid: the API server's causes keyed by field.
    await expect(person.create('RayCluster', allowedNs, rayCluster(allowedNs, 'mine'))).rejects.toMatchObject({
      code: 'conflict',
    });
    const bad = rayCluster(allowedNs, 'bad') as { spec: Record<string, unknown> };
    bad.spec.headGroupSpec = { rayStartParams: {} };
    const invalid = await person.create('RayCluster', allowedNs, bad, { dryRun: true }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'validation' });
    expect(Object.keys((invalid as { fields: Record<string, string> }).fields)).toContain(
      'spec.headGroupSpec.template',
    );

    await person.mergePatch('RayCluster', allowedNs, 'mine', { metadata: { labels: { patched: 'yes' } } });
    expect((await person.get('RayCluster', allowedNs, 'mine')) as object).toMatchObject({
      metadata: { labels: { patched: 'yes' } },
    });
    // Names that are not DNS names never reach the API server (no other path can be built from them).
    await expect(person.get('RayCluster', '../kube-system', 'x')).rejects.toMatchObject({ code: 'validation' });
    await expect(person.delete('Secret', allowedNs, 'a/b')).rejects.toMatchObject({ code: 'validation' });
    await person.delete('RayCluster', allowedNs, 'mine');
    await expect(person.get('RayCluster', allowedNs, 'mine')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('impersonation carries the groups: RBAC bound only to a group allows a member and refuses everyone else', async () => {
    const ns = await kube.createNamespace('pk-group');
    await grantRayClusters(ns, { kind: 'Group', name: 'ray-builders' });
    const env = {
      KUBECONFIG: ctx.kubeconfigPath,
      KUBERNETES_ACT_AS: 'impersonate',
      OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/x',
      OIDC_CLIENT_ID: 'ray-console',
      PUBLIC_URL: 'http://127.0.0.1:9',
    };
    const member = await personKubeFor(env, {
      session: { person: testPerson('alice', ['other-group', 'ray-builders']) },
    } as unknown as Partial<Request>);
    expect(member).toMatchObject({ mode: 'impersonate', user: 'sub-alice', groups: ['other-group', 'ray-builders'] });
    await member.create('RayCluster', ns, rayCluster(ns, 'by-group'));
    expect((await kube.get('RayCluster', ns, 'by-group')).status).toBe(200);

    const outsider = await personKubeFor(env, {
      session: { person: testPerson('bob', ['other-group']) },
    } as unknown as Partial<Request>);
    await expect(outsider.create('RayCluster', ns, rayCluster(ns, 'by-bob'))).rejects.toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'create', resource: 'rayclusters.ray.io', namespace: ns, user: 'sub-bob' },
    });
    // Without a signed-in person there is nobody to impersonate.
    await expect(personKubeFor(env)).rejects.toMatchObject({ code: 'kube_identity_required' });
  });
});
