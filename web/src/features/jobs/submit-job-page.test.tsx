import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { JobSubmitResponse, SessionInfo } from '@ray-console/shared';
import { answer, error, fakeBff } from '../../test/fake-bff';
import { currentUrl, renderPage } from '../../test/render-page';
import { SubmitJobPage } from './submit-job-page';

function consoleForSubmit(submit: () => Response) {
  const bff = fakeBff();
  bff.on('GET', '/api/session', () =>
    answer(SessionInfo, { csrfToken: 'csrf-test', clusters: [{ id: 'c1', signedIn: true, rayVersion: '2.60.0' }] }),
  );
  bff.on('POST', '/api/clusters/c1/jobs', submit);
  const submits = () => bff.requests.filter((r) => r.method === 'POST' && r.path === '/api/clusters/c1/jobs');
  return { submits };
}

const open = () =>
  renderPage(<SubmitJobPage />, { path: '/clusters/:clusterId/jobs/new', url: '/clusters/c1/jobs/new' });
const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement;

describe('the submit form', () => {
  it('says what to change before sending anything: an empty entrypoint, a bad id, JSON that is not JSON', async () => {
    const { submits } = consoleForSubmit(() => answer(JobSubmitResponse, { submissionId: 'unused' }));
    const user = userEvent.setup();
    open();
    await user.type(field('Submission id (optional)'), 'my job!');
    await user.click(field('Runtime environment (JSON)'));
    await user.paste('{"pip": [');
    await user.click(screen.getByRole('button', { name: 'Submit job' }));

    expect(screen.getByText('Enter the command to run, for example python script.py.')).toBeTruthy();
    expect(field('Entrypoint').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Use letters, digits, "_" and "-" only/)).toBeTruthy();
    expect(screen.getByText(/This is not valid JSON/)).toBeTruthy();
    expect(submits()).toHaveLength(0);
  });

  it('keeps everything the user typed when the BFF refuses the job (400), and shows its message at the field', async () => {
    const { submits } = consoleForSubmit(() =>
      error(400, 'validation', 'The job request is not valid.', {
        submissionId: 'A job with the id nightly-etl already exists on this cluster; pick another id.',
      }),
    );
    const user = userEvent.setup();
    open();
    await user.type(field('Entrypoint'), 'python etl.py --day 2026-11-30');
    await user.type(field('Submission id (optional)'), 'nightly-etl');
    await user.click(screen.getByRole('button', { name: 'Add environment variable' }));
    await user.type(field('Environment variable name 1'), 'MODE');
    await user.type(field('Environment variable value 1'), 'full');
    await user.click(field('Runtime environment (JSON)'));
    await user.paste('{"pip": ["requests==2.32.3"]}');
    await user.type(field('CPUs'), '2');
    await user.click(screen.getByRole('button', { name: 'Submit job' }));

    expect(await screen.findByText(/already exists on this cluster/)).toBeTruthy();
    expect(submits()).toHaveLength(1);
    expect(submits()[0]!.body).toMatchObject({
      entrypoint: 'python etl.py --day 2026-11-30',
      submissionId: 'nightly-etl',
      runtimeEnv: { pip: ['requests==2.32.3'], env_vars: { MODE: 'full' } },
      entrypointNumCpus: 2,
    });
    expect(field('Entrypoint').value).toBe('python etl.py --day 2026-11-30');
    expect(field('Submission id (optional)').value).toBe('nightly-etl');
    expect(field('Environment variable name 1').value).toBe('MODE');
    expect(field('Environment variable value 1').value).toBe('full');
    expect(field('Runtime environment (JSON)').value).toBe('{"pip": ["requests==2.32.3"]}');
    expect(field('CPUs').value).toBe('2');
    expect(currentUrl.pathname).toBe('/clusters/c1/jobs/new');
  });

  it('opens the new job’s page once the BFF has accepted it', async () => {
    consoleForSubmit(() => answer(JobSubmitResponse, { submissionId: 'raysubmit_abc' }));
    const user = userEvent.setup();
    open();
    await user.type(field('Entrypoint'), 'python main.py');
    await user.click(screen.getByRole('button', { name: 'Submit job' }));
    await waitFor(() => expect(currentUrl.pathname).toBe('/clusters/c1/jobs/raysubmit_abc'));
  });
});
