import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ClusterId } from '@ray-console/shared';
import { RayClusterObject } from '../../kubernetes/kube-objects.js';
import { authOf, checkName, clusterIdOf, ownerOf, tokenHintOf, viewOf } from './raycluster-view.js';

const SAMPLES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../deploy/crds/kuberay-v1.7.0/samples',
);

/** The RayCluster of a KubeRay sample file, placed in `namespace`. */
function sample(file: string, namespace = 'team-a'): RayClusterObject {
  const docs = parseAllDocuments(readFileSync(path.join(SAMPLES, file), 'utf8')).map(
    (d) => d.toJS() as { kind?: string },
  );
  const rc = docs.find((d) => d.kind === 'RayCluster') as { metadata: Record<string, unknown> };
  return RayClusterObject.parse({ ...rc, metadata: { ...rc.metadata, namespace } });
}

function cluster(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): RayClusterObject {
  return RayClusterObject.parse({ metadata: { name: 'c1', namespace: 'ns', ...extra }, spec });
}

const headEnv = (env: unknown[]) => ({
  headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', env }] } } },
});

describe('authOf and tokenHintOf on the KubeRay samples', () => {
  it('ray-cluster.auth.yaml: the operator Secret named after the cluster, key auth_token', () => {
    const rc = sample('ray-cluster.auth.yaml');
    expect(authOf(rc)).toEqual({
      mode: 'token',
      source: 'authOptions',
      secret: { name: 'ray-cluster-with-auth', key: 'auth_token' },
    });
    const hint = tokenHintOf('team-a', 'ray-cluster-with-auth', authOf(rc));
    expect(hint?.kind).toBe('kubernetes-secret');
    expect(hint?.command).toBe(
      "kubectl get secret ray-cluster-with-auth -n team-a -o jsonpath='{.data.auth_token}' | base64 -d",
    );
  });

  it('ray-cluster.auth.secret-ref.yaml: authOptions.secretName', () => {
    const rc = sample('ray-cluster.auth.secret-ref.yaml');
    expect(authOf(rc).secret).toEqual({ name: 'ray-cluster-token', key: 'auth_token' });
    expect(tokenHintOf('team-a', 'ray-cluster-with-auth', authOf(rc))?.command).toContain(
      'get secret ray-cluster-token -n team-a',
    );
  });

  it('ray-cluster.auth-manual.yaml: RAY_AUTH_MODE and the secretKeyRef of RAY_AUTH_TOKEN', () => {
    const rc = sample('ray-cluster.auth-manual.yaml');
    expect(authOf(rc)).toEqual({
      mode: 'token',
      source: 'env',
      secret: { name: 'ray-cluster-with-auth', key: 'auth_token' },
    });
    expect(tokenHintOf('team-a', 'ray-cluster-with-auth', authOf(rc))?.text).toContain('The head container reads');
  });
});

describe('authOf on other shapes', () => {
  it('enableK8sTokenAuth asks for a Kubernetes token that expires', () => {
    const auth = authOf(cluster({ authOptions: { mode: 'token', enableK8sTokenAuth: true }, rayVersion: '2.55.0' }));
    expect(auth).toEqual({ mode: 'kubernetes-token', source: 'authOptions' });
    const hint = tokenHintOf('ns', 'c1', auth);
    expect(hint?.kind).toBe('kubernetes-token');
    expect(hint?.command).toBe('kubectl create token <service-account> -n ns --duration=1h');
    expect(hint?.text).toMatch(/expire/);
  });

  it('RAY_ENABLE_K8S_TOKEN_AUTH on the head container is Kubernetes-token mode too', () => {
    const rc = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_ENABLE_K8S_TOKEN_AUTH', value: 'true' },
      ]),
    );
    expect(authOf(rc).mode).toBe('kubernetes-token');
  });

  it('mode disabled, no authOptions and an empty mode are all "disabled", with no hint', () => {
    for (const spec of [{ authOptions: { mode: 'disabled' } }, {}, { authOptions: {} }]) {
      const auth = authOf(cluster(spec));
      expect(auth.mode).toBe('disabled');
      expect(tokenHintOf('ns', 'c1', auth)).toBeUndefined();
    }
  });

  it('a literal RAY_AUTH_TOKEN value is pointed at, never copied', () => {
    const rc = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', value: 'literal-secret' },
      ]),
    );
    const hint = tokenHintOf('ns', 'c1', authOf(rc));
    expect(JSON.stringify(hint)).not.toContain('literal-secret');
    expect(hint?.command).toContain('kubectl get raycluster c1 -n ns');
  });

  it('a Secret key with dots is escaped in the jsonpath', () => {
    const rc = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'ray.token' } } },
      ]),
    );
    expect(tokenHintOf('ns', 'c1', authOf(rc))?.command).toContain("jsonpath='{.data.ray\\.token}'");
  });

  it('names the operator Secret like KubeRay utils.CheckName', () => {
    expect(checkName('ray-cluster-with-auth')).toBe('ray-cluster-with-auth');
    expect(checkName('1abc')).toBe('rabc');
    const long = `x${'a'.repeat(59)}`;
    expect(checkName(long)).toBe('a'.repeat(50));
    expect(authOf(cluster({ authOptions: { mode: 'token' } }, { name: long })).secret?.name).toBe('a'.repeat(50));
  });
});

