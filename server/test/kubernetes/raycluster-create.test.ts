import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RAYCLUSTER_FORM_DEFAULTS, type RayClusterForm } from '@ray-console/shared';
import { waitFor } from '../support/wait.js';
import type { RunningConsole } from './support/console.js';
import { Kube, kubeContext, randomSuffix, type KubeObject } from './support/kube.js';
import type { RayClusterSpec } from '../../src/features/kuberay/raycluster-manifest.js';
import { startConsoleAsKubeconfigUser } from './support/person-console.js';

/*
 * "New RayCluster" against the real kube-apiserver and the real KubeRay operator: the console runs on the
 * person's machine with their kubeconfig (user `viewer`), who may create RayClusters and Secrets in one
 * namespace only. There is no kubelet: Pods stay Pending, but the operator still makes the token Secret
 * and the head Service, which is what is checked here.
 */

const ctx = kubeContext();
const kube = new Kube(ctx);
let allowed: string;
let other: string;
let running: RunningConsole;
/** Every answer body the console gave in this file, searched for tokens at the end. */
const bodies: string[] = [];

beforeAll(async () => {
  [allowed, other] = await Promise.all([kube.createNamespace('create-team'), kube.createNamespace('create-other')]);
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'raycluster-creator', namespace: allowed },
    rules: [
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['create', 'get', 'list', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ],
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'viewer-creates', namespace: allowed },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'raycluster-creator' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
  });
  running = await startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer);
});

afterAll(async () => {
  await running?.close();
});

const form = (overrides: Partial<RayClusterForm> = {}): RayClusterForm => ({
  ...RAYCLUSTER_FORM_DEFAULTS,
  name: `rc-${randomSuffix()}`,
  namespace: allowed,
  ...overrides,
});

async function post(path: string, json: unknown) {
  const res = await running.client.post(path, json);
  bodies.push(res.text);
  return res;
}

/** A RayCluster as the API server stored it: the spec the console sent, with defaults filled in. */
const getCluster = async (namespace: string, name: string) =>
  (await kube.get<KubeObject & { spec: RayClusterSpec }>('RayCluster', namespace, name)).body;

