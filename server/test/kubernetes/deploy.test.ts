import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_PACKAGE_FILES, MULTIPART_OVERHEAD_BYTES } from '../../src/features/jobs/package-upload.js';
import { PROJECT_ROOT } from '../harness/kube-control-plane.js';
import { forbiddenGrants, kubeClientPermissions, permissionsOf } from './support/kube-client-calls.js';
import { Kube, kubeContext, renderKustomization, type KubeObject } from './support/kube.js';

// deploy/ against what the code does: RBAC equal to the calls of the Kubernetes door, volumes that hold
// the largest uploads allowed, and the ingress overlay (PUBLIC_URL, TRUST_PROXY, a NetworkPolicy that
// admits only the ingress controller) rendered and dry-run on the real API server.

const ctx = kubeContext();
const kube = new Kube(ctx);
const DEPLOY = path.join(PROJECT_ROOT, 'deploy');
const BASE = path.join(DEPLOY, 'base');
const OVERLAY = path.join(DEPLOY, 'overlays', 'ingress');
const MiB = 1024 * 1024;

type Container = {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodTemplate = {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; volumes: { name: string; emptyDir?: { sizeLimit?: string } }[] };
};

const one = (objects: KubeObject[], kind: string): KubeObject => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};
const templateOf = (objects: KubeObject[]) => (one(objects, 'Deployment').spec as { template: PodTemplate }).template;

/** The console's configuration as the Pod gets it: the ConfigMap, the Secret's value, Kubernetes' env. */
function podConfig(objects: KubeObject[]) {
  const data = one(objects, 'ConfigMap').data as Record<string, string>;
  return loadConfig({
    ...data,
    SESSION_SECRET: 'deploy-test-secret-0123456789abcdef0123',
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
  });
}

