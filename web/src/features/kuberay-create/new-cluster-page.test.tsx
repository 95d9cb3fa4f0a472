import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiErrorBody, RayClusterCreated, RayClusterPreview } from '@ray-console/shared';
import { answer, fakeBff, type SeenRequest } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { NewClusterPage } from './new-cluster-page';

const created = (dryRun: boolean) => ({
  namespace: 'team-a',
  name: 'demo',
  clusterId: 'k8s~team-a~demo',
  dryRun,
  user: 'alice',
});

function consoleForCreate(onCreate: (request: SeenRequest) => Response) {
  const bff = fakeBff();
  bff.on('POST', '/api/kubernetes/rayclusters', onCreate);
  bff.on('POST', '/api/kubernetes/rayclusters/preview', () =>
    answer(RayClusterPreview, { yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: demo\n' }),
  );
  const creates = () => bff.requests.filter((r) => r.path === '/api/kubernetes/rayclusters');
  return { creates };
}

const open = () =>
  renderPage(<NewClusterPage />, { path: '/kubernetes/new-cluster', url: '/kubernetes/new-cluster?namespace=team-a' });
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const errorOf = (label: string) => {
  const el = input(label);
  return el.getAttribute('aria-invalid') === 'true'
    ? document.getElementById(`${el.id}-error`)?.textContent
    : undefined;
};

async function fill(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  await user.clear(input(label));
  if (text) await user.type(input(label), text);
}

describe('the New RayCluster page', () => {
  it('says on each input what to change before sending anything', async () => {
    const { creates } = consoleForCreate(() => answer(RayClusterCreated, created(true)));
    const user = userEvent.setup();
    open();
    expect(input('Namespace').value).toBe('team-a');
    await fill(user, 'Name', '1demo');
    await fill(user, 'Ray version', '2.51.0');
    const headCpu = within(screen.getByRole('group', { name: 'Head node' })).getByLabelText('CPU');
    await user.clear(headCpu);
    await user.type(headCpu, '-1');
    await user.click(screen.getByRole('radio', { name: 'Autoscaling' }));
    await fill(user, 'Minimum workers', '3');
    await fill(user, 'Maximum workers', '2');
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));

    expect(errorOf('Name')).toMatch(/starting with a letter/);
    expect(errorOf('Ray version')).toBe('Token authentication needs Ray 2.52.0 or later: choose a newer version.');
    expect(headCpu.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(`${headCpu.id}-error`)?.textContent).toBe(
      'Give a positive number of CPUs, like "1" or "500m".',
    );
    expect(errorOf('Maximum workers')).toBe('The maximum must be at least the minimum (3).');
    expect(creates()).toHaveLength(0);
  });

  it("shows the dry run's refusals on the inputs they concern, and the others on the YAML", async () => {
    const { creates } = consoleForCreate(() =>
      answer(
        ApiErrorBody,
        {
          error: {
            code: 'validation',
            message: 'The API server refused rayclusters.ray.io "demo" in namespace team-a as invalid.',
            fields: {
              'form.worker.memory': 'quantities must match the regular expression',
              'spec.headGroupSpec.rayStartParams': 'Unsupported value: "x"',
            },
          },
        },
        400,
      ),
    );
    const user = userEvent.setup();
    open();
    await fill(user, 'Name', 'demo');
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));

    await waitFor(() => expect(creates()).toHaveLength(1));
    expect(creates()[0]!.body).toMatchObject({
      dryRun: true,
      form: {
        name: 'demo',
        namespace: 'team-a',
        rayVersion: '2.53.0',
        auth: 'authOptions',
        worker: { scaling: { mode: 'fixed', replicas: 1 } },
      },
    });
    const memory = within(screen.getByRole('group', { name: 'Workers' })).getByLabelText('Memory');
    await waitFor(() => expect(memory.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(`${memory.id}-error`)?.textContent).toMatch(/regular expression/);
    const yamlProblems = screen.getByRole('alert', { name: 'What to change in the YAML' });
    expect(yamlProblems.textContent).toContain('spec.headGroupSpec.rayStartParams');
  });

  it('offers the Secret way when the operator does not know authOptions, and sends it', async () => {
    let first = true;
    const { creates } = consoleForCreate(() => {
      if (!first) return answer(RayClusterCreated, created(true));
      first = false;
      return answer(
        ApiErrorBody,
        {
          error: {
            code: 'validation',
            message: 'KubeRay does not know spec.authOptions.',
            fields: { 'form.auth': 'KubeRay does not know spec.authOptions.' },
            params: { unsupported: 'authOptions' },
          },
        },
        400,
      );
    });
    const user = userEvent.setup();
    open();
    await fill(user, 'Name', 'demo');
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));
    await user.click(await screen.findByRole('button', { name: 'Use a Secret and environment variables' }));
    expect(
      (screen.getByRole('radio', { name: /A Secret and environment variables/ }) as HTMLInputElement).checked,
    ).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));
    expect(await screen.findByText(/The API server accepts this cluster from alice/)).toBeTruthy();
    expect(creates()[1]!.body).toMatchObject({ dryRun: true, form: { auth: 'secret-env' } });
  });

  it('sends the edited YAML instead of the form, and goes to the cluster list after the create', async () => {
    const { creates } = consoleForCreate(() => answer(RayClusterCreated, created(false), 201));
    const user = userEvent.setup();
    open();
    await fill(user, 'Name', 'demo');
    await user.click(screen.getByRole('button', { name: 'Preview YAML' }));
    const yaml = (await screen.findByLabelText('RayCluster YAML')) as HTMLTextAreaElement;
    await user.click(yaml);
    await user.keyboard('{Control>}{End}{/Control}');
    await user.paste('  labels:\n    team: a\n');
    expect(screen.getByText('Edited: Check and Create send this YAML.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(currentUrl.pathname).toBe('/'));
    expect(creates()).toHaveLength(1);
    expect(creates()[0]!.body).toEqual({
      dryRun: false,
      yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: demo\n  labels:\n    team: a\n',
    });
  });
});
