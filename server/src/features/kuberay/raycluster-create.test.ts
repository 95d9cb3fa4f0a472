import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RAYCLUSTER_FORM_DEFAULTS, RayClusterForm } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import type { PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';
import { createRayCluster, fromForm, previewOf } from './raycluster-create.js';
import { TOKEN_PLACEHOLDER } from './raycluster-manifest.js';
import { rayClusterFromYaml } from './raycluster-yaml.js';

interface Call {
  op: 'create' | 'delete';
  kind: PersonKubeKind;
  namespace: string;
  body?: Record<string, unknown>;
  dryRun?: boolean;
}

/** A PersonKube that answers like the API server would, with switches for the cases under test. */
function fakeKube(
  behave: {
    pruneAuthOptions?: boolean;
    secretExists?: boolean;
    refuseSecret?: AppError;
    refuseCluster?: AppError;
  } = {},
) {
  const calls: Call[] = [];
  const kube: PersonKube = {
    mode: 'kubeconfig',
    user: 'alice',
    groups: [],
    get: () => Promise.reject(new Error('not used')),
    list: () => Promise.reject(new Error('not used')),
    create: (kind, namespace, body, options) => {
      calls.push({
        op: 'create',
        kind,
        namespace,
        body: body as Record<string, unknown>,
        dryRun: options?.dryRun ?? false,
      });
      if (kind === 'RayCluster' && behave.refuseCluster) return Promise.reject(behave.refuseCluster);
      if (kind === 'Secret' && behave.secretExists)
        return Promise.reject(new AppError('conflict', 'secrets "demo" already exists'));
      if (kind === 'Secret' && behave.refuseSecret) return Promise.reject(behave.refuseSecret);
      const stored = structuredClone(body) as { metadata: Record<string, unknown>; spec?: Record<string, unknown> };
      stored.metadata.uid = 'uid-1';
      if (behave.pruneAuthOptions && stored.spec) delete stored.spec.authOptions;
      return Promise.resolve(stored);
    },
    mergePatch: () => Promise.reject(new Error('not used')),
    delete: (kind, namespace) => {
      calls.push({ op: 'delete', kind, namespace });
      return Promise.resolve();
    },
    allowed: () => Promise.resolve(true),
  };
  return { kube, calls };
}

const form = RayClusterForm.parse({ ...RAYCLUSTER_FORM_DEFAULTS, name: 'demo', namespace: 'team-a' });
const manual = { ...form, auth: 'secret-env' as const };

describe('createRayCluster', () => {
  it('with authOptions, dry-runs first and creates only what keeps its token auth', async () => {
    const { kube, calls } = fakeKube();
    const created = await createRayCluster(kube, fromForm(form), { dryRun: false, viaForm: true });
    expect(created).toEqual({
      namespace: 'team-a',
      name: 'demo',
      clusterId: 'k8s~team-a~demo',
      dryRun: false,
      user: 'alice',
    });
    expect(calls.map((c) => [c.kind, c.dryRun])).toEqual([
      ['RayCluster', true],
      ['RayCluster', false],
    ]);
  });

  it('a dry run sends only the dry run', async () => {
    const { kube, calls } = fakeKube();
    await createRayCluster(kube, fromForm(form), { dryRun: true, viaForm: true });
    expect(calls.map((c) => c.dryRun)).toEqual([true]);
  });

  it('refuses to create a cluster whose CRD drops authOptions, offering the Secret way', async () => {
    const { kube, calls } = fakeKube({ pruneAuthOptions: true });
    const err = await createRayCluster(kube, fromForm(form), { dryRun: false, viaForm: true }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'validation', params: { unsupported: 'authOptions' } });
    expect(Object.keys(err.fields)).toEqual(['form.auth']);
    expect(calls.filter((c) => !c.dryRun)).toEqual([]);
  });

  it('treats a strict refusal of the unknown field the same way', async () => {
    const refusal = new AppError(
      'validation',
      'The API server refused rayclusters.ray.io in namespace team-a as invalid. The API server said: strict decoding error: unknown field "spec.authOptions".',
    );
    const { kube } = fakeKube({ refuseCluster: refusal });
    const err = await createRayCluster(kube, fromForm(form), { dryRun: true, viaForm: false }).catch((e) => e);
    expect(err).toMatchObject({
      params: { unsupported: 'authOptions' },
      fields: { 'spec.authOptions': expect.any(String) },
    });
  });

  it('with the Secret way, creates the cluster, then its Secret owned by it with a token made here', async () => {
    const { kube, calls } = fakeKube();
    const created = await createRayCluster(kube, fromForm(manual), { dryRun: false, viaForm: true });
    expect(created.tokenSecret).toEqual({ name: 'demo', created: true });
    expect(calls.map((c) => c.kind)).toEqual(['RayCluster', 'Secret']);
    const secret = calls[1]!.body as { metadata: Record<string, unknown>; stringData: { auth_token: string } };
    expect(secret.metadata.ownerReferences).toEqual([
      { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'demo', uid: 'uid-1' },
    ]);
    expect(secret.stringData.auth_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(created)).not.toContain(secret.stringData.auth_token);
  });

  it('dry-runs the Secret with a placeholder, never a real token', async () => {
    const { kube, calls } = fakeKube();
    await createRayCluster(kube, fromForm(manual), { dryRun: true, viaForm: true });
    expect(calls.map((c) => [c.kind, c.dryRun])).toEqual([
      ['RayCluster', true],
      ['Secret', true],
    ]);
    expect((calls[1]!.body as { stringData: unknown }).stringData).toEqual({ auth_token: TOKEN_PLACEHOLDER });
  });

  it('uses a Secret that exists already as it is', async () => {
    const { kube } = fakeKube({ secretExists: true });
    const created = await createRayCluster(kube, fromForm(manual), { dryRun: false, viaForm: true });
    expect(created.tokenSecret).toEqual({ name: 'demo', created: false });
  });

  it('deletes the cluster again when its Secret cannot be made, and says why', async () => {
    const refusal = new AppError('forbidden', 'alice may not create secrets in namespace team-a.');
    const { kube, calls } = fakeKube({ refuseSecret: refusal });
    await expect(createRayCluster(kube, fromForm(manual), { dryRun: false, viaForm: true })).rejects.toThrow(
      /may not create secrets/,
    );
    expect(calls.at(-1)).toEqual({ op: 'delete', kind: 'RayCluster', namespace: 'team-a' });
  });

  it('puts the API server causes of a form request on the form inputs, the others on their paths', async () => {
    const refusal = new AppError('validation', 'The API server refused rayclusters.ray.io as invalid.', {
      'spec.workerGroupSpecs[0].replicas': 'Invalid value: "string": must be integer',
      'spec.headGroupSpec.template.spec.containers[0].resources.limits.memory': 'bad quantity',
      'spec.headGroupSpec.rayStartParams': 'unknown',
    });
    const { kube } = fakeKube({ refuseCluster: refusal });
    const err = await createRayCluster(kube, fromForm(form), {
      dryRun: true,
      viaForm: true,
      fixedReplicas: true,
    }).catch((e) => e);
    expect(err.fields).toEqual({
      'form.worker.scaling.replicas': 'Invalid value: "string": must be integer',
      'form.head.memory': 'bad quantity',
      'spec.headGroupSpec.rayStartParams': 'unknown',
    });
  });

  it('creates the Secret the edited YAML names for the manual way', async () => {
    const { kube, calls } = fakeKube();
    const edited = parse(previewOf(manual).yaml) as {
      spec: {
        headGroupSpec: { template: { spec: { containers: { env: { valueFrom?: { secretKeyRef: object } }[] }[] } } };
      };
    };
    edited.spec.headGroupSpec.template.spec.containers[0]!.env[1]!.valueFrom = {
      secretKeyRef: { name: 'demo-token', key: 'token' },
    };
    const yaml = stringify(edited);
    const target = rayClusterFromYaml(yaml);
    expect(target.auth).toEqual({ way: 'secret-env', secret: { name: 'demo-token', key: 'token' } });
    await createRayCluster(kube, target, { dryRun: false, viaForm: false });
    const secret = calls[1]!.body as { metadata: { name: string }; stringData: Record<string, string> };
    expect(secret.metadata.name).toBe('demo-token');
    expect(Object.keys(secret.stringData)).toEqual(['token']);
  });
});

describe('previewOf', () => {
  it('shows the Secret of the manual way with a placeholder for its token', () => {
    const preview = previewOf(manual);
    expect(preview.secret?.name).toBe('demo');
    expect(preview.secret?.yaml).toContain(TOKEN_PLACEHOLDER);
    expect(previewOf(form).secret).toBeUndefined();
    expect(preview.yaml).toContain('kind: RayCluster');
  });
});
