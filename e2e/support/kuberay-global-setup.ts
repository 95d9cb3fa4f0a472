import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { stringify } from 'yaml';
import { startBuiltConsole } from '../../scripts/lib/built-console.mjs';
import { RAY_VERSION } from '../../scripts/lib/paths.mjs';
import { startRayHead } from '../../scripts/lib/ray-head.mjs';
import {
  loadYamlObjects,
  operatorAvailable,
  PROJECT_ROOT,
  startControlPlane,
  startOperator,
  type ControlPlane,
} from '../../server/test/harness/kube-control-plane';
import { E2E_ENV } from './global-setup';
import { KubeAdmin, type KubeObject } from './kube-admin';
import { journeyClusterName, KUBERAY_ENV, KUBERAY_NAMESPACE, KUBERAY_PERSON } from './kuberay';

/**
 * The Kubernetes journeys' setting: a real Ray head with token auth, the real kube-apiserver + etcd with the
 * KubeRay CRDs and the real KubeRay operator (server/test/harness/kube-control-plane.ts, the same the
 * kubernetes suite runs), and the built console with Kubernetes discovery in local mode: it runs with the
 * kubeconfig of user `viewer`, who has the rights the docs give people in one namespace and nothing else,
 * so what the console does on Kubernetes it does as that person, with that person's rights.
 *
 * It is a setup of its own (not the main e2e one) so that the other journeys start without a control plane,
 * and these without Keycloak.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  if (!operatorAvailable()) {
    throw new Error(
      'The Kubernetes journeys need the real KubeRay operator: build it with `bash scripts/k8s/build-control-plane.sh`.',
    );
  }
  const [head, cp] = await Promise.all([
    startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION }),
    startControlPlane(),
  ]);
  let stopConsole = async (): Promise<void> => undefined;
  const teardown = async () => {
    await stopConsole();
    await Promise.all([head.stop(), cp.stop()]);
  };
  try {
    await startOperator(cp, { watchNamespaces: [KUBERAY_NAMESPACE] });
    const admin = new KubeAdmin(cp.server, cp.adminToken);
    await grantPerson(admin);
    const journeyClusters = config.projects.map((p) => journeyClusterName(p.name));
    const bff = await startBuiltConsole({
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: personKubeconfig(cp),
      KUBERNETES_NAMESPACES: KUBERAY_NAMESPACE,
      // A cluster created in the form shows within a second, and its progress follows as quickly.
      KUBERNETES_REFRESH_SECONDS: '1',
      RAY_CONSOLE_CONFIG: writeConsoleConfig(
        Object.fromEntries(journeyClusters.map((name) => [`${KUBERAY_NAMESPACE}/${name}`, head.dashboardUrl])),
      ),
    });
    stopConsole = bff.stop;
    process.env[E2E_ENV.baseUrl] = bff.url;
    process.env[E2E_ENV.token] = head.token;
    process.env[E2E_ENV.dashboardUrl] = head.dashboardUrl;
    process.env[E2E_ENV.rayCli] = head.ray;
    process.env.E2E_CONSOLE_LOG = bff.log;
    process.env[KUBERAY_ENV.server] = cp.server;
    process.env[KUBERAY_ENV.adminToken] = cp.adminToken;
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

/**
 * The person's rights: the ClusterRole the docs tell an operator to grant people
 * (deploy/examples/people-rbac.yaml: RayClusters and RayJobs, their Pods, Events and Services, token
 * Secrets), bound in the journeys' namespace to user `viewer`, so the journey shows that it is enough.
 */
async function grantPerson(admin: KubeAdmin): Promise<void> {
  const namespace = KUBERAY_NAMESPACE;
  await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const role = loadYamlObjects<KubeObject>(path.join(PROJECT_ROOT, 'deploy/examples/people-rbac.yaml')).find(
    (o) => o.kind === 'ClusterRole',
  );
  if (!role) throw new Error('deploy/examples/people-rbac.yaml has no ClusterRole');
  await admin.create(role);
  await admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ray-console-person', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: KUBERAY_PERSON }],
  });
}

function personKubeconfig(cp: ControlPlane): string {
  return cp.kubeconfigFor(cp.tokens.viewer);
}

/** The console's configuration file: no configured clusters, the journeys' RayClusters at the real head. */
function writeConsoleConfig(dashboardUrls: Record<string, string>): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ray-console-e2e-kuberay-')), 'console.yaml');
  writeFileSync(file, stringify({ kubernetes: { dashboardUrls } }));
  return file;
}
