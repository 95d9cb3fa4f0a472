import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  AuditPage,
  JobList,
  LoginResponse,
  RayServiceList,
  RayServiceView,
  RayServiceYaml,
  SignInOptions,
} from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import type { RunningBff } from '../support/bff.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { testPerson } from '../support/person-session.js';
import { waitFor } from '../support/wait.js';
import { writeConsoleConfig } from './support/console.js';
import { apiPath, Kube, kubeContext, sampleObjects, type KubeObject } from './support/kube.js';
import { KubeRay, type RayClusterJson } from './support/kuberay.js';
import { startImpersonatingConsole, type ImpersonatingConsole } from './support/person-console.js';

// "Sign in as me" and RayServices against the real API server and the real KubeRay operator, with the
// console impersonating OIDC people (alice may get the token Secret, bob may not). The RayCluster's head
// is the run's real Ray head, through the per-cluster URL override, and its Secret holds that head's token.

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);
const CLUSTER = 'ray-cluster-with-auth';
const alice = testPerson('alice', ['team-a']);
const bob = testPerson('bob', ['team-b']);

let ns: string;
let id: string;
let running: ImpersonatingConsole;
let bobClient: BffClient;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const tokenInSecret = async () =>
  Buffer.from(
    (await kube.get<{ data: { auth_token: string } }>('Secret', ns, CLUSTER)).body.data.auth_token,
    'base64',
  ).toString();
const clusterPath = () => `/api/clusters/${encodeURIComponent(id)}`;

beforeAll(async () => {
  ns = await kube.createNamespace('signin');
  id = `k8s~${ns}~${CLUSTER}`;
  const [sample] = sampleObjects('ray-cluster.auth.yaml', ns) as [RayClusterJson];
  await kuberay.createCluster(sample);
  // alice (Impersonate-User sub-alice) may get this one Secret and read RayServices here; bob nothing.
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'ray-user', namespace: ns },
    rules: [
      { apiGroups: [''], resources: ['secrets'], resourceNames: [CLUSTER], verbs: ['get'] },
      { apiGroups: ['ray.io'], resources: ['rayservices'], verbs: ['get', 'list'] },
    ],
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ray-user', namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ray-user' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: alice.subject }],
  });
  running = await startImpersonatingConsole(ctx, {
    KUBERNETES_DISCOVERY: 'true',
    KUBERNETES_NAMESPACES: ns,
    KUBERNETES_REFRESH_SECONDS: '1',
    RAY_CONSOLE_CONFIG: writeConsoleConfig({
      kubernetes: { dashboardUrls: { [`${ns}/${CLUSTER}`]: head.dashboardUrl } },
    }),
  });
  running.client.cookies.set(...(await running.signInPerson(alice)));
  bobClient = new BffClient(running.url);
  bobClient.cookies.set(...(await running.signInPerson(bob)));
});

afterAll(async () => {
  await running?.close();
});

describe('the operator and a token written into its Secret', () => {
  it('keeps the token an admin wrote into the Secret it generated, through later reconciles', async () => {
    const generated = await tokenInSecret();
    if (ctx.operator) expect(generated).toMatch(/^[A-Za-z0-9+/]{43}=$/); // 32 random bytes, standard base64
    await kube.ok(
      'PATCH',
      apiPath('Secret', ns, CLUSTER),
      JSON.stringify({ data: { auth_token: b64(head.token) } }),
      'application/merge-patch+json',
    );
    if (ctx.operator) {
      // A spec change the operator must reconcile (and shows it did, in the status) after the Secret changed.
      await kube.ok(
        'PATCH',
        apiPath('RayCluster', ns, CLUSTER),
        JSON.stringify([{ op: 'replace', path: '/spec/workerGroupSpecs/0/replicas', value: 2 }]),
        'application/json-patch+json',
      );
      await waitFor('the operator to reconcile the changed RayCluster', async () => {
        const rc = await kube.get<{ status?: { desiredWorkerReplicas?: number } }>('RayCluster', ns, CLUSTER);
        return rc.body.status?.desiredWorkerReplicas === 2;
      });
    }
    expect(await tokenInSecret()).toBe(head.token);
  });
});

