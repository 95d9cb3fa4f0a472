import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RayJobDeleted, RayJobDetail, RayJobList, type RayJobSummary } from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { RayJobDetailPage } from './rayjob-detail-page';
import { RayJobsPage } from './rayjobs-page';

const summary = (over: Partial<RayJobSummary> = {}): RayJobSummary => ({
  namespace: 'team-a',
  name: 'train',
  createdAt: '2026-11-30T22:00:00Z',
  entrypoint: 'python train.py',
  deploymentStatus: 'Running',
  jobStatus: 'RUNNING',
  failed: 1,
  succeeded: 0,
  backoffLimit: 2,
  startTime: '2026-11-30T22:00:01Z',
  suspend: false,
  rayClusterName: 'train-x7k2p',
  jobId: 'train-x7k2p',
  clusterId: 'k8s~team-a~train-x7k2p',
  ...over,
});

const detail = (over: Partial<RayJobDetail> = {}): RayJobDetail => ({
  ...summary(),
  shutdownAfterJobFinishes: true,
  ttlSecondsAfterFinished: 60,
  tokenAuth: true,
  rayVersion: '2.52.0',
  permissions: { patch: true, delete: true },
  ...over,
});

const openList = (url: string) => renderPage(<RayJobsPage />, { path: '/kubernetes/rayjobs', url });
const openDetail = () =>
  renderPage(<RayJobDetailPage />, {
    path: '/kubernetes/rayjobs/:namespace/:name',
    url: '/kubernetes/rayjobs/team-a/train',
  });

describe('the RayJob list', () => {
  it('shows each RayJob as the operator reports it, links the Ray job in its cluster, and keeps the namespace in the URL', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/rayjobs', ({ search }) =>
      answer(RayJobList, {
        namespaces: [search.get('namespace') ?? 'default'],
        items: search.get('namespace')
          ? [
              summary(),
              summary({
                name: 'etl',
                deploymentStatus: 'Initializing',
                jobStatus: undefined,
                clusterId: undefined,
                jobId: undefined,
              }),
            ]
          : [],
      }),
    );
    const user = userEvent.setup();
    openList('/kubernetes/rayjobs');
    await screen.findByText('No RayJobs in default.');

    await user.type(screen.getByLabelText('Namespace'), 'team-a');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    const row = (await screen.findByRole('link', { name: 'train' })).closest('tr')!;
    expect(currentUrl.search.get('namespace')).toBe('team-a');
    expect(within(row).getByText('Running')).toBeTruthy();
    expect(within(row).getByText('1 failed, 0 succeeded (retries allowed: 2)')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'train-x7k2p' }).getAttribute('href')).toBe(
      '/clusters/k8s~team-a~train-x7k2p/jobs/train-x7k2p',
    );
    const pending = screen.getByRole('link', { name: 'etl' }).closest('tr')!;
    expect(within(pending).getByText('on train-x7k2p')).toBeTruthy();
    expect(within(pending).queryByRole('link', { name: /train-x7k2p/ })).toBeNull();
    expect(bff.requests.at(-1)!.search.get('namespace')).toBe('team-a');
  });
});

describe('a RayJob', () => {
  it('shows status, retries and settings, and no actions the person may not take', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/rayjobs/team-a/train', () =>
      answer(
        RayJobDetail,
        detail({ reason: 'AppFailed', message: 'Job failed', permissions: { patch: false, delete: false } }),
      ),
    );
    openDetail();
    await screen.findByRole('heading', { name: /train/ });
    expect(screen.getByText('AppFailed')).toBeTruthy();
    expect(screen.getByText('Job failed')).toBeTruthy();
    expect(screen.getByText('1 failed, 0 succeeded (retries allowed: 2)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'train-x7k2p' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Suspend' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.getByText(/may read this RayJob but not suspend or delete it/)).toBeTruthy();
  });

  it('suspends after saying what KubeRay will do, then offers resume; a refusal is shown with the verb', async () => {
    const bff = fakeBff();
    let current = detail();
    bff.on('GET', '/api/kubernetes/rayjobs/team-a/train', () => answer(RayJobDetail, current));
    bff.on('PATCH', '/api/kubernetes/rayjobs/team-a/train', ({ body }) => {
      current = detail({ suspend: (body as { suspend: boolean }).suspend, deploymentStatus: 'Suspending' });
      return answer(RayJobDetail, current);
    });
    const user = userEvent.setup();
    openDetail();
    await user.click(await screen.findByRole('button', { name: 'Suspend' }));
    const dialog = screen.getByRole('dialog', { name: 'Suspend train?' });
    expect(within(dialog).getByText(/deletes the RayJob's cluster/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }));
    await screen.findByRole('button', { name: 'Resume' });
    const patch = bff.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({ suspend: true });
    expect(patch.headers.get('X-CSRF-Token')).toBe('csrf-test');

    bff.on('PATCH', '/api/kubernetes/rayjobs/team-a/train', () =>
      error(
        403,
        'forbidden',
        'User "viewer" cannot patch resource "rayjobs" in API group "ray.io" in the namespace "team-a"',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot patch resource "rayjobs"/);
  });

  it('says why suspend is not possible when KubeRay would not do it', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/rayjobs/team-a/train', () =>
      answer(RayJobDetail, detail({ deploymentStatus: 'Complete', suspendBlocked: 'state' })),
    );
    openDetail();
    const button = await screen.findByRole('button', { name: 'Suspend' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/only while it is initializing or running/)).toBeTruthy();
  });

  it('deletes only after the name is typed', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/kubernetes/rayjobs/team-a/train', () => answer(RayJobDetail, detail()));
    bff.on('DELETE', '/api/kubernetes/rayjobs/team-a/train', () => answer(RayJobDeleted, { deleted: true }));
    const user = userEvent.setup();
    openDetail();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete train?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Type train to confirm'), 'trai');
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Type train to confirm'), 'n');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() => expect(currentUrl.pathname).toBe('/kubernetes/rayjobs'));
    expect(currentUrl.search.get('namespace')).toBe('team-a');
    expect(bff.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
