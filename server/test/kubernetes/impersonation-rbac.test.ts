import path from 'node:path';
import type { Request } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { personKubeOfConfig } from '../../src/kubernetes/person-kube-of.js';
import { PROJECT_ROOT, loadYamlObjects } from '../harness/kube-control-plane.js';
import { testPerson } from '../support/person-session.js';
import { Kube, kubeContext, randomSuffix, renderKustomization, type KubeObject } from './support/kube.js';
import { kubeconfigForToken } from './support/person-console.js';

// deploy/impersonation and deploy/examples/people-rbac.yaml for real: the console's service account may
// impersonate and nothing else, and a person acts through it with exactly the rights the example gives.

const ctx = kubeContext();
const kube = new Kube(ctx);
const DEPLOY = path.join(PROJECT_ROOT, 'deploy');
const SECRET = 'impersonation-rbac-test-secret-0123456789';

let consoleNs: string;
let teamNs: string;
let saToken: string;
let saUser: string;

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

/** A SelfSubjectAccessReview as `token`. */
async function can(token: string, attrs: Record<string, string>): Promise<boolean> {
  const review = await kube
    .as(token)
    .ok<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: attrs },
    });
  return review.status.allowed;
}

const personKube = (env: Record<string, string>, person?: ReturnType<typeof testPerson>) => {
  const of = personKubeOfConfig(loadConfig({ SESSION_SECRET: SECRET, ...env }), [SECRET])!;
  return of({ session: person ? { person } : {} } as unknown as Request);
};

beforeAll(async () => {
  [consoleNs, teamNs] = await Promise.all([kube.createNamespace('ray-console'), kube.createNamespace('team')]);
  const suffix = randomSuffix();
  // The service account from deploy/base and the impersonation RBAC, bound to it in this test's namespace
  // (cluster-scoped names get a suffix: other test files may install deploy/ too).
  const sa = renderKustomization(path.join(DEPLOY, 'base'), consoleNs).find((o) => o.kind === 'ServiceAccount')!;
  await kube.create(sa);
  for (const obj of renderKustomization(path.join(DEPLOY, 'impersonation'))) {
    const o = structuredClone(obj) as KubeObject & { roleRef?: { name: string }; subjects?: { namespace?: string }[] };
    o.metadata.name = `${o.metadata.name}-${suffix}`;
    if (o.roleRef) o.roleRef.name = `${o.roleRef.name}-${suffix}`;
    for (const s of o.subjects ?? []) s.namespace = consoleNs;
    await kube.create(o);
  }
  // The people example, for the group ray-team-a in the team namespace.
  for (const obj of loadYamlObjects<KubeObject>(path.join(DEPLOY, 'examples', 'people-rbac.yaml'))) {
    const o = structuredClone(obj) as KubeObject & { roleRef?: { name: string } };
    o.metadata.name = `${o.metadata.name}-${suffix}`;
    if (o.roleRef) o.roleRef.name = `${o.roleRef.name}-${suffix}`;
    if (o.kind === 'RoleBinding') o.metadata.namespace = teamNs;
    await kube.create(o);
  }
  saToken = await kube.serviceAccountToken(consoleNs, 'ray-console');
  saUser = `system:serviceaccount:${consoleNs}:ray-console`;
});

describe('deploy/impersonation and the people RBAC example, on the real API server', () => {
  it("the console's service account may impersonate, and may not create RayClusters or read Secrets", async () => {
    expect(await can(saToken, { verb: 'impersonate', resource: 'users', name: 'sub-alice' })).toBe(true);
    expect(await can(saToken, { verb: 'impersonate', resource: 'groups', name: 'ray-team-a' })).toBe(true);
    expect(await can(saToken, { verb: 'create', group: 'ray.io', resource: 'rayclusters', namespace: teamNs })).toBe(
      false,
    );
    expect(await can(saToken, { verb: 'get', resource: 'secrets', namespace: teamNs })).toBe(false);
    expect(await can(saToken, { verb: 'list', resource: 'secrets', namespace: consoleNs })).toBe(false);

    // As itself (no impersonation) the console is refused, and the refusal names it.
    const itself = await personKube({ KUBECONFIG: kubeconfigForToken(ctx, saToken), KUBERNETES_ACT_AS: 'kubeconfig' });
    await expect(itself.create('RayCluster', teamNs, rayCluster(teamNs, 'by-console'))).rejects.toMatchObject({
      code: 'kube_forbidden',
      params: { user: saUser, verb: 'create', resource: 'rayclusters.ray.io', namespace: teamNs },
    });
  });

  it('through it, a person in the group the example binds creates a RayCluster and reads its Secret; a person outside is refused', async () => {
    const env = {
      KUBECONFIG: kubeconfigForToken(ctx, saToken),
      KUBERNETES_ACT_AS: 'impersonate',
      OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/x',
      OIDC_CLIENT_ID: 'ray-console',
      PUBLIC_URL: 'http://127.0.0.1:9',
    };
    const alice = await personKube(env, testPerson('alice', ['ray-team-a']));
    await alice.create('RayCluster', teamNs, rayCluster(teamNs, 'alices'));
    expect((await kube.get('RayCluster', teamNs, 'alices')).status).toBe(200);
    expect(await alice.allowed('get', 'Secret', teamNs, 'alices')).toBe(true);
    expect(await alice.allowed('create', 'RayCluster', consoleNs)).toBe(false);
    await alice.delete('RayCluster', teamNs, 'alices');

    const bob = await personKube(env, testPerson('bob', ['someone-else']));
    await expect(bob.create('RayCluster', teamNs, rayCluster(teamNs, 'bobs'))).rejects.toMatchObject({
      code: 'kube_forbidden',
      params: { user: 'sub-bob', verb: 'create', resource: 'rayclusters.ray.io', namespace: teamNs },
    });
    await expect(bob.get('Secret', teamNs, 'alices')).rejects.toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'get', resource: 'secrets' },
    });
  });
});