describe('Sign in as me', () => {
  it('signs in a person who may get the Secret, as that person, and the token is in no answer or log line', async () => {
    await running.waitForDiscovery(
      'the cluster, answered by the real head',
      (_s, l) => l.find((c) => c.id === id)?.authMode === 'token',
    );
    const options = await running.client.get(`${clusterPath()}/sign-in/options`);
    expect(options.status, options.text).toBe(200);
    expect(options.json<SignInOptions>()).toEqual({ kubernetesSecret: true, kubernetesUser: alice.subject });

    const signIn = await running.client.post(`${clusterPath()}/sign-in/kubernetes-secret`);
    expect(signIn.status, signIn.text).toBe(200);
    expect(signIn.json<LoginResponse>()).toEqual({ id, rayVersion: head.version, authMode: 'token' });
    expect((await running.clusters()).find((c) => c.id === id)?.signedIn).toBe(true);
    const jobs = await running.client.get(`${clusterPath()}/jobs`);
    expect(jobs.status, jobs.text).toBe(200);
    expect(jobs.json<JobList>().items).toBeInstanceOf(Array);

    const audit = await running.client.get(`${clusterPath()}/audit`);
    expect(audit.json<AuditPage>().events[0]).toMatchObject({
      action: 'sign-in',
      outcome: 'success',
      tokenSource: 'kubernetes-secret',
      kubernetesUser: alice.subject,
      person: { subject: alice.subject, name: 'alice' },
    });
    expectNoSecrets({ logs: running.logs } as RunningBff, [running.client, bobClient], [head.token]);
  });

  it('refuses a person who may not get the Secret with the verb, resource and user, and does not offer it', async () => {
    const options = await bobClient.get(`${clusterPath()}/sign-in/options`);
    expect(options.json<SignInOptions>()).toEqual({
      kubernetesSecret: false,
      reason: 'not_permitted',
      kubernetesUser: bob.subject,
    });
    const signIn = await bobClient.post(`${clusterPath()}/sign-in/kubernetes-secret`);
    expect(signIn.status, signIn.text).toBe(403);
    const { error } = signIn.json<{ error: { code: string; message: string; params: Record<string, string> } }>();
    expect(error.code).toBe('kube_forbidden');
    expect(error.params).toMatchObject({ verb: 'get', resource: 'secrets', namespace: ns, user: bob.subject });
    expect(error.message).toContain(`${bob.subject} may not get secrets`);
    const list = await bobClient.get('/api/clusters');
    expect(list.json<{ id: string; signedIn: boolean }[]>().find((c) => c.id === id)?.signedIn).toBe(false);
    expectNoSecrets({ logs: running.logs } as RunningBff, [running.client, bobClient], [head.token]);
  });
});

