import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { KubernetesError, type KubernetesClient } from '../../kubernetes/kube-client.js';
import { RayClusterObject, ServiceObject } from '../../kubernetes/kube-objects.js';
import type { RayEndpoint } from '../../ray/ray-dashboard-client.js';
import { KubernetesDiscovery, type DiscoveryOptions } from './kubernetes-discovery.js';

const SECRET = 'discovery-test-secret-0123456789abcdef';
const silent = pino({ level: 'silent' });

function rayCluster(namespace: string, name: string, extra: Record<string, unknown> = {}): RayClusterObject {
  return RayClusterObject.parse({ metadata: { name, namespace }, spec: { authOptions: { mode: 'token' } }, ...extra });
}

/** Stands in for the API server: answers from `state`, or fails with `fail`. */
class FakeKubernetes implements KubernetesClient {
  readonly server = 'https://127.0.0.1:6443';
  clusters: RayClusterObject[] = [];
  services: ServiceObject[] = [];
  fail: KubernetesError | undefined;
  failIn = new Set<string>();

  private check(namespace: string | undefined) {
    if (this.fail && (this.failIn.size === 0 || this.failIn.has(namespace ?? ''))) throw this.fail;
  }

  listRayClusters(namespace: string | undefined) {
    this.check(namespace);
    return Promise.resolve({
      items: this.clusters.filter((c) => !namespace || c.metadata.namespace === namespace),
      skipped: 0,
    });
  }

  listHeadServices(namespace: string | undefined) {
    this.check(namespace);
    return Promise.resolve(this.services.filter((s) => !namespace || s.metadata.namespace === namespace));
  }

  serviceProxyEndpoint(namespace: string, service: string, port: string): RayEndpoint {
    return {
      baseUrl: `${this.server}/api/v1/namespaces/${namespace}/services/${service}:${port}/proxy`,
      tokenHeader: 'x-ray-authorization',
      headers: () => ({ authorization: 'Bearer kube-credential' }),
    };
  }
}

function discovery(fake: FakeKubernetes, options: Partial<DiscoveryOptions> = {}) {
  return new KubernetesDiscovery(
    fake,
    { namespaces: [], connect: 'proxy', refreshMs: 60_000, dashboardUrls: {}, ...options },
    silent,
  );
}

const forbidden = () =>
  new KubernetesError('forbidden', 'The console is not permitted to list RayClusters (ray.io/v1) in all namespaces.');
const unreachable = () =>
  new KubernetesError('unreachable', 'The Kubernetes API server cannot be reached (connection refused).');

