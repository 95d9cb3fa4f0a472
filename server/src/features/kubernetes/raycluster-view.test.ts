import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ClusterId } from '@ray-console/shared';
import { RayClusterObject } from '../../kubernetes/kube-objects.js';
import { bashWords, expectCommand } from '../../../test/support/shell-words.js';
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
    expectCommand(hint?.command, [
      ['kubectl', 'get', 'secret', 'ray-cluster-with-auth', '-n', 'team-a', '-o', 'jsonpath={.data.auth_token}'],
      ['base64', '-d'],
    ]);
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
    expectCommand(hint?.command, [['kubectl', 'create', 'token', 'SERVICE_ACCOUNT', '-n', 'ns', '--duration=1h']]);
    expect(hint?.text).toContain('replace SERVICE_ACCOUNT with its name');
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
    expectCommand(hint?.command, [
      [
        'kubectl',
        'get',
        'raycluster',
        'c1',
        '-n',
        'ns',
        '-o',
        'jsonpath={.spec.headGroupSpec.template.spec.containers[0].env[?(@.name=="RAY_AUTH_TOKEN")].value}',
      ],
    ]);
  });

  it('a Secret key with dots is escaped in the jsonpath', () => {
    const rc = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'ray.token' } } },
      ]),
    );
    expectCommand(tokenHintOf('ns', 'c1', authOf(rc))?.command, [
      ['kubectl', 'get', 'secret', 's', '-n', 'ns', '-o', 'jsonpath={.data.ray\\.token}'],
      ['base64', '-d'],
    ]);
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

describe('the commands the token hint offers to copy', () => {
  const secretAt = (name: string, key: string) =>
    cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', valueFrom: { secretKeyRef: { name, key } } },
      ]),
    );

  it.each([
    ['x$(id)', 'auth_token'],
    ['x`id`', 'auth_token'],
    ["x';id;'", 'auth_token'],
    ['x y', 'auth_token'],
    ['Upper', 'auth_token'],
    ['a'.repeat(254), 'auth_token'],
    ['s', 'k$(id)'],
    ['s', "k'}{"],
    ['s', 'k}|id #'],
    ['s', '..'],
  ])('offers no command for the Secret %j, key %j, and says why', (name, key) => {
    const hint = tokenHintOf('ns', 'c1', authOf(secretAt(name, key)));
    expect(hint?.kind).toBe('text');
    expect(hint?.command).toBeUndefined();
    expect(hint?.text).toContain('which Kubernetes does not allow');
    expect(hint?.text).toContain('fix the RayCluster');
  });

  it('offers no command when the namespace or RayCluster name is not a Kubernetes name', () => {
    const literal = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', value: 'v' },
      ]),
    );
    expect(tokenHintOf('n$(id)', 'c1', authOf(secretAt('s', 'k')))?.command).toBeUndefined();
    expect(tokenHintOf('ns', 'c$(id)', authOf(literal))?.command).toBeUndefined();
    const k8s = authOf(cluster({ authOptions: { mode: 'token', enableK8sTokenAuth: true } }));
    expect(tokenHintOf('n s', 'c1', k8s)?.command).toBeUndefined();
  });

  it.each([
    ['a.b-c', 'x', 'team-1', 'c.1'],
    ['s', '_key-1.two', 'a', 'z9'],
    ['0abc', 'K.E.Y', 'n'.repeat(63), 'r.c'],
  ])('quotes the Secret %j, key %j in namespace %j as exactly the intended words', (name, key, ns, rcName) => {
    const command = tokenHintOf(ns, rcName, authOf(secretAt(name, key)))?.command;
    expectCommand(command, [
      ['kubectl', 'get', 'secret', name, '-n', ns, '-o', `jsonpath={.data.${key.replaceAll('.', '\\.')}}`],
      ['base64', '-d'],
    ]);
    const literal = cluster(
      headEnv([
        { name: 'RAY_AUTH_MODE', value: 'token' },
        { name: 'RAY_AUTH_TOKEN', value: 'v' },
      ]),
    );
    expect(bashWords(tokenHintOf(ns, rcName, authOf(literal))?.command ?? '').words.slice(0, 6)).toEqual([
      'kubectl',
      'get',
      'raycluster',
      rcName,
      '-n',
      ns,
    ]);
  });

  it('the word check sees what bash would do, and cannot run what a command substitutes', () => {
    // Unquoted braces and globs are expanded by bash: a check of the text alone would miss it.
    expect(bashWords('kubectl get x{a,b}').words).toEqual(['kubectl', 'get', 'xa', 'xb']);
    // `$(id)` is parsed but has nothing to run: no PATH, restricted shell.
    const run = bashWords('kubectl "$(id)"');
    expect(run.words).toEqual(['kubectl', '']);
    expect(run.stderr).toContain('id: command not found');
  });
});
