import { randomBytes } from 'node:crypto';
import { waitFor } from '../../support/wait.js';
import type { Kube, KubeObject } from './kube.js';

/**
 * RayClusters in the test's API server, with what the KubeRay operator adds to them. When the real
 * operator runs (the global setup starts it when it was built) the tests wait for it; otherwise they
 * create the same things themselves, as docs/kuberay-behaviour.md and shared/reference/kuberay.md
 * describe: the token Secret named after the cluster, the headless `<name>-head-svc` with the head
 * container's named ports plus `metrics`, and a status with conditions through the status subresource.
 */

interface RaySpec {
  rayVersion?: string;
  authOptions?: { mode?: string; secretName?: string; enableK8sTokenAuth?: boolean };
  headGroupSpec?: { template?: { spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] } } };
  workerGroupSpecs?: { replicas?: number }[];
}

export interface RayClusterJson extends KubeObject {
  spec: RaySpec;
  status?: {
    head?: { serviceName?: string; podName?: string };
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

const rayClusterFromSample = (
  sample: KubeObject,
  name: string,
  namespace: string,
  spec: Partial<RaySpec> = {},
): RayClusterJson => ({
  ...(sample as RayClusterJson),
  metadata: { name, namespace },
  spec: { ...(sample as RayClusterJson).spec, ...spec },
});
export { rayClusterFromSample };

/** Would the operator create a token Secret for this spec (KubeRay `reconcileAuthSecret`)? */
function operatorMakesSecret(spec: RaySpec): boolean {
  const a = spec.authOptions;
  return a !== undefined && a.mode !== 'disabled' && !a.enableK8sTokenAuth && !a.secretName;
}

export class KubeRay {
  constructor(
    private readonly kube: Kube,
    /** The real operator runs. */
    readonly operator: boolean,
  ) {}

  /**
   * Creates a RayCluster and waits until it looks like one the operator reconciled: a head Service and
   * a status naming it (and the token Secret for `authOptions.mode: token`).
   */
  async createCluster(rc: RayClusterJson): Promise<RayClusterJson> {
    const created = await this.kube.create(rc);
    await this.reconciled(created);
    return created;
  }

  /** Waits for (or writes) what the operator adds to an existing RayCluster. */
  async reconciled(rc: RayClusterJson): Promise<void> {
    const { namespace = 'default', name } = rc.metadata;
    if (this.operator) {
      await waitFor(`the operator to reconcile RayCluster ${namespace}/${name}`, async () => {
        const got = await this.kube.get<RayClusterJson>('RayCluster', namespace, name);
        const service = got.body.status?.head?.serviceName;
        if (!service) return undefined;
        const svc = await this.kube.get('Service', namespace, service);
        if (svc.status !== 200) return undefined;
        if (operatorMakesSecret(rc.spec) && (await this.kube.get('Secret', namespace, name)).status !== 200)
          return undefined;
        return true;
      });
      return;
    }
    await this.emulate(rc);
  }

  private async emulate(rc: RayClusterJson): Promise<void> {
    const { namespace = 'default', name } = rc.metadata;
    const current = await this.kube.get<RayClusterJson>('RayCluster', namespace, name);
    const owner = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      name,
      uid: current.body.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    if (operatorMakesSecret(rc.spec)) {
      await this.kube.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace, labels: { 'ray.io/cluster': name }, ownerReferences: [owner] },
        type: 'Opaque',
        // 32 random bytes in standard base64, like the operator's generateRandomToken.
        stringData: { auth_token: randomBytes(32).toString('base64') },
      });
    }
    const containerPorts = rc.spec.headGroupSpec?.template?.spec?.containers?.[0]?.ports ?? [];
    const ports = [
      ...(containerPorts.length > 0
        ? containerPorts.map((p) => ({ name: p.name ?? `${p.containerPort}-port`, port: p.containerPort }))
        : [
            { name: 'client', port: 10001 },
            { name: 'gcs-server', port: 6379 },
            { name: 'dashboard', port: 8265 },
          ]),
    ];
    if (!ports.some((p) => p.name === 'metrics')) ports.push({ name: 'metrics', port: 8080 });
    ports.sort((a, b) => a.name.localeCompare(b.name));
    const serviceName = `${name}-head-svc`;
    await this.kube.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: serviceName,
        namespace,
        labels: {
          'ray.io/cluster': name,
          'ray.io/node-type': 'head',
          'ray.io/identifier': `${name}-head`,
          'app.kubernetes.io/name': 'kuberay',
          'app.kubernetes.io/created-by': 'kuberay-operator',
        },
        ownerReferences: [owner],
      },
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: { 'ray.io/cluster': name, 'ray.io/node-type': 'head', 'ray.io/identifier': `${name}-head` },
        ports: ports.map((p) => ({ ...p, appProtocol: 'tcp', targetPort: p.port })),
      },
    });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string, reason: string, message = '') => ({
      type,
      status: 'False',
      reason,
      message,
      lastTransitionTime: now,
    });
    await this.kube.patchStatus('RayCluster', namespace, name, {
      desiredWorkerReplicas: (rc.spec.workerGroupSpecs ?? []).reduce((n, g) => n + (g.replicas ?? 0), 0),
      availableWorkerReplicas: 0,
      readyWorkerReplicas: 0,
      endpoints: Object.fromEntries(ports.map((p) => [p.name, String(p.port)])),
      head: { serviceName, podName: `${name}-head-emul0` },
      conditions: [
        condition('HeadPodReady', 'Unknown'),
        condition(
          'RayClusterProvisioned',
          'RayClusterPodsProvisioning',
          'RayCluster Pods are being provisioned for first time',
        ),
        condition('RayClusterSuspended', 'RayClusterSuspended'),
        condition('RayClusterSuspending', 'RayClusterSuspending'),
      ],
      observedGeneration: 1,
    });
  }

  /**
   * Makes the head "ready". With the operator: the head Pod's status says Running and Ready (what a
   * kubelet would write, and what KubeRay's own tests do), and the operator turns HeadPodReady true.
   * Without it: HeadPodReady is written directly.
   */
  async markHeadReady(namespace: string, name: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (this.operator) {
      const [pod] = await this.kube.list<KubeObject>('Pod', namespace, `ray.io/cluster=${name},ray.io/node-type=head`);
      if (!pod) throw new Error(`no head Pod for ${namespace}/${name}`);
      await this.kube.patchStatus('Pod', namespace, pod.metadata.name, {
        phase: 'Running',
        podIP: '10.244.0.5',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      });
      await waitFor(`HeadPodReady on ${namespace}/${name}`, async () => {
        const got = await this.kube.get<RayClusterJson>('RayCluster', namespace, name);
        return got.body.status?.conditions?.some((c) => c.type === 'HeadPodReady' && c.status === 'True');
      });
      return;
    }
    const got = await this.kube.get<RayClusterJson>('RayCluster', namespace, name);
    const conditions = (got.body.status?.conditions ?? []).map((c) =>
      c.type === 'HeadPodReady'
        ? { ...c, status: 'True', reason: 'HeadPodRunningAndReady', lastTransitionTime: now }
        : c,
    );
    await this.kube.patchStatus('RayCluster', namespace, name, {
      conditions,
      head: { ...got.body.status?.head, podIP: '10.244.0.5' },
    });
  }

  /**
   * A RayJob and the RayCluster it runs on. The operator names that cluster `<rayjob>-<5 characters>` and
   * owns it; without the operator the test creates the same.
   */
  async createRayJob(namespace: string, name: string, rayClusterSpec: RaySpec): Promise<RayClusterJson> {
    const job = await this.kube.create({
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name, namespace },
      spec: { entrypoint: 'python -c "print(1)"', shutdownAfterJobFinishes: false, rayClusterSpec },
    });
    if (this.operator) {
      const cluster = await waitFor(
        `the operator to create the RayCluster of RayJob ${namespace}/${name}`,
        async () => {
          const clusters = await this.kube.list<RayClusterJson>('RayCluster', namespace);
          return clusters.find((c) =>
            ((c.metadata.ownerReferences ?? []) as { kind: string; name: string }[]).some(
              (o) => o.kind === 'RayJob' && o.name === name,
            ),
          );
        },
      );
      await this.reconciled(cluster);
      return cluster;
    }
    return this.createCluster({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: {
        name: `${name}-${randomBytes(3).toString('hex').slice(0, 5)}`,
        namespace,
        labels: { 'ray.io/originated-from-crd': 'RayJob', 'ray.io/originated-from-cr-name': name },
        ownerReferences: [
          {
            apiVersion: 'ray.io/v1',
            kind: 'RayJob',
            name,
            uid: (job.metadata as { uid?: string }).uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: rayClusterSpec,
    });
  }
}