describe('KubernetesDiscovery', () => {
  it('says "starting" before its first round and "ok" with the clusters after it', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('b', 'two'), rayCluster('a', 'one')];
    const d = discovery(fake);
    expect(d.status().state).toBe('starting');
    await d.refresh();
    expect(d.status()).toMatchObject({ state: 'ok', clusterCount: 2, connect: 'proxy', namespaces: [] });
    expect(d.status().lastSuccessAt).toBeDefined();
    expect(d.list().map((c) => c.id)).toEqual(['k8s~a~one', 'k8s~b~two']);
    expect(d.list()[0]).toMatchObject({
      displayName: 'a/one',
      source: 'kubernetes',
      tokenHint: { kind: 'kubernetes-secret' },
    });
  });

  it('goes through the service proxy by port name, with the Ray token in X-Ray-Authorization', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one', { status: { head: { serviceName: 'one-head-svc' } } })];
    fake.services = [
      ServiceObject.parse({
        metadata: { name: 'one-head-svc', namespace: 'a' },
        spec: { ports: [{ name: 'dashboard', port: 8265 }] },
      }),
    ];
    const d = discovery(fake);
    await d.refresh();
    const [record] = d.list();
    expect(record?.endpoint?.baseUrl).toBe(
      'https://127.0.0.1:6443/api/v1/namespaces/a/services/one-head-svc:dashboard/proxy',
    );
    expect(record?.endpoint?.tokenHeader).toBe('x-ray-authorization');
    expect(record?.kubernetes?.connection?.via).toBe('proxy');
    // What a user's own `ray job submit --address` would use from inside the cluster, whatever the console uses.
    expect(record?.dashboardAddress).toEqual({ url: 'http://one-head-svc.a.svc:8265', inClusterOnly: true });
  });

  it('in service mode uses <service>.<namespace>.svc and the port named dashboard', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one')];
    fake.services = [
      ServiceObject.parse({
        metadata: { name: 'one-head-svc', namespace: 'a', labels: { 'ray.io/cluster': 'one' } },
        spec: {
          ports: [
            { name: 'client', port: 10001 },
            { name: 'dashboard', port: 18265 },
          ],
        },
      }),
    ];
    const d = discovery(fake, { connect: 'service' });
    await d.refresh();
    expect(d.list()[0]?.endpoint).toEqual({ baseUrl: 'http://one-head-svc.a.svc:18265', tokenHeader: 'authorization' });
  });

  it.each([
    ['evil:80/#', 'status.head.serviceName'],
    ['evil:80/x?', 'status.head.serviceName'],
    ['a%2Fb', 'status.head.serviceName'],
    ['u@evil', 'status.head.serviceName'],
    ['127.0.0.1', 'status.head.serviceName'],
    ['Upper', 'status.head.serviceName'],
    ['a'.repeat(64), 'status.head.serviceName'],
    ['evil:80/#', 'spec.headGroupSpec.headService.metadata.name'],
  ])('lists a cluster whose head Service name is %j (from %s) as misconfigured, with no address', async (bad, from) => {
    const fake = new FakeKubernetes();
    const extra =
      from === 'status.head.serviceName'
        ? { status: { head: { serviceName: bad } } }
        : { spec: { authOptions: { mode: 'token' }, headGroupSpec: { headService: { metadata: { name: bad } } } } };
    fake.clusters = [rayCluster('a', 'one', extra)];
    for (const connect of ['service', 'proxy'] as const) {
      const d = discovery(fake, { connect });
      await d.refresh();
      const [record] = d.list();
      expect(record?.endpoint).toBeUndefined();
      expect(record?.dashboardAddress).toBeUndefined();
      expect(record?.kubernetes?.connection).toBeUndefined();
      expect(record?.misconfigured).toContain('The head Service name');
      expect(record?.misconfigured).toContain(`(from ${from})`);
      expect(record?.misconfigured).toContain('kubernetes.dashboardUrls["a/one"]');
    }
  });

  it('a misconfigured name does not matter when the configuration gives the cluster its URL', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one', { status: { head: { serviceName: 'evil:80/#' } } })];
    const d = discovery(fake, { connect: 'service', dashboardUrls: { 'a/one': 'http://127.0.0.1:9999' } });
    await d.refresh();
    expect(d.list()[0]?.misconfigured).toBeUndefined();
    expect(d.list()[0]?.endpoint?.baseUrl).toBe('http://127.0.0.1:9999');
  });

  it('takes a dashboard port only when it is a port number', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one')];
    fake.services = [
      ServiceObject.parse({
        metadata: { name: 'one-head-svc', namespace: 'a', labels: { 'ray.io/cluster': 'one' } },
        spec: { ports: [{ name: 'dashboard', port: 70000 }] },
      }),
    ];
    const d = discovery(fake, { connect: 'service' });
    await d.refresh();
    expect(d.list()[0]?.endpoint).toBeUndefined();
    expect(d.list()[0]?.misconfigured).toContain('The dashboard port "70000" is not a port number');
  });

  it('uses a configured dashboard URL for one cluster', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one'), rayCluster('a', 'two')];
    const d = discovery(fake, { dashboardUrls: { 'a/two': 'http://127.0.0.1:9999' } });
    await d.refresh();
    expect(d.list()[1]?.endpoint).toEqual({ baseUrl: 'http://127.0.0.1:9999', tokenHeader: 'authorization' });
    expect(d.list()[1]?.kubernetes?.connection).toEqual({ via: 'override', url: 'http://127.0.0.1:9999' });
  });

  it('drops the clusters and says what to grant when listing is forbidden, and recovers by itself', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one')];
    const d = discovery(fake);
    await d.refresh();
    fake.fail = forbidden();
    await d.refresh();
    expect(d.list()).toEqual([]);
    expect(d.status().state).toBe('forbidden');
    expect(d.status().message).toMatch(/not permitted.*Clusters configured by hand keep working\./);
    fake.fail = undefined;
    await d.refresh();
    expect(d.status().state).toBe('ok');
    expect(d.list()).toHaveLength(1);
  });

  it('keeps what it knew while the API server is unreachable, and keeps the last success time', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one')];
    const d = discovery(fake);
    await d.refresh();
    const lastSuccess = d.status().lastSuccessAt;
    fake.fail = unreachable();
    await d.refresh();
    expect(d.status()).toMatchObject({ state: 'unreachable', clusterCount: 1, lastSuccessAt: lastSuccess });
    expect(d.list()).toHaveLength(1);
  });

  it('lists each configured namespace and reports the one that fails', async () => {
    const fake = new FakeKubernetes();
    fake.clusters = [rayCluster('a', 'one'), rayCluster('b', 'two'), rayCluster('c', 'three')];
    fake.fail = forbidden();
    fake.failIn = new Set(['b']);
    const d = discovery(fake, { namespaces: ['a', 'b'] });
    await d.refresh();
    expect(d.list().map((c) => c.id)).toEqual(['k8s~a~one']);
    expect(d.status()).toMatchObject({ state: 'forbidden', namespaces: ['a', 'b'] });
    expect(d.status().message).toContain('1 of 2 namespaces fail');
  });

  it('polls on its own once started, and stops', async () => {
    const fake = new FakeKubernetes();
    const d = discovery(fake, { refreshMs: 20 });
    d.start();
    const deadline = Date.now() + 5000;
    while (d.status().state !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    fake.clusters = [rayCluster('a', 'late')];
    while (d.list().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(d.list().map((c) => c.id)).toEqual(['k8s~a~late']);
    await d.stop();
  });
});