/** Kubernetes quantities as bytes (the binary and decimal suffixes deploy/ might use). */
function bytesOf(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(quantity);
  if (!m) throw new Error(`not a quantity: ${quantity}`);
  const unit = { Ki: 1024, Mi: MiB, Gi: 1024 * MiB, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/** The emptyDir volume mounted at `dir` (or above it) in the console's container, and its size limit. */
function volumeAt(template: PodTemplate, dir: string): { name: string; sizeLimit: number } {
  const container = template.spec.containers.find((c) => c.name === 'console')!;
  const mount = (container.volumeMounts ?? [])
    .filter((m) => dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  expect(mount, `a volume mounted at ${dir} (the root filesystem is read-only)`).toBeDefined();
  const volume = template.spec.volumes.find((v) => v.name === mount!.name);
  expect(volume?.emptyDir?.sizeLimit, `sizeLimit of volume ${mount!.name}`).toBeDefined();
  return { name: mount!.name, sizeLimit: bytesOf(volume!.emptyDir!.sizeLimit!) };
}

let base: KubeObject[];
let overlay: KubeObject[];
let consoleNs: string;

beforeAll(async () => {
  consoleNs = await kube.createNamespace('ray-console-deploy');
  base = renderKustomization(BASE);
  overlay = renderKustomization(OVERLAY);
});

describe('deploy/', () => {
  it('grants exactly what the Kubernetes client calls, in the ClusterRole and in the namespaced Role', () => {
    const uses = kubeClientPermissions();
    // What the analysis reads today; the comparison below is what holds deploy/ to it.
    expect(uses.calls).toEqual(['/services:list', 'ray.io/rayclusters:list']);
    const clusterRole = one(base, 'ClusterRole') as KubeObject & { rules: [] };
    const role = one(renderKustomization(path.join(DEPLOY, 'namespaced-rbac')), 'Role') as KubeObject & { rules: [] };
    expect(permissionsOf(clusterRole.rules)).toEqual(uses.calls);
    expect(permissionsOf(role.rules)).toEqual(uses.calls);
    // The service proxy is not granted: in a Pod the shipped settings reach heads at their Services.
    expect(uses.proxy.length).toBeGreaterThan(0);
    expect(podConfig(base).kubernetes?.connect).toBe('service');
    expect(podConfig(overlay).kubernetes?.connect).toBe('service');
  });

  it("never lets the console's service account create RayClusters or read Secrets itself; it may only impersonate (issue 12)", () => {
    const rulesOf = (objects: KubeObject[]) =>
      objects
        .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
        .flatMap((o) => (o as KubeObject & { rules: Parameters<typeof forbiddenGrants>[0] }).rules);
    const impersonation = rulesOf(renderKustomization(path.join(DEPLOY, 'impersonation')));
    const everything = [
      ...rulesOf(base),
      ...rulesOf(overlay),
      ...rulesOf(renderKustomization(path.join(DEPLOY, 'namespaced-rbac'))),
      ...impersonation,
    ];
    expect(forbiddenGrants(everything)).toEqual([]);
    // Impersonation is all deploy/impersonation grants: users and groups, nothing else.
    expect(permissionsOf(impersonation)).toEqual(['/groups:impersonate', '/users:impersonate']);
    // The analysis itself: a rule that would let the console write or read Secrets is caught, wildcards too.
    expect(forbiddenGrants([{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['create'] }])).toEqual([
      'ray.io/rayclusters:create',
    ]);
    expect(forbiddenGrants([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])).toEqual(['/secrets:get']);
    expect(forbiddenGrants([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])).toContain('/secrets:list');
  });

  it('spools uploads on a volume of their own that holds UPLOAD_CONCURRENCY of the largest uploads', () => {
    for (const objects of [base, overlay]) {
      const config = podConfig(objects);
      const template = templateOf(objects);
      const uploads = volumeAt(template, config.uploads.dir);
      // At worst a folder: its files (the package limit in all, each file at least a 4 KiB block) and its zip.
      const worstUpload = config.uploads.maxBytes + MAX_PACKAGE_FILES * 4096 + config.uploads.maxBytes;
      expect(uploads.sizeLimit).toBeGreaterThanOrEqual(config.uploads.maxConcurrent * worstUpload);
      // Sessions and the audit trail are elsewhere, so a full spool cannot stop them being written.
      expect(config.sessionStore.kind).toBe('sqlite');
      const sessions = volumeAt(
        template,
        path.dirname(config.sessionStore.kind === 'sqlite' ? config.sessionStore.file : ''),
      );
      const audit = volumeAt(template, config.dataDir);
      expect(sessions.name).not.toBe(uploads.name);
      expect(audit.name).not.toBe(uploads.name);
      // Node's own temporary files are not the spool either.
      expect(volumeAt(template, '/tmp').name).not.toBe(uploads.name);
    }
  });

  it('behind the ingress overlay: https PUBLIC_URL and TRUST_PROXY, no warning, uploads of the largest size pass', () => {
    expect(podConfig(base).trustProxy).toBe(false);
    const config = podConfig(overlay);
    expect(config.trustProxy).toBe(1);
    expect(config.secureCookies).toBe(true);
    expect(config.warnings).toEqual([]);
    const ingress = one(overlay, 'Ingress') as KubeObject & {
      metadata: { annotations: Record<string, string> };
      spec: { rules: { host: string }[]; tls: { hosts: string[] }[] };
    };
    const host = new URL(config.allowedOrigins.find((o) => o.startsWith('https://'))!).host;
    expect(ingress.spec.rules.map((r) => r.host)).toEqual([host]);
    expect(ingress.spec.tls.flatMap((t) => t.hosts)).toEqual([host]);
    // nginx refuses bodies over 1m by default; a folder upload of the largest size must get through.
    const bodySize = ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']!;
    expect(bytesOf(bodySize.replace(/m$/, 'Mi'))).toBeGreaterThanOrEqual(
      config.uploads.maxBytes + MULTIPART_OVERHEAD_BYTES,
    );
  });

  it('with TRUST_PROXY on, admits only the ingress controller, on the console port only', () => {
    for (const objects of [base, overlay]) {
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      if (podConfig(objects).trustProxy === false) continue;
      expect(policies).toHaveLength(1);
      const policy = policies[0]!.spec as {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: {
          from: Record<string, { matchLabels: Record<string, string> }>[];
          ports: { port: string | number }[];
        }[];
      };
      const template = templateOf(objects);
      // It selects the console's Pods...
      for (const [k, v] of Object.entries(policy.podSelector.matchLabels)) expect(template.metadata.labels[k]).toBe(v);
      expect(policy.policyTypes).toEqual(['Ingress']);
      // ...and allows one peer: the ingress controller's Pods in the ingress controller's namespace (both
      // selectors in one entry, so both must match), to the container's HTTP port.
      expect(policy.ingress).toHaveLength(1);
      expect(policy.ingress[0]!.from).toEqual([
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: {
            matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
          },
        },
      ]);
      const ports = template.spec.containers.find((c) => c.name === 'console')!.ports ?? [];
      expect(policy.ingress[0]!.ports.map((p) => p.port)).toEqual(ports.map((p) => p.name));
    }
  });

  it('the ingress overlay passes a server-side dry run, NetworkPolicy and Ingress included', async () => {
    const objects = renderKustomization(OVERLAY, consoleNs);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Ingress',
        'NetworkPolicy',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    for (const obj of objects) {
      const res = await kube.apply(obj, { dryRun: true });
      expect(res.status, `${obj.kind}/${obj.metadata.name}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
    expect((await kube.get('NetworkPolicy', consoleNs, 'ray-console-from-ingress-only')).status).toBe(404);
  });
});