describe('creating a RayCluster as the person', () => {
  it('creates the RayCluster the form describes, and the operator makes its token Secret and head Service', async () => {
    const asked = form({
      rayVersion: '2.54.0',
      head: { cpu: '2', memory: '6Gi' },
      worker: { cpu: '500m', memory: '3Gi', scaling: { mode: 'autoscaling', minReplicas: 1, maxReplicas: 4 } },
    });
    const res = await post('/api/kubernetes/rayclusters', { form: asked, dryRun: false });
    expect(res.status, res.text).toBe(201);
    expect(res.json()).toEqual({
      namespace: allowed,
      name: asked.name,
      clusterId: `k8s~${allowed}~${asked.name}`,
      dryRun: false,
      user: 'viewer',
    });

    const rc = await getCluster(allowed, asked.name);
    expect(rc.spec).toMatchObject({
      rayVersion: '2.54.0',
      authOptions: { mode: 'token' },
      enableInTreeAutoscaling: true,
      workerGroupSpecs: [{ replicas: 1, minReplicas: 1, maxReplicas: 4 }],
    });
    const head = rc.spec.headGroupSpec.template.spec.containers[0]!;
    expect(head.image).toBe('rayproject/ray:2.54.0');
    expect(head.resources).toEqual({ requests: { cpu: '2', memory: '6Gi' }, limits: { cpu: '2', memory: '6Gi' } });
    expect(rc.spec.workerGroupSpecs[0]?.template.spec.containers[0]?.resources.limits).toEqual({
      cpu: '500m',
      memory: '3Gi',
    });

    if (ctx.operator) {
      const secret = await waitFor('the operator to make the token Secret', async () => {
        const got = await kube.get<KubeObject & { data?: Record<string, string> }>('Secret', allowed, asked.name);
        return got.status === 200 ? got.body : undefined;
      });
      expect(Object.keys(secret.data ?? {})).toEqual(['auth_token']);
      await waitFor('the operator to make the head Service', async () => {
        const got = await kube.get('Service', allowed, `${asked.name}-head-svc`);
        return got.status === 200;
      });
    }
    // The audit line names the person's Kubernetes user and the object.
    expect(
      running.logs.some(
        (l) => l.includes('"raycluster.create"') && l.includes('"kubeUser":"viewer"') && l.includes(asked.name),
      ),
    ).toBe(true);
  });

  it('stores nothing on a dry run', async () => {
    const asked = form();
    const res = await post('/api/kubernetes/rayclusters', { form: asked, dryRun: true });
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, user: 'viewer' });
    expect((await kube.get('RayCluster', allowed, asked.name)).status).toBe(404);
  });

  it('refuses a bad spec with the field named: its own checks and the API server dry run alike', async () => {
    const negative = await post('/api/kubernetes/rayclusters', {
      form: form({ head: { cpu: '-1', memory: '4Gi' } }),
      dryRun: true,
    });
    expect(negative.status).toBe(400);
    expect(Object.keys(negative.json<{ error: { fields: object } }>().error.fields)).toEqual(['form.head.cpu']);

    // The YAML the person edited: what the CRD lets through but KubeRay refuses, named by API path ...
    const preview = await post('/api/kubernetes/rayclusters/preview', { form: form({ name: 'edited' }) });
    const yaml = preview.json<{ yaml: string }>().yaml;
    const tooOld = await post('/api/kubernetes/rayclusters', {
      yaml: yaml.replace('rayVersion: 2.53.0', 'rayVersion: 2.51.0').replace(/cpu: "1"/, 'cpu: "-2"'),
      dryRun: true,
    });
    expect(tooOld.status).toBe(400);
    expect(tooOld.json<{ error: { fields: object } }>().error.fields).toEqual({
      'spec.rayVersion': expect.stringMatching(/2\.52\.0 or later/),
      'spec.headGroupSpec.template.spec.containers[0].resources.requests.cpu': expect.stringMatching(/negative/),
    });
    // ... and what the API server's schema refuses in the dry run, named by the API server.
    const wrongTypes = await post('/api/kubernetes/rayclusters', {
      yaml: yaml.replace('replicas: 1\n', 'replicas: two\n').replace(/memory: 4Gi/, 'memory: 4 GB'),
      dryRun: true,
    });
    expect(wrongTypes.status, wrongTypes.text).toBe(400);
    const refused = wrongTypes.json<{ error: { code: string; fields: Record<string, string> } }>().error;
    expect(refused.code).toBe('validation');
    expect(Object.keys(refused.fields)).toEqual(
      expect.arrayContaining([
        'spec.workerGroupSpecs[0].replicas',
        'spec.headGroupSpec.template.spec.containers[0].resources.requests.memory',
      ]),
    );
    expect((await kube.get('RayCluster', allowed, 'edited')).status).toBe(404);
  });

  it('the CRD itself accepts a negative CPU and an old Ray version (so the console checks them)', async () => {
    const preview = await post('/api/kubernetes/rayclusters/preview', { form: form({ name: 'crd-check' }) });
    const yaml = preview.json<{ yaml: string }>().yaml;
    const { parse } = await import('yaml');
    const obj = parse(yaml.replace('rayVersion: 2.53.0', 'rayVersion: "2.51.0"').replace(/cpu: "1"/, 'cpu: "-2"'));
    const res = await kube.apply(obj as KubeObject, { dryRun: true });
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(300);
  });

  it('with the Secret way, makes the token Secret owned by the cluster, and never shows the token', async () => {
    const asked = form({ auth: 'secret-env' });
    const preview = await post('/api/kubernetes/rayclusters/preview', { form: asked });
    expect(preview.json<{ secret: { yaml: string } }>().secret.yaml).toContain('<generated by the console');

    const res = await post('/api/kubernetes/rayclusters', { form: asked, dryRun: false });
    expect(res.status, res.text).toBe(201);
    expect(res.json()).toMatchObject({ tokenSecret: { name: asked.name, created: true } });

    const rc = await getCluster(allowed, asked.name);
    expect(rc.spec.authOptions).toBeUndefined();
    expect(rc.spec.headGroupSpec.template.spec.containers[0]?.env).toEqual([
      { name: 'RAY_AUTH_MODE', value: 'token' },
      { name: 'RAY_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: asked.name, key: 'auth_token' } } },
    ]);
    const secret = (await kube.get<KubeObject & { data: Record<string, string> }>('Secret', allowed, asked.name)).body;
    expect(secret.metadata.ownerReferences).toEqual([
      { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: asked.name, uid: rc.metadata.uid },
    ]);
    const token = Buffer.from(secret.data.auth_token!, 'base64').toString();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const text of [...bodies, ...running.logs]) expect(text).not.toContain(token);
  });

  it('in a namespace where the person may not create RayClusters, answers 403 naming the verb and resource', async () => {
    const res = await post('/api/kubernetes/rayclusters', { form: form({ namespace: other }), dryRun: true });
    expect(res.status).toBe(403);
    const refused = res.json<{ error: { code: string; message: string; params: Record<string, string> } }>().error;
    expect(refused.code).toBe('kube_forbidden');
    expect(refused.params).toMatchObject({
      verb: 'create',
      resource: 'rayclusters.ray.io',
      namespace: other,
      user: 'viewer',
    });
    expect(refused.message).toMatch(/viewer may not create rayclusters\.ray\.io/);
  });

  it('refuses YAML with no token authentication, or with more than one object', async () => {
    const preview = await post('/api/kubernetes/rayclusters/preview', { form: form({ name: 'open' }) });
    const yaml = preview.json<{ yaml: string }>().yaml;
    const open = await post('/api/kubernetes/rayclusters', {
      yaml: yaml.replace(/ {2}authOptions:\n {4}mode: token\n/, ''),
      dryRun: true,
    });
    expect(open.status).toBe(400);
    expect(Object.keys(open.json<{ error: { fields: object } }>().error.fields)).toEqual(['spec.authOptions']);
    const two = await post('/api/kubernetes/rayclusters', {
      yaml: `${yaml}---\n${stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })}`,
      dryRun: true,
    });
    expect(two.status).toBe(400);
    expect(two.json<{ error: { fields: { yaml: string } } }>().error.fields.yaml).toMatch(/2 documents/);
  });
});
