import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiErrorBody, RayClusterProgress } from '@ray-console/shared';
import { answer, fakeBff } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { RayClusterPage } from './raycluster-page';

const API = '/api/kubernetes/rayclusters/team-a/demo';

/** A cluster whose head Pod cannot be pulled, as the BFF summarises it (raycluster-progress.ts). */
const stuck = (over: Partial<RayClusterProgress> = {}): RayClusterProgress => ({
  namespace: 'team-a',
  name: 'demo',
  clusterId: 'k8s~team-a~demo',
  ready: false,
  summary: {
    code: 'imagePull',
    params: {
      pod: 'demo-head-w2c5t',
      role: 'head',
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image',
      image: 'rayproject/ray:2.99.0',
    },
    text: 'Waiting for the head Pod demo-head-w2c5t: its image rayproject/ray:2.99.0 cannot be pulled (ErrImagePull).',
  },
  conditions: [
    { type: 'HeadPodReady', status: 'False', reason: 'Unknown' },
    {
      type: 'RayClusterProvisioned',
      status: 'False',
      reason: 'RayClusterPodsProvisioning',
      message: 'RayCluster Pods are being provisioned for first time',
    },
  ],
  workers: { desired: 1, ready: 0 },
  pods: [
    {
      name: 'demo-head-w2c5t',
      role: 'head',
      group: 'headgroup',
      phase: 'pending',
      ready: false,
      node: 'node-1',
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image',
      container: 'ray-head',
      image: 'rayproject/ray:2.99.0',
      restarts: 0,
    },
    {
      name: 'demo-workergroup-worker-fkv96',
      role: 'worker',
      group: 'workergroup',
      phase: 'pending',
      ready: false,
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
      restarts: 0,
    },
  ],
  events: [
    {
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
      object: { kind: 'Pod', name: 'demo-workergroup-worker-fkv96' },
      source: 'default-scheduler',
      count: 4,
      lastSeen: '2026-11-30T23:18:05.000Z',
    },
    {
      type: 'Normal',
      reason: 'CreatedHeadPod',
      message: 'Created head Pod team-a/demo-head-w2c5t',
      object: { kind: 'RayCluster', name: 'demo' },
      source: 'raycluster-controller',
      count: 1,
    },
  ],
  can: { delete: true },
  ...over,
});

const open = () =>
  renderPage(<RayClusterPage />, {
    path: '/kubernetes/rayclusters/:namespace/:name',
    url: '/kubernetes/rayclusters/team-a/demo',
  });

describe("a RayCluster's Kubernetes page", () => {
  it('says in one sentence what the cluster waits for, with its conditions, Pods and Events', async () => {
    const bff = fakeBff();
    bff.on('GET', API, () => answer(RayClusterProgress, stuck()));
    open();
    expect((await screen.findByRole('status')).textContent).toBe(
      'Waiting for the head Pod demo-head-w2c5t: its image rayproject/ray:2.99.0 cannot be pulled (ErrImagePull).',
    );
    expect(document.title).toBe('RayCluster demo · Ray Console');
    const pods = within(screen.getByRole('region', { name: 'Pods' }));
    const head = pods.getByRole('row', { name: /demo-head-w2c5t/ });
    expect(head.textContent).toContain('ErrImagePull');
    expect(head.textContent).toContain('(ray-head)');
    expect(pods.getByRole('row', { name: /worker-fkv96/ }).textContent).toContain('0/3 nodes are available');
    const conditions = within(screen.getByRole('region', { name: 'Conditions' }));
    expect(conditions.getByRole('row', { name: /RayClusterProvisioned/ }).textContent).toContain(
      'RayClusterPodsProvisioning',
    );
    const events = within(screen.getByRole('region', { name: 'Events' })).getAllByRole('row');
    expect(events[1]!.textContent).toContain('FailedScheduling');
    // Not ready: no way into the cluster's pages yet, and the page says it keeps reading.
    expect(screen.queryByRole('link', { name: 'Open the cluster' })).toBeNull();
    expect(screen.getByText('Read again every 3 seconds until it is ready.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download YAML' }).getAttribute('href')).toBe(`${API}/yaml`);
  });

  it('without the right to list Pods, says what was refused to whom, and keeps the rest', async () => {
    const bff = fakeBff();
    const refusal = {
      verb: 'list',
      resource: 'pods',
      user: 'viewer',
      message: 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "team-a"',
    };
    bff.on('GET', API, () =>
      answer(
        RayClusterProgress,
        stuck({
          pods: undefined,
          podsRefused: refusal,
          summary: {
            code: 'provisioning',
            params: {
              reason: 'RayClusterPodsProvisioning',
              message: 'RayCluster Pods are being provisioned for first time',
            },
            text: 'Not ready yet: RayCluster Pods are being provisioned for first time.',
          },
          can: { delete: false },
        }),
      ),
    );
    open();
    expect((await screen.findByRole('status')).textContent).toBe(
      'Not ready yet: RayCluster Pods are being provisioned for first time',
    );
    const pods = screen.getByRole('region', { name: 'Pods' });
    expect(pods.textContent).toContain('the API server does not let viewer list pods in this namespace');
    expect(pods.textContent).toContain('cannot list resource "pods"');
    // The person may not delete it: no button to try.
    expect(screen.queryByRole('button', { name: 'Delete RayCluster' })).toBeNull();
  });
});

