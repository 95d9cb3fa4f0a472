import express from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../lib/error-middleware.js';
import type { AuditRecord, AuditRecorder } from '../../lib/audit.js';
import { KubernetesError } from '../../kubernetes/kube-client.js';
import { kubeIdentityRequired } from '../../kubernetes/person-kube-of.js';
import type { PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';
import { rayClusterProgressRouter } from './raycluster-progress.router.js';

/**
 * The routes with a fake PersonKube (the real one, against a real API server, is exercised in
 * server/test/kubernetes/raycluster-progress.test.ts): what reaches Kubernetes, and what comes back.
 */

const RAYCLUSTER = {
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'demo', namespace: 'team-a', uid: 'u1', resourceVersion: '7', managedFields: [{}] },
  spec: { rayVersion: '2.53.0', authOptions: { mode: 'token' } },
  status: {
    conditions: [{ type: 'HeadPodReady', status: 'False', reason: 'Unknown', message: '' }],
    desiredWorkerReplicas: 1,
  },
};

/** A 403 as the PersonKube door gives it (person-kube-errors.ts). */
function forbidden(verb: string, resource: string, group = ''): KubernetesError {
  const plural = resource.split('.')[0]!;
  return new KubernetesError(
    'forbidden',
    `viewer may not ${verb} ${resource} in namespace team-a. The API server said: ${plural}${group ? `.${group}` : ''} is forbidden: User "viewer" cannot ${verb} resource "${plural}" in API group "${group}" in the namespace "team-a".`,
    { code: 'kube_forbidden', params: { verb, resource, namespace: 'team-a', user: 'viewer' } },
  );
}

interface Fake {
  kube: PersonKube;
  calls: string[];
  audits: AuditRecord[];
  app: express.Express;
}

function fake(options: { refuse?: Partial<Record<string, KubernetesError>>; mayDelete?: boolean } = {}): Fake {
  const calls: string[] = [];
  const audits: AuditRecord[] = [];
  const refuse = (what: string) => {
    const err = options.refuse?.[what];
    if (err) throw err;
  };
  const kube: PersonKube = {
    mode: 'kubeconfig',
    user: 'viewer',
    groups: [],
    get: (kind: PersonKubeKind, namespace: string, name: string) => {
      calls.push(`get ${kind} ${namespace}/${name}`);
      refuse(`get ${kind}`);
      return Promise.resolve(structuredClone(RAYCLUSTER));
    },
    list: (kind, namespace, opts) => {
      calls.push(`list ${kind} ${namespace} ${opts?.labelSelector ?? opts?.fieldSelector ?? ''}`);
      return Promise.resolve().then(() => {
        refuse(`list ${kind}`);
        return [];
      });
    },
    create: () => Promise.reject(new Error('not used')),
    mergePatch: () => Promise.reject(new Error('not used')),
    delete: (kind, namespace, name) => {
      calls.push(`delete ${kind} ${namespace}/${name}`);
      return Promise.resolve().then(() => refuse(`delete ${kind}`));
    },
    allowed: (verb, kind, namespace, name) => {
      calls.push(`allowed ${verb} ${kind} ${namespace}/${name ?? ''}`);
      return Promise.resolve(options.mayDelete ?? true);
    },
  };
  const audit: AuditRecorder = {
    record: (_req, event) => {
      audits.push(event);
      return Promise.resolve();
    },
    recordPerson: () => Promise.resolve(),
  };
  const app = express();
  app.use(express.json());
  app.use('/api', rayClusterProgressRouter({ personKube: () => Promise.resolve(kube), audit }));
  app.use(errorMiddleware);
  return { kube, calls, audits, app };
}

describe('GET /api/kubernetes/rayclusters/:namespace/:name', () => {
  it('reads the RayCluster, its Pods by label and its Events as the person, and says whether they may delete it', async () => {
    const f = fake({ mayDelete: false });
    const res = await request(f.app).get('/api/kubernetes/rayclusters/team-a/demo').expect(200);
    expect(res.body).toMatchObject({
      namespace: 'team-a',
      name: 'demo',
      clusterId: 'k8s~team-a~demo',
      ready: false,
      summary: { code: 'noHeadPod' },
      pods: [],
      events: [],
      can: { delete: false },
    });
    expect(f.calls).toEqual(
      expect.arrayContaining([
        'get RayCluster team-a/demo',
        'list Pod team-a ray.io/cluster=demo',
        'list Event team-a involvedObject.kind=RayCluster,involvedObject.name=demo',
        'allowed delete RayCluster team-a/demo',
      ]),
    );
  });

  it('without the right to list Pods and Events: the conditions, and what was refused to whom', async () => {
    const f = fake({ refuse: { 'list Pod': forbidden('list', 'pods'), 'list Event': forbidden('list', 'events') } });
    const res = await request(f.app).get('/api/kubernetes/rayclusters/team-a/demo').expect(200);
    expect(res.body.pods).toBeUndefined();
    expect(res.body.podsRefused).toMatchObject({ verb: 'list', resource: 'pods', user: 'viewer' });
    expect(res.body.podsRefused.message).toContain('viewer may not list pods in namespace team-a');
    expect(res.body.podsRefused.message).toContain('cannot list resource "pods"');
    expect(res.body.eventsRefused).toMatchObject({ verb: 'list', resource: 'events' });
    expect(res.body.conditions).toEqual([{ type: 'HeadPodReady', status: 'False', reason: 'Unknown' }]);
  });

  it.each([
    ['a namespace that is not a DNS label', '/api/kubernetes/rayclusters/Team_A/demo'],
    ['a name with a comma (it would widen the field selector)', '/api/kubernetes/rayclusters/team-a/demo,x'],
  ])('refuses %s before Kubernetes is asked', async (_what, url) => {
    const f = fake();
    const res = await request(f.app).get(url).expect(400);
    expect(res.body.error.code).toBe('validation');
    expect(f.calls).toEqual([]);
  });
});

