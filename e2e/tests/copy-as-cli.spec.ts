import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '../support/fixtures';

// "Copy as CLI" as a user meets it: the command the dialog shows is pasted into a real shell, where
// Ray's own CLI submits it to the real head. It must be one command (nothing in the entrypoint runs
// on the user's machine), name the cluster's real dashboard address, and run the same entrypoint.

// Shell syntax of every kind: quotes, `;`, `|`, `$((…))`, `$(…)`, a subshell and a redirection. Pasted
// unquoted, the part after `;` would run here and write paste-only/canary, a folder that exists only
// where the command is pasted; on the head (whose working folder has none) the job prints "done".
const ENTRYPOINT =
  'echo "cli;ran" $((6*7)) $(echo sub) | tr a-z A-Z; (echo done > paste-only/canary) 2>/dev/null || echo done';

test.beforeEach(async ({ page, tokenPrompt, rayHead }) => {
  await page.goto('/clusters/default');
  await tokenPrompt.signIn(rayHead.token);
  await expect(page.getByRole('heading', { name: 'Resources' })).toBeVisible();
});

test('the copied ray job submit line, pasted into bash, submits the same job to the real head', async ({
  page,
  submitForm,
  jobDetail,
  rayHead,
}) => {
  const id = `cli_${Date.now()}`;
  await page.goto('/clusters/default/jobs/new');
  await submitForm.entrypoint().fill(ENTRYPOINT);
  await submitForm.submissionId().fill(id);
  await page.getByRole('button', { name: 'Copy as CLI' }).click();
  const command = (await page.getByTestId('cli-command').textContent()) ?? '';
  expect(command).toContain(`--address ${rayHead.dashboardUrl} `);
  await expect(page.getByTestId('cli-address-note')).toHaveCount(0);

  const pasteDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-paste-'));
  mkdirSync(path.join(pasteDir, 'paste-only'));
  try {
    const rayCli = process.env.E2E_RAY_CLI!;
    await promisify(execFile)('/bin/bash', ['-c', command], {
      cwd: pasteDir,
      env: {
        PATH: `${path.dirname(rayCli)}:${process.env.PATH ?? ''}`,
        HOME: pasteDir,
        RAY_AUTH_TOKEN: rayHead.token,
        RAY_USAGE_STATS_ENABLED: '0',
      },
      timeout: 120_000,
    });
    // Nothing of the entrypoint ran here.
    expect(readdirSync(path.join(pasteDir, 'paste-only'))).toEqual([]);
  } finally {
    rmSync(pasteDir, { recursive: true, force: true });
  }

  // The job ran on the head, and did what the entrypoint says.
  await page.goto(`/clusters/default/jobs/${id}`);
  await expect(jobDetail.status()).toHaveText('SUCCEEDED', { timeout: 60_000 });
  await expect(jobDetail.logLines()).toContainText('CLI;RAN 42 SUB');
  await expect(jobDetail.logLines()).toContainText('done');
});