describe('RayServices, read as the person', () => {
  const rayService = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name, namespace: ns },
    spec: {
      ...extra,
      serveConfigV2: 'applications:\n  - name: fruit_app\n    import_path: fruit.deployment_graph\n',
      rayClusterConfig: {
        rayVersion: '2.52.0',
        headGroupSpec: {
          rayStartParams: {},
          template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
        },
      },
    },
  });

  it('lists a RayService with the cluster the operator made for it, and shows applications as the operator reports them', async () => {
    await kube.create(rayService('fruit'));
    // With no kubelet the operator's cluster never gets a running head: it stays the pending cluster.
    const pending = await waitFor('the operator to create the RayService cluster', async () => {
      if (!ctx.operator) return emulatePendingCluster('fruit');
      const rs = await kube.get<{ status?: { pendingServiceStatus?: { rayClusterName?: string } } }>(
        'RayService',
        ns,
        'fruit',
      );
      const name = rs.body.status?.pendingServiceStatus?.rayClusterName;
      return name && (await kube.get('RayCluster', ns, name)).status === 200 ? name : undefined;
    });
    expect(pending).toMatch(/^fruit-[a-z0-9]{5}$/);

    const list = await running.client.get(`/api/kubernetes/rayservices?namespace=${ns}`);
    expect(list.status, list.text).toBe(200);
    const fruit = list.json<RayServiceList>().items.find((s) => s.name === 'fruit');
    expect(fruit).toMatchObject({
      namespace: ns,
      ready: false,
      upgradeInProgress: false,
      pending: { name: pending, clusterId: `k8s~${ns}~${pending}` },
    });
    expect(fruit?.active).toBeUndefined();
    expect(fruit?.conditions).toEqual(
      expect.arrayContaining([
        { type: 'Ready', status: 'False', reason: 'Initializing', message: 'RayService is initializing' },
        { type: 'UpgradeInProgress', status: 'False', reason: 'Initializing', message: 'RayService is initializing' },
      ]),
    );
    // Without ?namespace=: the namespaces the console discovered clusters in.
    const discovered = await running.client.get('/api/kubernetes/rayservices');
    expect(discovered.json<RayServiceList>().namespaces).toEqual([ns]);

    // The operator leaves a RayService managed by MultiKueue alone, so the status written here (as the
    // operator writes it once Serve runs, which needs a running head) stays as written.
    await kube.create(rayService('served', { managedBy: 'kueue.x-k8s.io/multikueue' }));
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await kube.patchStatus('RayService', ns, 'served', {
      serviceStatus: 'Running',
      numServeEndpoints: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'NonZeroServeEndpoints',
          message: 'Number of serve endpoints is greater than 0',
          lastTransitionTime: now,
        },
        {
          type: 'UpgradeInProgress',
          status: 'False',
          reason: 'NoPendingCluster',
          message: 'Active Ray cluster exists and no pending Ray cluster',
          lastTransitionTime: now,
        },
      ],
      activeServiceStatus: {
        rayClusterName: CLUSTER,
        applicationStatuses: {
          fruit_app: {
            status: 'DEPLOY_FAILED',
            message: 'Deploying app fruit_app failed.',
            serveDeploymentStatuses: {
              FruitMarket: { status: 'UNHEALTHY', message: 'The deployment failed to start 3 times in a row.' },
              MangoStand: { status: 'HEALTHY' },
            },
          },
        },
      },
    });
    const detail = await running.client.get(`/api/kubernetes/rayservices/${ns}/served`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json<RayServiceView>()).toMatchObject({
      ready: true,
      upgradeInProgress: false,
      serviceStatus: 'Running',
      active: {
        name: CLUSTER,
        clusterId: id,
        applications: [
          {
            name: 'fruit_app',
            status: 'DEPLOY_FAILED',
            message: 'Deploying app fruit_app failed.',
            deployments: [
              { name: 'FruitMarket', status: 'UNHEALTHY', message: 'The deployment failed to start 3 times in a row.' },
              { name: 'MangoStand', status: 'HEALTHY' },
            ],
          },
        ],
      },
    });
    const yaml = await running.client.get(`/api/kubernetes/rayservices/${ns}/served/yaml`);
    const manifest = yaml.json<RayServiceYaml>().yaml;
    expect(manifest).toContain('kind: RayService\n');
    expect(manifest).toContain('managedBy: kueue.x-k8s.io/multikueue');
    expect(manifest).not.toMatch(/^status:|uid:|resourceVersion:/m);

    const refused = await bobClient.get(`/api/kubernetes/rayservices?namespace=${ns}`);
    expect(refused.status).toBe(403);
    expect(refused.json<{ error: { code: string; params: Record<string, string> } }>().error).toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'list', user: bob.subject },
    });
  });
});

/** Without the operator binary: what it does for a new RayService (a cluster `<name>-<5 chars>`, named as pending). */
async function emulatePendingCluster(service: string): Promise<string> {
  const rs = await kube.get<KubeObject>('RayService', ns, service);
  const name = `${service}-abcde`;
  await kube.create({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: {
      name,
      namespace: ns,
      ownerReferences: [
        { apiVersion: 'ray.io/v1', kind: 'RayService', name: service, uid: rs.body.metadata.uid, controller: true },
      ],
    },
    spec: (rs.body.spec as { rayClusterConfig: unknown }).rayClusterConfig,
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const initializing = { status: 'False', reason: 'Initializing', message: 'RayService is initializing' };
  await kube.patchStatus('RayService', ns, service, {
    pendingServiceStatus: { rayClusterName: name },
    conditions: [
      { type: 'Ready', ...initializing, lastTransitionTime: now },
      { type: 'UpgradeInProgress', ...initializing, lastTransitionTime: now },
    ],
  });
  return name;
}