describe('viewOf', () => {
  it('reads readiness, workers and conditions from the status', () => {
    const rc = RayClusterObject.parse({
      metadata: { name: 'c1', namespace: 'ns' },
      spec: { rayVersion: '2.53.0', workerGroupSpecs: [{ replicas: 2 }] },
      status: {
        state: 'ready',
        desiredWorkerReplicas: 2,
        availableWorkerReplicas: 1,
        readyWorkerReplicas: 1,
        conditions: [
          { type: 'HeadPodReady', status: 'True', reason: 'HeadPodRunningAndReady' },
          { type: 'RayClusterProvisioned', status: 'False', reason: 'RayClusterPodsProvisioning' },
        ],
      },
    });
    const view = viewOf(rc);
    expect(view.ready).toBe(true);
    expect(view.rayVersion).toBe('2.53.0');
    expect(view.workers).toEqual({ desired: 2, available: 1, ready: 1 });
    expect(view.conditions.map((c) => c.type)).toEqual(['HeadPodReady', 'RayClusterProvisioned']);
  });

  it('is not ready before the operator wrote a status, nor when suspended', () => {
    expect(viewOf(cluster({ workerGroupSpecs: [{ replicas: 3, numOfHosts: 2 }] })).workers.desired).toBe(6);
    expect(viewOf(cluster({})).ready).toBe(false);
    const suspended = RayClusterObject.parse({
      metadata: { name: 'c1', namespace: 'ns' },
      spec: {},
      status: {
        conditions: [
          { type: 'HeadPodReady', status: 'True' },
          { type: 'RayClusterSuspended', status: 'True' },
        ],
      },
    });
    expect(viewOf(suspended).ready).toBe(false);
  });

  it('finds the RayJob or RayService owner from owner references or KubeRay labels', () => {
    expect(
      ownerOf(
        cluster(
          {},
          { ownerReferences: [{ apiVersion: 'ray.io/v1', kind: 'RayJob', name: 'nightly', controller: true }] },
        ),
      ),
    ).toEqual({ kind: 'RayJob', name: 'nightly' });
    expect(
      ownerOf(
        cluster(
          {},
          { labels: { 'ray.io/originated-from-crd': 'RayService', 'ray.io/originated-from-cr-name': 'serve' } },
        ),
      ),
    ).toEqual({ kind: 'RayService', name: 'serve' });
    expect(ownerOf(cluster({}, { ownerReferences: [{ kind: 'Deployment', name: 'x' }] }))).toBeUndefined();
  });
});

describe('clusterIdOf', () => {
  it('is k8s~<namespace>~<name>, a valid ClusterId', () => {
    expect(clusterIdOf('team-a', 'ray-cluster-with-auth')).toBe('k8s~team-a~ray-cluster-with-auth');
    expect(ClusterId.safeParse(clusterIdOf('team-a', 'ray.cluster')).success).toBe(true);
  });

  it('stays within 253 characters and unambiguous for very long names', () => {
    const a = clusterIdOf('n'.repeat(63), `${'x'.repeat(240)}a`);
    const b = clusterIdOf('n'.repeat(63), `${'x'.repeat(240)}b`);
    expect(a.length).toBeLessThanOrEqual(253);
    expect(ClusterId.safeParse(a).success).toBe(true);
    expect(a).not.toBe(b);
  });
});