describe('DELETE /api/kubernetes/rayclusters/:namespace/:name', () => {
  it('with the name typed wrong: 400 saying what to type, and nothing is deleted or audited', async () => {
    const f = fake();
    const res = await request(f.app)
      .delete('/api/kubernetes/rayclusters/team-a/demo')
      .send({ confirmName: 'dem' })
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'validation',
      fields: { confirmName: 'Type "demo" to delete this RayCluster.' },
      params: { name: 'demo' },
    });
    expect(f.calls).toEqual([]);
    expect(f.audits).toEqual([]);
  });

  it('without confirmName: 400 naming the field', async () => {
    const f = fake();
    const res = await request(f.app).delete('/api/kubernetes/rayclusters/team-a/demo').send({}).expect(400);
    expect(Object.keys(res.body.error.fields)).toEqual(['confirmName']);
    expect(f.calls).toEqual([]);
  });

  it('with the name typed right: deleted as the person, and audited under the cluster’s id', async () => {
    const f = fake();
    await request(f.app).delete('/api/kubernetes/rayclusters/team-a/demo').send({ confirmName: 'demo' }).expect(204);
    expect(f.calls).toEqual(['delete RayCluster team-a/demo']);
    expect(f.audits).toEqual([{ clusterId: 'k8s~team-a~demo', action: 'raycluster.delete', outcome: 'success' }]);
  });

  it('refused by the API server: its refusal is the answer, and the attempt is audited', async () => {
    const f = fake({ refuse: { 'delete RayCluster': forbidden('delete', 'rayclusters.ray.io', 'ray.io') } });
    const res = await request(f.app)
      .delete('/api/kubernetes/rayclusters/team-a/demo')
      .send({ confirmName: 'demo' })
      .expect(403);
    expect(res.body.error).toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'delete', resource: 'rayclusters.ray.io', user: 'viewer' },
    });
    expect(res.body.error.message).toContain('cannot delete resource "rayclusters"');
    expect(f.audits).toEqual([
      { clusterId: 'k8s~team-a~demo', action: 'raycluster.delete', outcome: 'failure', reason: 'kube_forbidden' },
    ]);
  });
});

describe('GET /api/kubernetes/rayclusters/:namespace/:name/yaml', () => {
  it('is the manifest kubectl apply takes, as a YAML download', async () => {
    const f = fake();
    const res = await request(f.app).get('/api/kubernetes/rayclusters/team-a/demo/yaml').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/yaml/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="demo.yaml"');
    expect(parse(res.text)).toEqual({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'demo', namespace: 'team-a' },
      spec: { rayVersion: '2.53.0', authOptions: { mode: 'token' } },
    });
  });
});

describe('without a Kubernetes identity for the person', () => {
  it('says how to get one instead of using the console’s own identity', async () => {
    const app = express();
    app.use('/api', rayClusterProgressRouter({ personKube: () => Promise.reject(kubeIdentityRequired('off')) }));
    app.use(errorMiddleware);
    const res = await request(app).get('/api/kubernetes/rayclusters/team-a/demo').expect(401);
    expect(res.body.error.code).toBe('kube_identity_required');
    expect(res.body.error.message).toContain('KUBERNETES_ACT_AS');
  });

  it('a 403 to the console’s own identity (it may not impersonate) is not taken for the person’s refusal', async () => {
    const notMine = new KubernetesError('forbidden', 'The console may not impersonate sub-alice (403).', {
      params: { verb: 'list', resource: 'pods', namespace: 'team-a', user: 'sub-alice' },
    });
    const f = fake({ refuse: { 'list Pod': notMine } });
    const res = await request(f.app).get('/api/kubernetes/rayclusters/team-a/demo');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('may not impersonate');
  });
});
