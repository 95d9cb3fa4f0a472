import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ClusterList,
  RayServiceList,
  RayServiceView,
  RayServiceYaml,
  type RayServiceView as View,
} from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { RayServicePage } from './rayservice-page';
import { RayServicesPage } from './rayservices-page';

const service: View = {
  namespace: 'team-a',
  name: 'fruit',
  serviceStatus: 'Running',
  ready: true,
  upgradeInProgress: true,
  suspended: false,
  conditions: [
    { type: 'Ready', status: 'True', reason: 'NonZeroServeEndpoints' },
    { type: 'UpgradeInProgress', status: 'True', reason: 'BothActivePendingClustersExist' },
  ],
  active: {
    name: 'fruit-raycluster-6mj28',
    clusterId: 'k8s~team-a~fruit-raycluster-6mj28',
    applications: [
      {
        name: 'fruit_app',
        status: 'DEPLOY_FAILED',
        message: 'Deploying app fruit_app failed.',
        deployments: [{ name: 'FruitMarket', status: 'UNHEALTHY', message: 'The deployment failed to start.' }],
      },
    ],
  },
  pending: {
    name: 'fruit-raycluster-pd7xq',
    clusterId: 'k8s~team-a~fruit-raycluster-pd7xq',
    applications: [{ name: 'fruit_app', status: 'DEPLOYING', deployments: [] }],
  },
};

/** The console knows the active cluster (discovery found it), not the pending one yet. */
function withClusters() {
  const bff = fakeBff();
  bff.on('GET', '/api/clusters', () =>
    answer(ClusterList, [
      { id: 'k8s~team-a~fruit-raycluster-6mj28', displayName: 'team-a/fruit', authMode: 'token', signedIn: false },
    ]),
  );
  return bff;
}

describe('the RayServices list', () => {
  it('lists each service with its state, clusters and applications, and names namespaces it could not list', async () => {
    const bff = withClusters();
    bff.on('GET', '/api/kubernetes/rayservices', () =>
      answer(RayServiceList, {
        items: [service],
        namespaces: ['team-a', 'team-b'],
        problems: [{ namespace: 'team-b', message: 'User "alice" cannot list resource "rayservices".' }],
      }),
    );
    const user = userEvent.setup();
    renderPage(<RayServicesPage />, { path: '/kubernetes/rayservices', url: '/kubernetes/rayservices' });
    const row = (await screen.findByRole('link', { name: 'fruit' })).closest('tr')!;
    expect(within(row).getByText('Ready')).toBeTruthy();
    expect(within(row).getByText('Upgrading')).toBeTruthy();
    expect((await within(row).findByRole('link', { name: 'fruit-raycluster-6mj28' })).getAttribute('href')).toBe(
      '/clusters/k8s~team-a~fruit-raycluster-6mj28',
    );
    // Not discovered (yet): named, not linked.
    expect(within(row).queryByRole('link', { name: 'fruit-raycluster-pd7xq' })).toBeNull();
    expect(within(row).getByText('DEPLOY_FAILED')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('RayServices in team-b cannot be listed');

    await user.type(screen.getByLabelText('Namespace'), 'team-c{Enter}');
    expect(currentUrl.search.get('namespace')).toBe('team-c');
    await waitFor(() =>
      expect(
        bff.requests.some((r) => r.path === '/api/kubernetes/rayservices' && r.search.get('namespace') === 'team-c'),
      ).toBe(true),
    );
  });

  it('shows the API server’s refusal as it is', async () => {
    const bff = withClusters();
    bff.on('GET', '/api/kubernetes/rayservices', () =>
      error(
        403,
        'forbidden',
        'User "bob" cannot list resource "rayservices" in API group "ray.io" in the namespace "x".',
      ),
    );
    renderPage(<RayServicesPage />, { path: '/kubernetes/rayservices', url: '/kubernetes/rayservices?namespace=x' });
    expect((await screen.findByRole('alert')).textContent).toContain('cannot list resource "rayservices"');
  });
});

describe('a RayService', () => {
  it('shows the conditions, the active and pending clusters and every application’s deployments, and exports YAML', async () => {
    const bff = withClusters();
    bff.on('GET', '/api/kubernetes/rayservices/team-a/fruit', () => answer(RayServiceView, service));
    bff.on('GET', '/api/kubernetes/rayservices/team-a/fruit/yaml', () =>
      answer(RayServiceYaml, { yaml: 'apiVersion: ray.io/v1\nkind: RayService\n' }),
    );
    const user = userEvent.setup();
    renderPage(<RayServicePage />, {
      path: '/kubernetes/rayservices/:namespace/:name',
      url: '/kubernetes/rayservices/team-a/fruit',
    });
    const conditions = await screen.findByRole('table', { name: 'Conditions' });
    expect(within(conditions).getByText('BothActivePendingClustersExist')).toBeTruthy();
    const active = screen.getByRole('region', { name: /Active cluster/ });
    expect(await within(active).findByRole('link', { name: 'fruit-raycluster-6mj28' })).toBeTruthy();
    const app = within(active).getByRole('region', { name: 'Application fruit_app' });
    expect(within(app).getByText('Deploying app fruit_app failed.')).toBeTruthy();
    expect(
      within(app).getByRole('row', { name: /FruitMarket UNHEALTHY The deployment failed to start./ }),
    ).toBeTruthy();
    const pending = screen.getByRole('region', { name: /Pending cluster/ });
    expect(within(pending).getByText('DEPLOYING')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Export as YAML' }));
    expect((await screen.findByLabelText('Manifest of fruit')).textContent).toBe(
      'apiVersion: ray.io/v1\nkind: RayService\n',
    );
  });
});
