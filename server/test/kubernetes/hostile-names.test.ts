import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects } from './support/kube.js';
import type { RayClusterJson } from './support/kuberay.js';
import { startRecorder, type Recorder } from './support/recorder.js';

// Whoever may create or patch a RayCluster writes the head Service name the console reads. These
// RayClusters carry names meant to turn `http://<name>.<namespace>.svc:<port>` into an address of their
// choosing: a loopback listener stands for that address and records any request that reaches it.

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);

let ns: string;
let recorder: Recorder;
const consoles: RunningConsole[] = [];

/** RayCluster name → the hostile head Service name it carries, and where. */
let hostile: { name: string; serviceName: string; in: 'status' | 'spec' }[];

beforeAll(async () => {
  [ns, recorder] = await Promise.all([kube.createNamespace('hostile'), startRecorder()]);
  const at = `127.0.0.1:${recorder.port}`;
  const names = [
    'evil:80/#',
    'evil:80/x?',
    'a%2Fb',
    'u@evil',
    'a'.repeat(64),
    `${at}/#`,
    `${at}/x?`,
    `u@${at}/#`,
    `${at}/api/v1/x#`,
  ];
  hostile = [
    ...names.map((serviceName, i) => ({ name: `status-${i}`, serviceName, in: 'status' as const })),
    { name: 'spec-0', serviceName: `${at}/#`, in: 'spec' },
    { name: 'spec-1', serviceName: 'u@evil', in: 'spec' },
  ];
  const [sample] = sampleObjects('ray-cluster.auth.yaml', ns) as [RayClusterJson];
  for (const h of hostile) {
    const spec = structuredClone(sample.spec) as RayClusterJson['spec'] & {
      managedBy?: string;
      headGroupSpec: { headService?: unknown };
    };
    // Another controller's cluster (KubeRay leaves it alone), so the status is what this test writes.
    spec.managedBy = 'kueue.x-k8s.io/multikueue';
    if (h.in === 'spec') spec.headGroupSpec.headService = { metadata: { name: h.serviceName } };
    await kube.create({ ...sample, metadata: { name: h.name, namespace: ns }, spec });
    if (h.in === 'status') await kube.patchStatus('RayCluster', ns, h.name, { head: { serviceName: h.serviceName } });
  }
});

afterAll(async () => {
  for (const c of consoles) await c.close();
  await recorder?.close();
});

describe('a RayCluster whose head Service name is not a DNS label', () => {
  it('is stored as written: the API server checks neither status.head.serviceName nor headService.metadata.name', async () => {
    for (const h of hostile) {
      const got = await kube.get<
        RayClusterJson & { spec: { headGroupSpec: { headService?: { metadata?: { name?: string } } } } }
      >('RayCluster', ns, h.name);
      const stored =
        h.in === 'status'
          ? got.body.status?.head?.serviceName
          : got.body.spec.headGroupSpec.headService?.metadata?.name;
      expect(stored, h.name).toBe(h.serviceName);
    }
  });

  for (const connect of ['service', 'proxy'] as const) {
    it(`is listed as misconfigured and reaches no other host (KUBERNETES_CONNECT=${connect})`, async () => {
      const running = await startConsole({
        KUBERNETES_DISCOVERY: 'true',
        KUBECONFIG: ctx.kubeconfigPath,
        KUBERNETES_NAMESPACES: ns,
        KUBERNETES_CONNECT: connect,
        KUBERNETES_REFRESH_SECONDS: '1',
        // One sign-in attempt per cluster, more than the default 10 a minute.
        LOGIN_RATE_LIMIT_PER_MINUTE: '100',
      });
      consoles.push(running);
      const list = await running.waitForDiscovery(
        'every hostile cluster',
        (s, l) => s.state === 'ok' && l.length === hostile.length,
      );
      for (const h of hostile) {
        const c = list.find((x) => x.id === `k8s~${ns}~${h.name}`);
        expect(c?.misconfigured, h.name).toContain('The head Service name');
        expect(c?.misconfigured, h.name).toContain(
          h.in === 'status' ? '(from status.head.serviceName)' : '(from spec.headGroupSpec.headService.metadata.name)',
        );
        expect(c?.authMode).toBe('unknown');
        expect(c?.kubernetes?.connection).toBeUndefined();
        // Nobody can sign in: the console has no client for it, so the token goes nowhere.
        const login = await running.client.login(c?.id ?? '', head.token);
        expect(login.status, login.text).toBe(409);
        expect(login.text).toContain('The console does not connect to the cluster');
      }
      // Lists again (each would probe the head's auth mode), then nothing may have reached the listener.
      await running.clusters();
      expect(recorder.requests).toEqual([]);
      expect(running.logs.join('')).not.toContain(head.token);
    });
  }
});
