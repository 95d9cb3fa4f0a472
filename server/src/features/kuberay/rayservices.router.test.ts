import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubernetesClusterInfo, RayServiceList } from '@ray-console/shared';
import { sessionOf, testPerson } from '../../../test/support/person-session.js';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { OidcIdentity } from '../../identity/oidc-identity.js';
import { createLogger } from '../../lib/logger.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import { createSessionStore, type ClosableStore } from '../../session/session-store.js';
import type { ClusterRecord } from '../clusters/cluster-registry.js';

// Without ?namespace=, RayServices are looked for where the console discovered clusters; with per-cluster
// roles, only where the person sees one, so the answer names no namespace of a cluster hidden from them.

const SECRET = 'rayservices-router-test-secret-0123456789';
const ISSUER = 'https://idp.example.test/realms/test';
const alice = testPerson('alice', ['team-a'], ISSUER);

let dir: string;
let stores: ClosableStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rayservices-router-'));
  stores = await createSessionStore(loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir }), createLogger('silent'));
});

afterAll(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const discovered = (namespace: string): ClusterRecord => ({
  id: `k8s~${namespace}~ray`,
  displayName: `${namespace}/ray`,
  misconfigured: 'not reached in this test',
  source: 'kubernetes',
  kubernetes: {
    namespace,
    name: 'ray',
    ready: false,
    conditions: [],
    workers: { desired: 0, available: 0, ready: 0 },
    auth: { mode: 'disabled', source: 'none' },
  } satisfies KubernetesClusterInfo,
});

describe('GET /api/kubernetes/rayservices', () => {
  it('looks only in the namespaces of the discovered clusters the person has a role on', async () => {
    const file = path.join(dir, 'console.yaml');
    writeFileSync(
      file,
      stringify({ access: { discovered: { namespaces: { 'team-a': [{ role: 'viewer', groups: ['team-a'] }] } } } }),
    );
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      DATA_DIR: dir,
      RAY_CONSOLE_CONFIG: file,
      LOG_LEVEL: 'silent',
      OIDC_ISSUER_URL: ISSUER,
      OIDC_CLIENT_ID: 'ray-console',
      PUBLIC_URL: 'http://127.0.0.1',
    });
    const asked: string[] = [];
    const kube = {
      user: alice.subject,
      list: (_kind: string, namespace: string) => {
        asked.push(namespace);
        return Promise.resolve([]);
      },
    } as unknown as PersonKube;
    const app = createApp({
      config,
      secrets: [SECRET],
      store: stores.store,
      audit: stores.audit,
      logger: createLogger('silent'),
      // The door to the provider, never started: the person is written into the session.
      identity: new OidcIdentity(config.oidc!, createLogger('silent')),
      clusterSources: [{ list: () => [discovered('team-b'), discovered('team-a')] }],
      personKubeOf: () => Promise.resolve(kube),
    });
    const res = await request(app)
      .get('/api/kubernetes/rayservices')
      .set('Cookie', await sessionOf(stores.store, SECRET, alice))
      .expect(200);
    expect(res.body as RayServiceList).toEqual({ items: [], namespaces: ['team-a'], problems: [] });
    expect(asked).toEqual(['team-a']);

    const bad = await request(app)
      .get('/api/kubernetes/rayservices?namespace=Team_A')
      .set('Cookie', await sessionOf(stores.store, SECRET, alice))
      .expect(400);
    expect(bad.body.error.fields.namespace).toMatch(/Kubernetes namespace name/);
  });
});
