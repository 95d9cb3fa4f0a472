import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import {
  ClusterList,
  DiscoveryStatus,
  RayClusterProgress,
  SessionInfo,
  type ClusterSummary,
  type KubernetesClusterInfo,
} from '@ray-console/shared';
import { answer, fakeBff } from '../../test/fake-bff';
import { renderPage } from '../../test/render-page';
import { ClusterListPage } from './cluster-list-page';

const configured: ClusterSummary = { id: 'prod', displayName: 'Production', authMode: 'token', signedIn: true };

const kubernetes = (over: Partial<KubernetesClusterInfo>): KubernetesClusterInfo => ({
  namespace: 'ray',
  name: 'raycluster-a',
  ready: true,
  conditions: [],
  workers: { desired: 2, available: 2, ready: 2 },
  auth: { mode: 'token', source: 'authOptions', secret: { name: 'ray-token', key: 'auth_token' } },
  ...over,
});

const discovered = (info: KubernetesClusterInfo): ClusterSummary => ({
  id: `k8s~${info.namespace}~${info.name}`,
  displayName: `${info.namespace}/${info.name}`,
  authMode: 'token',
  signedIn: false,
  kubernetes: info,
});

const discovery = (over: Partial<DiscoveryStatus> = {}) =>
  answer(DiscoveryStatus, { state: 'ok', namespaces: ['ray'], clusterCount: 2, ...over });

describe('the cluster list', () => {
  // The Kubernetes part of the list is a chunk of its own, fetched once discovery is on (first script
  // budget, docs/benchmarks.md): the discovered clusters must still show, grouped as before.
  it('shows clusters found through Kubernetes by namespace and owner, beside the configured ones', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/clusters', () =>
      answer(ClusterList, [
        configured,
        discovered(kubernetes({})),
        discovered(
          kubernetes({
            name: 'rayjob-b-raycluster',
            ready: false,
            conditions: [{ type: 'HeadPodReady', status: 'False', reason: 'ContainersNotReady' }],
            owner: { kind: 'RayJob', name: 'rayjob-b' },
          }),
        ),
      ]),
    );
    bff.on('GET', '/api/discovery', () => discovery());
    renderPage(<ClusterListPage />, { path: '/', url: '/' });

    const ns = await screen.findByRole('region', { name: 'Namespace ray' });
    expect(within(ns).getByRole('link', { name: 'raycluster-a' })).toBeTruthy();
    expect(within(ns).getByRole('heading', { name: 'RayJob rayjob-b' })).toBeTruthy();
    expect(within(ns).getByText('Not ready: ContainersNotReady')).toBeTruthy();
    const own = screen.getByRole('region', { name: 'Configured clusters' });
    expect(within(own).getByRole('link', { name: 'Production' })).toBeTruthy();
    expect(screen.queryByText('Loading clusters…')).toBeNull();
  });

  it('says why discovery cannot work, in a banner', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/clusters', () => answer(ClusterList, [configured]));
    bff.on('GET', '/api/discovery', () =>
      discovery({ state: 'forbidden', message: 'rayclusters.ray.io is forbidden', clusterCount: 0 }),
    );
    renderPage(<ClusterListPage />, { path: '/', url: '/' });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('rayclusters.ray.io is forbidden');
  });

  it('shows what a discovered cluster that is not ready waits for, and links to its Kubernetes page', async () => {
    const bff = fakeBff();
    const creating = kubernetes({
      name: 'new-one',
      ready: false,
      conditions: [{ type: 'HeadPodReady', status: 'False', reason: 'Unknown' }],
    });
    bff.on('GET', '/api/clusters', () => answer(ClusterList, [discovered(kubernetes({})), discovered(creating)]));
    bff.on('GET', '/api/discovery', () => discovery());
    bff.on('GET', '/api/kubernetes/rayclusters/ray/new-one', () =>
      answer(RayClusterProgress, {
        namespace: 'ray',
        name: 'new-one',
        clusterId: 'k8s~ray~new-one',
        ready: false,
        summary: {
          code: 'unschedulable',
          params: { pod: 'new-one-head-x7k2p', role: 'head', message: '0/3 nodes are available: 3 Insufficient cpu.' },
          text: 'Waiting for the head Pod new-one-head-x7k2p to be scheduled: 0/3 nodes are available: 3 Insufficient cpu.',
        },
        conditions: [],
        workers: { desired: 2, ready: 0 },
        pods: [],
        events: [],
        can: { delete: true },
      }),
    );
    renderPage(<ClusterListPage />, { path: '/', url: '/' });
    expect(
      await screen.findByText(
        'Waiting for the head Pod new-one-head-x7k2p to be scheduled: 0/3 nodes are available: 3 Insufficient cpu.',
      ),
    ).toBeTruthy();
    const links = screen.getAllByRole('link', { name: 'Kubernetes' }).map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/kubernetes/rayclusters/ray/raycluster-a', '/kubernetes/rayclusters/ray/new-one']);
    // A ready cluster's progress is not asked for: the list has nothing to say about it.
    expect(bff.requests.filter((r) => r.path.endsWith('/raycluster-a'))).toEqual([]);
  });
});

describe('the way to a new RayCluster (issue 12)', () => {
  it('is offered only where the console acts on Kubernetes as the person', async () => {
    for (const kubernetesMode of [undefined, 'kubeconfig'] as const) {
      const bff = fakeBff();
      bff.on('GET', '/api/clusters', () => answer(ClusterList, [configured]));
      bff.on('GET', '/api/discovery', () => discovery({ state: 'disabled', namespaces: [], clusterCount: 0 }));
      bff.on('GET', '/api/session', () =>
        answer(SessionInfo, {
          csrfToken: 'csrf-test',
          clusters: [],
          ...(kubernetesMode ? { kubernetes: kubernetesMode } : {}),
        }),
      );
      const { unmount } = renderPage(<ClusterListPage />, { path: '/', url: '/' });
      await screen.findByText('Production');
      await waitFor(() => expect(bff.requests.some((r) => r.path === '/api/session')).toBe(true));
      if (kubernetesMode) {
        const link = await screen.findByRole('link', { name: 'New RayCluster' });
        expect(link.getAttribute('href')).toBe('/kubernetes/new-cluster');
      } else {
        expect(screen.queryByRole('link', { name: 'New RayCluster' })).toBeNull();
      }
      unmount();
    }
  });
});
