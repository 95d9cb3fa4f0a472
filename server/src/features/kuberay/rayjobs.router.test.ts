import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { RayJobDetail, RayJobList } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import type { AuditRecord, AuditRecorder } from '../../lib/audit.js';
import { errorMiddleware } from '../../lib/error-middleware.js';
import type { PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';
import { kubeIdentityRequired } from '../../kubernetes/person-kube-of.js';
import { rayJobsRouter } from './rayjobs.router.js';

// The routes against a fake PersonKube (unit tests only; server/test/kubernetes/rayjobs.test.ts runs them
// against the real API server and the real operator).

const rayJob = (namespace: string, name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: { name, namespace, uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-11-30T22:00:00Z' },
  spec: { entrypoint: 'python x.py', shutdownAfterJobFinishes: true, rayClusterSpec: { rayVersion: '2.52.0' } },
  status: { jobDeploymentStatus: 'Initializing', rayClusterName: `${name}-abcde`, jobId: `${name}-fghij` },
  ...extra,
});

function fakeKube(options: { refuse?: string; pruneAuthOptions?: boolean } = {}) {
  const objects = new Map<string, ReturnType<typeof rayJob>>([
    ['a/one', rayJob('a', 'one')],
    ['b/two', rayJob('b', 'two')],
  ]);
  const calls: string[] = [];
  const refuse = (verb: string) => {
    if (options.refuse === verb)
      throw new AppError('kube_forbidden', `viewer may not ${verb} rayjobs.ray.io "one" in namespace a.`, undefined, {
        params: { verb, resource: 'rayjobs.ray.io', namespace: 'a', name: 'one', user: 'viewer' },
      });
  };
  const kube: PersonKube = {
    mode: 'kubeconfig',
    user: 'viewer',
    groups: [],
    get: (_kind: PersonKubeKind, ns: string, name: string) => {
      calls.push(`get ${ns}/${name}`);
      const o = objects.get(`${ns}/${name}`);
      if (!o) return Promise.reject(new AppError('not_found', 'no such RayJob'));
      return Promise.resolve(structuredClone(o));
    },
    list: (_kind: PersonKubeKind, ns: string) => {
      calls.push(`list ${ns}`);
      return Promise.resolve([...objects.values()].filter((o) => o.metadata.namespace === ns));
    },
    create: (_kind: PersonKubeKind, ns: string, body: object, opts?: { dryRun?: boolean }) => {
      const o = body as ReturnType<typeof rayJob>;
      calls.push(`create ${ns}/${o.metadata.name}${opts?.dryRun ? ' dry' : ''}`);
      refuse('create');
      // An old CRD prunes authOptions from what it stores (KubeRay before 1.5.1).
      const stored = structuredClone(o) as ReturnType<typeof rayJob> & {
        spec: { rayClusterSpec: { authOptions?: unknown } };
      };
      if (options.pruneAuthOptions) delete stored.spec.rayClusterSpec.authOptions;
      if (!opts?.dryRun) objects.set(`${ns}/${o.metadata.name}`, stored);
      return Promise.resolve(stored);
    },
    mergePatch: (_kind: PersonKubeKind, ns: string, name: string, patch: object) => {
      calls.push(`patch ${ns}/${name} ${JSON.stringify(patch)}`);
      refuse('patch');
      const o = objects.get(`${ns}/${name}`)!;
      o.spec = { ...o.spec, ...(patch as { spec: object }).spec };
      return Promise.resolve(structuredClone(o));
    },
    delete: (_kind: PersonKubeKind, ns: string, name: string) => {
      calls.push(`delete ${ns}/${name}`);
      refuse('delete');
      objects.delete(`${ns}/${name}`);
      return Promise.resolve();
    },
    allowed: (verb: string) => Promise.resolve(verb === 'patch'),
  };
  return { kube, calls, objects };
}

function appWith(kube: PersonKube | undefined, known: string[] = []) {
  const events: AuditRecord[] = [];
  const audit: AuditRecorder = {
    record: (_req, event) => {
      events.push(event);
      return Promise.resolve();
    },
    recordPerson: () => Promise.resolve(),
  };
  const app = express();
  app.use(express.json());
  app.use(
    '/api',
    rayJobsRouter({
      personKube: kube ? () => Promise.resolve(kube) : () => Promise.reject(kubeIdentityRequired('off')),
      isKnownCluster: (id) => known.includes(id),
      namespaces: ['a', 'b'],
      audit,
    }),
  );
  app.use(errorMiddleware);
  return { app, events };
}

describe('the RayJob routes', () => {
  it('lists the namespace asked for, or every namespace discovery searches', async () => {
    const { kube, calls } = fakeKube();
    const { app } = appWith(kube);
    const one = await request(app).get('/api/kubernetes/rayjobs?namespace=b').expect(200);
    expect(RayJobList.parse(one.body).items.map((j) => j.name)).toEqual(['two']);
    const all = await request(app).get('/api/kubernetes/rayjobs').expect(200);
    expect(RayJobList.parse(all.body)).toMatchObject({ namespaces: ['a', 'b'] });
    expect(all.body.items).toHaveLength(2);
    expect(calls).toEqual(['list b', 'list a', 'list b']);
  });

  it('refuses a namespace or name Kubernetes would not accept, before asking the API server', async () => {
    const { kube, calls } = fakeKube();
    const { app } = appWith(kube);
    const bad = await request(app).get('/api/kubernetes/rayjobs?namespace=Team_A').expect(400);
    expect(bad.body.error.fields).toHaveProperty('namespace');
    await request(app).get('/api/kubernetes/rayjobs/a/..%2Fsecrets').expect(400);
    expect(calls).toEqual([]);
  });

  it('gives the details with what the person may do, and links the Ray job when discovery lists its cluster', async () => {
    const { kube } = fakeKube();
    const { app } = appWith(kube, ['k8s~a~one-abcde']);
    const res = await request(app).get('/api/kubernetes/rayjobs/a/one').expect(200);
    expect(RayJobDetail.parse(res.body)).toMatchObject({
      name: 'one',
      clusterId: 'k8s~a~one-abcde',
      jobId: 'one-fghij',
      permissions: { patch: true, delete: false },
    });
  });

  it('suspends and resumes with a merge patch of spec.suspend, recorded in the trail of the cluster it made', async () => {
    const { kube, calls } = fakeKube();
    const { app, events } = appWith(kube);
    const res = await request(app).patch('/api/kubernetes/rayjobs/a/one').send({ suspend: true }).expect(200);
    expect(res.body.suspend).toBe(true);
    await request(app).patch('/api/kubernetes/rayjobs/a/one').send({ suspend: false }).expect(200);
    expect(calls.filter((c) => c.startsWith('patch'))).toEqual([
      'patch a/one {"spec":{"suspend":true}}',
      'patch a/one {"spec":{"suspend":false}}',
    ]);
    expect(events).toEqual([
      {
        clusterId: 'k8s~a~one-abcde',
        action: 'rayjob.suspend',
        outcome: 'success',
        kubeUser: 'viewer',
        jobId: 'one-fghij',
      },
      {
        clusterId: 'k8s~a~one-abcde',
        action: 'rayjob.resume',
        outcome: 'success',
        kubeUser: 'viewer',
        jobId: 'one-fghij',
      },
    ]);
    await request(app).patch('/api/kubernetes/rayjobs/a/one').send({ suspend: 'yes' }).expect(400);
    await request(app).patch('/api/kubernetes/rayjobs/a/one').send({ suspend: true, replicas: 3 }).expect(400);
  });

  it('passes the refusal on as it is, and records the failure', async () => {
    const { kube } = fakeKube({ refuse: 'delete' });
    const { app, events } = appWith(kube);
    const res = await request(app).delete('/api/kubernetes/rayjobs/a/one').expect(403);
    expect(res.body.error.params).toMatchObject({ verb: 'delete', resource: 'rayjobs.ray.io', user: 'viewer' });
    expect(events).toEqual([
      {
        clusterId: 'k8s~a~one-abcde',
        action: 'rayjob.delete',
        outcome: 'failure',
        reason: 'kube_forbidden',
        kubeUser: 'viewer',
        jobId: 'one-fghij',
      },
    ]);
  });

  it('deletes, and exports the YAML kubectl apply takes (no status, no server bookkeeping)', async () => {
    const { kube, objects } = fakeKube();
    const { app } = appWith(kube);
    const yaml = await request(app).get('/api/kubernetes/rayjobs/a/one/yaml').expect(200);
    expect(yaml.body.yaml).toContain('kind: RayJob');
    expect(yaml.body.yaml).not.toMatch(/status:|resourceVersion|uid:/);
    await request(app).delete('/api/kubernetes/rayjobs/a/one').expect(200, { deleted: true });
    expect(objects.has('a/one')).toBe(false);
  });

  it('says how to get a Kubernetes identity when the person has none', async () => {
    const { app } = appWith(undefined);
    const res = await request(app).get('/api/kubernetes/rayjobs').expect(401);
    expect(res.body.error.code).toBe('kube_identity_required');
  });

  const form = {
    name: 'train',
    namespace: 'a',
    entrypoint: 'python train.py',
    runtimeEnv: { pip: ['requests'] },
    metadata: { team: 'ml' },
    cluster: {
      rayVersion: '2.53.0',
      image: '',
      head: { cpu: '1', memory: '4Gi' },
      worker: { cpu: '1', memory: '4Gi', scaling: { mode: 'fixed', replicas: 1 } },
      auth: 'authOptions',
    },
    shutdownAfterJobFinishes: true,
    ttlSecondsAfterFinished: 60,
    backoffLimit: 2,
    activeDeadlineSeconds: 3600,
  };

  it('previews the RayJob a form stands for, with token auth on its cluster', async () => {
    const { kube, calls } = fakeKube();
    const { app } = appWith(kube);
    const res = await request(app).post('/api/kubernetes/rayjobs/preview').send({ form }).expect(200);
    expect(res.body.yaml).toMatch(/kind: RayJob/);
    expect(res.body.yaml).toMatch(/rayClusterSpec:\n\s+rayVersion: 2\.53\.0\n\s+authOptions:\n\s+mode: token/);
    expect(calls).toEqual([]);
  });

  it('dry-runs without storing, creates after a dry run, and records only the create', async () => {
    const { kube, calls, objects } = fakeKube();
    const { app, events } = appWith(kube);
    const dry = await request(app).post('/api/kubernetes/rayjobs').send({ form, dryRun: true }).expect(200);
    expect(dry.body).toEqual({ namespace: 'a', name: 'train', dryRun: true, user: 'viewer' });
    expect(objects.has('a/train')).toBe(false);
    await request(app).post('/api/kubernetes/rayjobs').send({ form, dryRun: false }).expect(201);
    expect(calls).toEqual(['create a/train dry', 'create a/train dry', 'create a/train']);
    expect(objects.get('a/train')?.spec).toMatchObject({ backoffLimit: 2, ttlSecondsAfterFinished: 60 });
    expect(events).toEqual([
      { clusterId: 'k8s~a~train', action: 'rayjob.create', outcome: 'success', kubeUser: 'viewer' },
    ]);
  });

  it("creates nothing when the operator's CRD would drop authOptions (the cluster would run without a token)", async () => {
    const { kube, calls } = fakeKube({ pruneAuthOptions: true });
    const { app } = appWith(kube);
    const res = await request(app).post('/api/kubernetes/rayjobs').send({ form, dryRun: false }).expect(400);
    expect(res.body.error.fields).toHaveProperty(['form.cluster.auth']);
    expect(calls).toEqual(['create a/train dry']);
  });

  it('refuses a form KubeRay would refuse later, on the field to change, before asking the API server', async () => {
    const { kube, calls } = fakeKube();
    const { app } = appWith(kube);
    const res = await request(app)
      .post('/api/kubernetes/rayjobs')
      .send({
        form: {
          ...form,
          name: 'x'.repeat(48),
          shutdownAfterJobFinishes: false,
          cluster: { ...form.cluster, auth: 'secret-env' },
        },
        dryRun: true,
      })
      .expect(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual([
      'form.cluster.auth',
      'form.name',
      'form.ttlSecondsAfterFinished',
    ]);
    expect(calls).toEqual([]);
  });

  it('takes edited YAML: one RayJob on a new cluster with token auth', async () => {
    const { kube, objects } = fakeKube();
    const { app } = appWith(kube);
    const preview = await request(app).post('/api/kubernetes/rayjobs/preview').send({ form }).expect(200);
    const edited = (preview.body.yaml as string).replace('python train.py', 'python other.py');
    await request(app).post('/api/kubernetes/rayjobs').send({ yaml: edited, dryRun: false }).expect(201);
    expect(objects.get('a/train')?.spec.entrypoint).toBe('python other.py');

    const noToken = edited.replace(/\n\s+authOptions:\n\s+mode: token/, '');
    const refused = await request(app)
      .post('/api/kubernetes/rayjobs')
      .send({ yaml: noToken, dryRun: true })
      .expect(400);
    expect(refused.body.error.fields).toHaveProperty(['spec.rayClusterSpec.authOptions']);
    const two = await request(app)
      .post('/api/kubernetes/rayjobs')
      .send({ yaml: `${edited}\n---\n${edited}`, dryRun: true })
      .expect(400);
    expect(two.body.error.fields.yaml).toMatch(/2 documents/);
  });
});
