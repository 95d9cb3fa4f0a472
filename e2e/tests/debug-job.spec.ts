import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { ConsoleJobs, DEBUG_JOB_BOOM, DEBUG_JOB_UNOBTAINABLE } from '../support/ray-jobs';
import { RAY_VERSION } from '../../scripts/lib/paths.mjs';

const rayVersion = process.env.RAY_VERSION ?? RAY_VERSION;
/**
 * Ray 2.52's State API reads worker and node logs through the node's agent without the cluster's token,
 * so on a token-protected 2.52 head no such log can be read (docs/ray-debugging-behaviour.md): there the
 * log page must say so, and which version can, instead of showing an error.
 */
const logsReadable = Number(rayVersion.split('.')[1]) >= 53;

test.beforeEach(async ({ page, tokenPrompt, rayHead }) => {
  await page.goto('/clusters/default');
  await tokenPrompt.signIn(rayHead.token);
  await expect(page.getByRole('heading', { name: 'Resources' })).toBeVisible();
});

test('from the job list, two clicks reach the failing task’s traceback and the worker’s log line with the exception', async ({
  page,
  jobsPage,
  jobDebug,
  logPage,
}) => {
  const id = `e2e_fail_${Date.now()}`;
  const jobs = new ConsoleJobs(page.request);
  await jobs.submitDebugJob('fail', id);
  await expect.poll(() => jobs.status(id), { timeout: 90_000 }).toBe('FAILED');

  await jobsPage.open('default');
  await jobsPage.search(id);
  // Click 1: the job. Its page leads with the first failure, in plain words, with the traceback.
  await jobsPage.row(id).getByRole('link', { name: id }).click();
  await expect(jobDebug.firstFailure()).toContainText('A task raised an exception.');
  await expect(jobDebug.firstFailure()).toContainText('ValueError');
  await expect(jobDebug.traceback()).toContainText('e2e boom on item 3');
  // Ray's traceback: the frames of the task down to the function that raised.
  await expect(jobDebug.traceback()).toContainText('in parse_item');

  // The progress counts each task once, by function: 40 squares finished, one divide failed.
  await expect(jobDebug.taskGroup('square')).toContainText('40');
  await expect(jobDebug.taskGroup('divide')).toBeVisible();
  await expect(jobDebug.progress()).toContainText(/Failed: [1-9]/);
  expect(await seriousViolations(page)).toEqual([]);

  // Click 2: the worker's log, opened at the line with the exception.
  await jobDebug.openLogAtException().click();
  await expect(page).toHaveURL(/\/logs\/view\?/);
  if (logsReadable) {
    await expect(logPage.currentLine()).toContainText(DEBUG_JOB_BOOM);
    await expect(logPage.matchCount()).toHaveText(/^1 of \d+$/);
  } else {
    await expect(logPage.unsupported()).toContainText(`Ray ${rayVersion} cannot read`);
  }
  expect(await seriousViolations(page)).toEqual([]);
  // Back on the job, its failures section lists the failed task with where it ran.
  await page.goBack();
  await jobDebug.section('Failures').click();
  await expect(page).toHaveURL(/\?tab=failures$/);
  await expect(jobDebug.failedTasks()).toContainText('divide');
  await expect(jobDebug.failedTasks()).toContainText('e2e boom on item 3');
  await expect(jobDebug.failedTasks()).toContainText(/pid \d+/);
  expect(await seriousViolations(page)).toEqual([]);
});

test('a job waiting for a resource no node has says so, and what it waits for', async ({
  page,
  jobsPage,
  jobDebug,
}) => {
  const id = `e2e_stuck_${Date.now()}`;
  const jobs = new ConsoleJobs(page.request);
  await jobs.submitDebugJob('stuck', id);
  try {
    await jobsPage.open('default');
    await jobsPage.search(id);
    await jobsPage.row(id).getByRole('link', { name: id }).click();
    // The page says, without being asked, that a task waits for a resource no node has.
    await expect(jobDebug.stuckCallout()).toContainText(DEBUG_JOB_UNOBTAINABLE, { timeout: 60_000 });
    await jobDebug.section('Waiting').click();
    await expect(jobDebug.waitingTasks()).toContainText('needs_unobtainium');
    await expect(jobDebug.waitingTasks()).toContainText(DEBUG_JOB_UNOBTAINABLE);
    await expect(jobDebug.infeasible()).toContainText(DEBUG_JOB_UNOBTAINABLE);
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await jobs.stop(id);
  }
});

test('a job’s actors: state, why each died, and its log', async ({ page, jobsPage, jobDebug, logPage }) => {
  const id = `e2e_actors_${Date.now()}`;
  const jobs = new ConsoleJobs(page.request);
  await jobs.submitDebugJob('actors', id);
  await expect.poll(() => jobs.status(id), { timeout: 90_000 }).toBe('SUCCEEDED');

  await jobsPage.open('default');
  await jobsPage.search(id);
  await jobsPage.row(id).getByRole('link', { name: id }).click();
  await jobDebug.section('Actors').click();
  await expect(jobDebug.actorRow('Broken')).toContainText('DEAD');
  await expect(jobDebug.actorRow('Counter')).toContainText('DEAD');
  expect(await seriousViolations(page)).toEqual([]);

  // The failures section says why each died: the exception in __init__, and the kill.
  await jobDebug.section('Failures').click();
  await expect(jobDebug.deadActors()).toContainText('e2e actor init boom');
  await expect(jobDebug.deadActors()).toContainText('Counter');
  expect(await seriousViolations(page)).toEqual([]);

  // The actor's log, opened from its row, holds the exception of its __init__.
  await jobDebug.section('Actors').click();
  await jobDebug
    .actorRow('Broken')
    .getByRole('link', { name: /^Log of Broken/ })
    .click();
  if (logsReadable) await expect(logPage.lines()).toContainText('e2e actor init boom');
  else await expect(logPage.unsupported()).toContainText(`Ray ${rayVersion} cannot read`);
});

test('the cluster pages: node usage with charts, logs by node opened in the viewer, Serve', async ({
  page,
  logPage,
}) => {
  await expect(page.getByTestId('node-usage')).toBeVisible();
  await expect(page.getByRole('img', { name: /^CPU of / }).first()).toBeVisible();
  await expect(page.getByTestId('autoscaler')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByTestId('log-groups')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter file names' }).fill('raylet.out');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'raylet.out', exact: true }).click();
  // The viewer opens at the end of the file; on a head that has run a while (a loaded machine), that end
  // is only the raylet's periodic [state-dump] lines, so either is raylet.out's own text.
  if (logsReadable) await expect(logPage.lines()).toContainText(/raylet|\[state-dump\]/);
  else await expect(logPage.unsupported()).toContainText(`Ray ${rayVersion} cannot read`);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Serve' }).click();
  await expect(page.getByTestId('serve-not-running')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
