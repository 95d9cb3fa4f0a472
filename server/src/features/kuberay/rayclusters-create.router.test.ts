import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { RAYCLUSTER_FORM_DEFAULTS } from '@ray-console/shared';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../lib/logger.js';
import { createSessionStore } from '../../session/session-store.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';

// The routes through createApp(), with a PersonKube that stands in for the API server (the real one is
// in server/test/kubernetes/raycluster-create.test.ts).

const SECRET = 'rc-create-test-secret-0123456789abcdef';
const opened: { close(): Promise<void>; dir: string }[] = [];

afterEach(async () => {
  for (const { close, dir } of opened.splice(0)) {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function fakePersonKube(sent: { kind: string; body: Record<string, unknown>; dryRun: boolean }[]): PersonKube {
  return {
    mode: 'kubeconfig',
    user: 'alice',
    groups: [],
    get: () => Promise.reject(new Error('unused')),
    list: () => Promise.resolve([]),
    create: (kind, _ns, body, options) => {
      sent.push({ kind, body: body as Record<string, unknown>, dryRun: options?.dryRun ?? false });
      return Promise.resolve({
        ...(body as object),
        metadata: { ...(body as { metadata: object }).metadata, uid: 'u1' },
      });
    },
    mergePatch: () => Promise.reject(new Error('unused')),
    delete: () => Promise.resolve(),
    allowed: () => Promise.resolve(true),
  };
}

async function appWith(personKube?: PersonKube) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-create-test-'));
  const config = loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir, LOG_LEVEL: 'silent', KUBERNETES_ACT_AS: 'off' });
  const logger = createLogger('silent');
  const { store, audit, close } = await createSessionStore(config, logger);
  opened.push({ close, dir });
  const app = createApp({
    config,
    secrets: [SECRET],
    store,
    audit,
    logger,
    ...(personKube ? { personKubeOf: () => Promise.resolve(personKube) } : {}),
  });
  const agent = request.agent(app);
  const csrf = ((await agent.get('/api/session').expect(200)).body as { csrfToken: string }).csrfToken;
  return { agent, csrf };
}

const form = { ...RAYCLUSTER_FORM_DEFAULTS, name: 'demo', namespace: 'team-a', auth: 'secret-env' };

describe('POST /api/kubernetes/rayclusters', () => {
  it('creates as the person, answers 201 without the token it made, and keeps CSRF protection', async () => {
    const sent: { kind: string; body: Record<string, unknown>; dryRun: boolean }[] = [];
    const { agent, csrf } = await appWith(fakePersonKube(sent));
    await agent.post('/api/kubernetes/rayclusters').send({ form, dryRun: false }).expect(403);
    expect(sent).toEqual([]);

    const res = await agent
      .post('/api/kubernetes/rayclusters')
      .set('X-CSRF-Token', csrf)
      .send({ form, dryRun: false })
      .expect(201);
    expect(res.body).toEqual({
      namespace: 'team-a',
      name: 'demo',
      clusterId: 'k8s~team-a~demo',
      dryRun: false,
      user: 'alice',
      tokenSecret: { name: 'demo', created: true },
    });
    const token = (sent[1]!.body.stringData as { auth_token: string }).auth_token;
    expect(token).toHaveLength(43);
    expect(res.text).not.toContain(token);
  });

  it('answers 400 with the form fields to change, before asking Kubernetes', async () => {
    const sent: { kind: string; body: Record<string, unknown>; dryRun: boolean }[] = [];
    const { agent, csrf } = await appWith(fakePersonKube(sent));
    const res = await agent
      .post('/api/kubernetes/rayclusters')
      .set('X-CSRF-Token', csrf)
      .send({ form: { ...form, rayVersion: '2.9.0', head: { cpu: '0', memory: '4Gi' } }, dryRun: true })
      .expect(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['form.head.cpu', 'form.rayVersion']);
    const both = await agent
      .post('/api/kubernetes/rayclusters')
      .set('X-CSRF-Token', csrf)
      .send({ form, yaml: 'kind: RayCluster', dryRun: true })
      .expect(400);
    expect(both.body.error.message).toMatch(/either the form or the YAML/);
    const huge = await agent
      .post('/api/kubernetes/rayclusters')
      .set('X-CSRF-Token', csrf)
      .send({ yaml: 'x'.repeat(64 * 1024 + 1), dryRun: true })
      .expect(400);
    expect(huge.body.error.fields.yaml).toMatch(/larger than 64 KB/);
    expect(sent).toEqual([]);
  });

  it('says how to get a Kubernetes identity when the console has none', async () => {
    const { agent, csrf } = await appWith();
    const res = await agent
      .post('/api/kubernetes/rayclusters')
      .set('X-CSRF-Token', csrf)
      .send({ form, dryRun: true })
      .expect(401);
    expect(res.body.error.code).toBe('kube_identity_required');
  });
});

describe('POST /api/kubernetes/rayclusters/preview', () => {
  it('answers the YAML, with the Secret token left as a placeholder', async () => {
    const { agent, csrf } = await appWith();
    const res = await agent
      .post('/api/kubernetes/rayclusters/preview')
      .set('X-CSRF-Token', csrf)
      .send({ form })
      .expect(200);
    expect(res.body.yaml).toContain('kind: RayCluster');
    expect(res.body.secret.yaml).toContain('auth_token: <generated by the console when the cluster is created>');
  });
});
