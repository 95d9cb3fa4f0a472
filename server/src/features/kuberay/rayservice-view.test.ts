import { describe, expect, it } from 'vitest';
import { parseRayService, rayServiceView } from './rayservice-view.js';

// Shaped like `kubectl get rayservice -o json` of KubeRay's ray-service.sample.yaml (v1.6): the status the
// operator writes once the Serve applications run, and while an upgrade readies a pending cluster.
const running = {
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: {
    name: 'rayservice-sample',
    namespace: 'team-a',
    uid: 'd3c5a9a0-1111-4c0b-9a55-2f6c3a1e0b7d',
    resourceVersion: '1234',
    generation: 1,
    creationTimestamp: '2026-11-30T10:00:00Z',
  },
  spec: {
    serveConfigV2: 'applications:\n  - name: fruit_app\n    import_path: fruit.deployment_graph\n',
    rayClusterConfig: { rayVersion: '2.52.0', headGroupSpec: { rayStartParams: {}, template: {} } },
  },
  status: {
    activeServiceStatus: {
      applicationStatuses: {
        math_app: {
          healthLastUpdateTime: '2026-11-30T10:05:00Z',
          serveDeploymentStatuses: {
            Multiplier: { healthLastUpdateTime: '2026-11-30T10:05:00Z', status: 'HEALTHY' },
            Adder: { healthLastUpdateTime: '2026-11-30T10:05:00Z', status: 'HEALTHY' },
          },
          status: 'RUNNING',
        },
        fruit_app: {
          healthLastUpdateTime: '2026-11-30T10:05:00Z',
          message: 'Deploying app fruit_app failed.',
          serveDeploymentStatuses: {
            FruitMarket: {
              healthLastUpdateTime: '2026-11-30T10:05:00Z',
              message: 'The deployment failed to start 3 times in a row.',
              status: 'UNHEALTHY',
            },
          },
          status: 'DEPLOY_FAILED',
        },
      },
      rayClusterName: 'rayservice-sample-raycluster-6mj28',
      rayClusterStatus: { desiredCPU: '2500m', state: 'ready' },
    },
    conditions: [
      {
        lastTransitionTime: '2026-11-30T10:05:00Z',
        message: 'Number of serve endpoints is greater than 0',
        observedGeneration: 1,
        reason: 'NonZeroServeEndpoints',
        status: 'True',
        type: 'Ready',
      },
      {
        lastTransitionTime: '2026-11-30T10:01:00Z',
        message: 'Active Ray cluster exists and no pending Ray cluster',
        observedGeneration: 1,
        reason: 'NoPendingCluster',
        status: 'False',
        type: 'UpgradeInProgress',
      },
    ],
    lastUpdateTime: '2026-11-30T10:05:00Z',
    numServeEndpoints: 2,
    observedGeneration: 1,
    pendingServiceStatus: {},
    serviceStatus: 'Running',
  },
};

describe('rayServiceView', () => {
  it('shows the service status, the active cluster with a link id, and every application and deployment, sorted', () => {
    const view = rayServiceView(parseRayService(running));
    expect(view).toEqual({
      namespace: 'team-a',
      name: 'rayservice-sample',
      createdAt: '2026-11-30T10:00:00Z',
      serviceStatus: 'Running',
      ready: true,
      upgradeInProgress: false,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'NonZeroServeEndpoints',
          message: 'Number of serve endpoints is greater than 0',
        },
        {
          type: 'UpgradeInProgress',
          status: 'False',
          reason: 'NoPendingCluster',
          message: 'Active Ray cluster exists and no pending Ray cluster',
        },
      ],
      serveEndpoints: 2,
      suspended: false,
      active: {
        name: 'rayservice-sample-raycluster-6mj28',
        clusterId: 'k8s~team-a~rayservice-sample-raycluster-6mj28',
        applications: [
          {
            name: 'fruit_app',
            status: 'DEPLOY_FAILED',
            message: 'Deploying app fruit_app failed.',
            deployments: [
              {
                name: 'FruitMarket',
                status: 'UNHEALTHY',
                message: 'The deployment failed to start 3 times in a row.',
              },
            ],
          },
          {
            name: 'math_app',
            status: 'RUNNING',
            deployments: [
              { name: 'Adder', status: 'HEALTHY' },
              { name: 'Multiplier', status: 'HEALTHY' },
            ],
          },
        ],
      },
    });
  });

  it('shows the pending cluster of an upgrade (an empty pendingServiceStatus is no cluster)', () => {
    const upgrading = structuredClone(running) as typeof running & {
      status: { pendingServiceStatus: Record<string, unknown> };
    };
    upgrading.status.conditions[1] = {
      ...upgrading.status.conditions[1]!,
      status: 'True',
      reason: 'BothActivePendingClustersExist',
      message: 'Both active and pending Ray clusters exist',
    };
    upgrading.status.pendingServiceStatus = {
      rayClusterName: 'rayservice-sample-raycluster-pd7xq',
      applicationStatuses: { math_app: { status: 'DEPLOYING' } },
      trafficRoutedPercent: 20,
      targetCapacity: 40,
    };
    const view = rayServiceView(parseRayService(upgrading));
    expect(view.upgradeInProgress).toBe(true);
    expect(view.pending).toEqual({
      name: 'rayservice-sample-raycluster-pd7xq',
      clusterId: 'k8s~team-a~rayservice-sample-raycluster-pd7xq',
      applications: [{ name: 'math_app', status: 'DEPLOYING', deployments: [] }],
      trafficRoutedPercent: 20,
      targetCapacity: 40,
    });
    expect(rayServiceView(parseRayService(running)).pending).toBeUndefined();
  });

  it('shows a RayService the operator has not reconciled yet (no status) as not ready, with nothing made up', () => {
    const fresh = { ...running, status: undefined, spec: { ...running.spec, suspend: true } };
    expect(rayServiceView(parseRayService(fresh))).toEqual({
      namespace: 'team-a',
      name: 'rayservice-sample',
      createdAt: '2026-11-30T10:00:00Z',
      ready: false,
      upgradeInProgress: false,
      conditions: [],
      suspended: true,
    });
  });

  it('keeps odd status fields from hiding the rest, links no cluster whose name is not a Kubernetes name, and cuts long messages', () => {
    const odd = structuredClone(running) as unknown as {
      status: Record<string, unknown> & { activeServiceStatus: Record<string, unknown> };
    };
    odd.status.numServeEndpoints = 'two';
    odd.status.conditions = [null, { type: 'Ready', status: 'maybe' }];
    odd.status.activeServiceStatus.rayClusterName = 'evil:80/#';
    odd.status.pendingServiceStatus = {
      rayClusterName: 'next',
      applicationStatuses: { app: { status: 'DEPLOY_FAILED', message: 'x'.repeat(5000), serveDeploymentStatuses: 7 } },
    };
    const view = rayServiceView(parseRayService(odd));
    expect(view.serveEndpoints).toBeUndefined();
    expect(view.conditions).toEqual([{ type: 'Ready', status: 'Unknown' }]);
    expect(view.ready).toBe(false);
    expect(view.active).toBeUndefined();
    expect(view.pending?.applications[0]?.message).toHaveLength(2000);
    expect(view.pending?.applications[0]?.deployments).toEqual([]);
  });

  it('refuses an answer that is not a RayService, and a name that is not a Kubernetes name', () => {
    expect(() => parseRayService({ kind: 'Status' })).toThrow(/not a RayService/);
    const badName = { ...running, metadata: { ...running.metadata, name: 'a/b' } };
    expect(() => rayServiceView(parseRayService(badName))).toThrow(/"team-a\/a\/b"/);
  });
});