describe('deleting a RayCluster', () => {
  it('is possible only once the name is typed exactly, then goes back to the cluster list', async () => {
    const bff = fakeBff();
    bff.on('GET', API, () => answer(RayClusterProgress, stuck()));
    bff.on('DELETE', API, () => new Response(null, { status: 204 }));
    const user = userEvent.setup();
    open();
    await user.click(await screen.findByRole('button', { name: 'Delete RayCluster' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the RayCluster demo?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete RayCluster' }) as HTMLButtonElement;
    const field = within(dialog).getByLabelText('Type the cluster’s name, demo, to confirm');
    expect(confirm.disabled).toBe(true);
    await user.type(field, 'dem');
    expect(confirm.disabled).toBe(true);
    await user.type(field, 'o ');
    expect(confirm.disabled).toBe(true);
    await user.type(field, '{Backspace}');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() => expect(currentUrl.pathname).toBe('/'));
    const sent = bff.requests.find((r) => r.method === 'DELETE')!;
    expect(sent.body).toEqual({ confirmName: 'demo' });
    expect(sent.headers.get('X-CSRF-Token')).toBe('csrf-test');
  });

  it('shows the API server’s refusal in the dialog and stays on the page', async () => {
    const bff = fakeBff();
    bff.on('GET', API, () => answer(RayClusterProgress, stuck()));
    // As the PersonKube door words a 403 (server/src/kubernetes/person-kube-errors.ts).
    bff.on('DELETE', API, () =>
      answer(
        ApiErrorBody,
        {
          error: {
            code: 'kube_forbidden',
            message:
              'viewer may not delete rayclusters.ray.io "demo" in namespace team-a. The API server said: rayclusters.ray.io "demo" is forbidden: User "viewer" cannot delete resource "rayclusters" in API group "ray.io" in the namespace "team-a".',
            params: {
              verb: 'delete',
              resource: 'rayclusters.ray.io',
              namespace: 'team-a',
              name: 'demo',
              user: 'viewer',
            },
          },
        },
        403,
      ),
    );
    const user = userEvent.setup();
    open();
    await user.click(await screen.findByRole('button', { name: 'Delete RayCluster' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the RayCluster demo?' });
    await user.type(within(dialog).getByRole('textbox'), 'demo');
    await user.click(within(dialog).getByRole('button', { name: 'Delete RayCluster' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(
      'Kubernetes refused this: viewer may not delete rayclusters.ray.io in namespace team-a.',
    );
    expect(alert.textContent).toContain('cannot delete resource "rayclusters" in API group "ray.io"');
    expect(currentUrl.pathname).toBe('/kubernetes/rayclusters/team-a/demo');
  });

  it('without a Kubernetes identity, says how to get one and links to the identity page', async () => {
    const bff = fakeBff();
    bff.on('GET', API, () =>
      answer(
        ApiErrorBody,
        {
          error: {
            code: 'kube_identity_required',
            message:
              'Paste a Kubernetes token first (Kubernetes identity page): the console acts on Kubernetes with it.',
            params: { mode: 'token' },
          },
        },
        401,
      ),
    );
    open();
    expect((await screen.findByRole('alert')).textContent).toContain('Paste a Kubernetes token first');
    expect(screen.getByRole('link', { name: 'Your Kubernetes identity' }).getAttribute('href')).toBe(
      '/kubernetes/identity',
    );
  });
});
