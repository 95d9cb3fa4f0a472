import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KubeIdentity, RayJobCreated, RayJobPreview, SessionInfo } from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { SubmitJobPage } from '../jobs/submit-job-page';

function consoleWith(identity: KubeIdentity) {
  const bff = fakeBff();
  bff.on('GET', '/api/session', () =>
    answer(SessionInfo, { csrfToken: 'csrf-test', clusters: [{ id: 'c1', signedIn: true, rayVersion: '2.60.0' }] }),
  );
  bff.on('GET', '/api/kubernetes/identity', () => answer(KubeIdentity, identity));
  return bff;
}

const open = () =>
  renderPage(<SubmitJobPage />, { path: '/clusters/:clusterId/jobs/new', url: '/clusters/c1/jobs/new' });
const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('submitting on a new cluster', () => {
  it('is offered only with a Kubernetes identity', async () => {
    consoleWith({ mode: 'none', configured: 'token', enable: 'paste_token' });
    open();
    await screen.findByRole('button', { name: 'Submit job' });
    expect(screen.queryByRole('radio', { name: 'A new cluster (RayJob)' })).toBeNull();
  });

  it('sends the job with the cluster spec as a RayJob: dry run, refusals on the fields, then create', async () => {
    const bff = consoleWith({ mode: 'kubeconfig', configured: 'kubeconfig', user: 'ana' });
    const posts: unknown[] = [];
    bff.on('POST', '/api/kubernetes/rayjobs/preview', () =>
      answer(RayJobPreview, { yaml: 'apiVersion: ray.io/v1\nkind: RayJob\n' }),
    );
    bff.on('POST', '/api/kubernetes/rayjobs', ({ body }) => {
      posts.push(body);
      const { dryRun } = body as { dryRun: boolean };
      if (posts.length === 1)
        return error(400, 'validation', 'The API server refused it.', {
          'form.cluster.head.memory': 'spec.rayClusterSpec.headGroupSpec...memory: Invalid value',
        });
      return answer(RayJobCreated, { namespace: 'team-a', name: 'train', dryRun, user: 'ana' }, dryRun ? 200 : 201);
    });
    const user = userEvent.setup();
    open();
    await user.click(await screen.findByRole('radio', { name: 'A new cluster (RayJob)' }));
    const part = await screen.findByRole('group', { name: 'The new cluster' });
    // The job part comes from the submit form above; until it has an entrypoint nothing can be sent.
    expect((within(part).getByRole('button', { name: 'Check (dry run)' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(field('Entrypoint'), 'python train.py');
    await user.type(field('RayJob name'), 'Train!');
    await user.type(within(part).getByLabelText('Namespace'), 'team-a');
    await user.click(within(part).getByRole('button', { name: 'Check (dry run)' }));
    expect(within(part).getByText(/starting with a letter, at most 47 characters/)).toBeTruthy();
    expect(posts).toHaveLength(0);

    await user.clear(field('RayJob name'));
    await user.type(field('RayJob name'), 'train');
    await user.clear(field('Retries allowed'));
    await user.type(field('Retries allowed'), '2');
    await user.click(within(part).getByRole('button', { name: 'Check (dry run)' }));
    expect(await within(part).findByText(/Invalid value/)).toBeTruthy();
    expect(field('Head memory').getAttribute('aria-invalid')).toBe('true');
    expect(posts[0]).toMatchObject({
      dryRun: true,
      form: {
        name: 'train',
        namespace: 'team-a',
        entrypoint: 'python train.py',
        backoffLimit: 2,
        shutdownAfterJobFinishes: true,
        ttlSecondsAfterFinished: 60,
        cluster: { auth: 'authOptions', rayVersion: '2.53.0', worker: { scaling: { mode: 'fixed', replicas: 1 } } },
      },
    });

    await user.click(within(part).getByRole('button', { name: 'Check (dry run)' }));
    await within(part).findByText(/accepts this RayJob as ana/);
    await user.click(within(part).getByRole('button', { name: 'Create RayJob' }));
    await waitFor(() => expect(currentUrl.pathname).toBe('/kubernetes/rayjobs/team-a/train'));
    expect(posts.at(-1)).toMatchObject({ dryRun: false, form: { name: 'train' } });
    // Nothing went to the cluster at hand.
    expect(bff.requests.filter((r) => r.path === '/api/clusters/c1/jobs')).toHaveLength(0);
  });
});
