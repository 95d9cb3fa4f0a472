import { discovered, expect, test } from '../support/kuberay-fixtures';
import { KUBERAY_NAMESPACE } from '../support/kuberay';

// The console runs with the kubeconfig of user `viewer` (local mode), who may work with RayClusters in
// one namespace (support/kuberay-global-setup.ts). The API server and the KubeRay operator are real; there
// is no kubelet, so Pods stay Pending.

/** A small token-protected RayCluster, as someone would write it for `kubectl apply -f`. */
const rayCluster = (name: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, namespace: KUBERAY_NAMESPACE },
  spec: {
    rayVersion: '2.60.0',
    authOptions: { mode: 'token' },
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.60.0' }] } },
    },
    workerGroupSpecs: [
      {
        groupName: 'workers',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.60.0' }] } },
      },
    ],
  },
});

test('a RayCluster created with kubectl is listed with what its spec and the operator say', async ({
  page,
  clusterList,
  kubeAdmin,
  journeyCluster,
  words,
}) => {
  const name = `kubectl-${journeyCluster}`;
  await kubeAdmin.create(rayCluster(name));
  await discovered(page.request, KUBERAY_NAMESPACE, name);

  await clusterList.open();
  const card = clusterList.discovered(KUBERAY_NAMESPACE, name);
  await expect(card).toBeVisible();
  await expect(card).toContainText(words('clusters', 'specAuth.token'));
  await expect(card).toContainText(words('clusters', 'card.rayVersion', { version: '2.60.0' }));
  // The operator's status, read by the console: one worker desired, none available (no kubelet).
  await expect(card).toContainText(words('clusters', 'card.workers', { available: 0, desired: 1 }));
  await expect(card).toContainText(words('clusters', 'card.notReady'));
});