describe('Kubernetes configuration keys', () => {
  const kubeconfig = () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kube-config-test-')), 'config');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
    return file;
  };

  it('is off by default', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET }).kubernetes).toBeUndefined();
  });

  it('outside a Pod uses KUBECONFIG and the API server proxy', () => {
    const file = kubeconfig();
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: file,
      KUBERNETES_NAMESPACES: ' team-a, team-b ,team-a',
      KUBERNETES_REFRESH_SECONDS: '2',
    });
    expect(config.kubernetes).toEqual({
      source: { kind: 'kubeconfig', files: [file], context: undefined },
      namespaces: ['team-a', 'team-b'],
      connect: 'proxy',
      refreshMs: 2000,
      dashboardUrls: {},
    });
  });

  it('in a Pod uses the service account and the head Services', () => {
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      KUBERNETES_DISCOVERY: 'true',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    expect(config.kubernetes?.source).toEqual({ kind: 'in-cluster', host: '10.0.0.1', port: '443' });
    expect(config.kubernetes?.connect).toBe('service');
    expect(config.kubernetes?.refreshMs).toBe(10_000);
  });

  it('reads per-cluster dashboard URLs from the configuration file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-config-test-'));
    const file = path.join(dir, 'console.yaml');
    writeFileSync(file, 'kubernetes:\n  dashboardUrls:\n    team-a/ray-cluster-with-auth: http://127.0.0.1:8265\n');
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: kubeconfig(),
      RAY_CONSOLE_CONFIG: file,
    });
    expect(config.kubernetes?.dashboardUrls).toEqual({ 'team-a/ray-cluster-with-auth': 'http://127.0.0.1:8265' });
  });

  it('lists every bad Kubernetes key at once', () => {
    let error: unknown;
    try {
      loadConfig({
        SESSION_SECRET: SECRET,
        KUBERNETES_DISCOVERY: 'yes',
        KUBERNETES_NAMESPACES: 'Team_A',
        KUBERNETES_CONNECT: 'tunnel',
        KUBERNETES_REFRESH_SECONDS: '0',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'KUBERNETES_DISCOVERY',
        'KUBERNETES_NAMESPACES',
        'KUBERNETES_CONNECT',
        'KUBERNETES_REFRESH_SECONDS',
      ]),
    );
  });

  it('refuses a missing kubeconfig, and configured ids that look discovered', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-config-test-'));
    const file = path.join(dir, 'console.yaml');
    writeFileSync(file, 'clusters:\n  - id: k8s~a~b\n    dashboardUrl: http://127.0.0.1:8265\n');
    let error: unknown;
    try {
      loadConfig({
        SESSION_SECRET: SECRET,
        KUBERNETES_DISCOVERY: 'true',
        KUBECONFIG: path.join(dir, 'missing'),
        RAY_CONSOLE_CONFIG: file,
      });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/KUBECONFIG: none of .*missing exists/);
    expect(problems).toMatch(/"k8s~a~b" starts with "k8s~"/);
  });
});
