import { readFileSync } from 'node:fs';
import { seriousViolations } from '../support/axe';
import { discovered, expect, test } from '../support/kuberay-fixtures';
import { KUBERAY_NAMESPACE, KUBERAY_PERSON } from '../support/kuberay';
import { browserHoldsToken, recordUrls } from '../support/token-places';
import { wordsPattern } from '../support/words';

// The console runs with the kubeconfig of user `viewer` (local mode), who may work with RayClusters in
// one namespace (support/kuberay-global-setup.ts). The API server and the KubeRay operator are real; there
// is no kubelet, so Pods stay Pending.

/** A small token-protected RayCluster, as someone would write it for `kubectl apply -f`. */
const rayCluster = (name: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, namespace: KUBERAY_NAMESPACE },
  spec: {
    rayVersion: '2.60.0',
    authOptions: { mode: 'token' },
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.60.0' }] } },
    },
    workerGroupSpecs: [
      {
        groupName: 'workers',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.60.0' }] } },
      },
    ],
  },
});

test('a RayCluster created with kubectl is listed with what its spec and the operator say', async ({
  page,
  clusterList,
  kubeAdmin,
  journeyCluster,
  words,
}) => {
  const name = `kubectl-${journeyCluster}`;
  await kubeAdmin.create(rayCluster(name));
  await discovered(page.request, KUBERAY_NAMESPACE, name);

  await clusterList.open();
  const card = clusterList.discovered(KUBERAY_NAMESPACE, name);
  await expect(card).toBeVisible();
  await expect(card).toContainText(words('clusters', 'specAuth.token'));
  await expect(card).toContainText(words('clusters', 'card.rayVersion', { version: '2.60.0' }));
  // The operator's status, read by the console: one worker desired, none available (no kubelet).
  await expect(card).toContainText(words('clusters', 'card.workers', { available: 0, desired: 1 }));
  await expect(card).toContainText(words('clusters', 'card.notReady'));
});

test('create a token-protected RayCluster from the form, follow its progress, sign in as yourself, run a job and read its log', async ({
  page,
  clusterList,
  newRayCluster,
  rayClusterPage,
  tokenPrompt,
  overview,
  jobsPage,
  submitForm,
  jobDetail,
  kubeAdmin,
  journeyCluster: name,
  rayHead,
  words,
}) => {
  // Two waits here are on the cluster list's own 15 s refresh (after the create and after the delete) and
  // one on a real Ray job: more than the default 90 s on a busy machine.
  test.setTimeout(180_000);
  const urls = recordUrls(page);
  const namespace = KUBERAY_NAMESPACE;

  // The form, from the cluster list: the defaults ask for KubeRay's authOptions (the operator makes the token).
  await clusterList.open();
  await page.getByRole('link', { name: words('clusters', 'list.newCluster') }).click();
  await expect(newRayCluster.heading()).toBeVisible();
  await expect(newRayCluster.authOptions()).toBeChecked();
  await newRayCluster.fill({
    name,
    namespace,
    rayVersion: '2.51.0',
    head: { cpu: '2', memory: '4Gi' },
    worker: { cpu: '1', memory: '2Gi', replicas: '1' },
  });
  // A Ray without token authentication is refused on its field, before anything is sent.
  await newRayCluster.dryRun();
  await expect(page.getByText(words('kuberayCreate', 'errors.versionTooOld'))).toBeVisible();
  await newRayCluster.field('rayVersion').fill('2.60.0');

  // The YAML it stands for, editable: what the real API server's schema refuses in a dry run is named by
  // its path under the YAML; the form's YAML again passes.
  await newRayCluster.preview();
  await expect(newRayCluster.yaml()).toHaveValue(/authOptions:\s+mode: token/);
  await expect(newRayCluster.yaml()).toHaveValue(/rayVersion: 2\.60\.0/);
  expect(await seriousViolations(page)).toEqual([]);
  await newRayCluster
    .yaml()
    .fill((await newRayCluster.yaml().inputValue()).replace('replicas: 1\n', 'replicas: two\n'));
  await newRayCluster.dryRun();
  await expect(newRayCluster.yamlProblems()).toContainText('spec.workerGroupSpecs[0].replicas');
  await newRayCluster.yamlFromForm();
  await expect(newRayCluster.yaml()).toHaveValue(/replicas: 1\n/);

  // The dry run: the API server accepts it from the person, and stores nothing.
  await newRayCluster.dryRun();
  await expect(newRayCluster.dryRunResult()).toHaveText(words('kuberayCreate', 'dryRun.ok', { user: KUBERAY_PERSON }));
  expect(await kubeAdmin.get('RayCluster', namespace, name)).toBeUndefined();

  // Create: the person lands on the cluster list, where discovery shows the cluster with the operator's
  // progress. The list refreshes every 15 s by itself, so the card may take that long to come.
  await newRayCluster.create();
  await expect(clusterList.heading()).toBeVisible();
  const card = clusterList.discovered(namespace, name);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText(words('clusters', 'specAuth.token'));
  await expect(card).toContainText(words('clusters', 'card.workers', { available: 0, desired: 1 }));
  // There is no scheduler or kubelet here: the head Pod the operator made waits for a node.
  const waitingForANode = wordsPattern(words, 'kuberayCluster', 'summary.notScheduled', { role: 'head', pod: '(.+)' });
  await expect(card.getByText(waitingForANode)).toBeVisible();

  // What the API server holds is what the form said.
  const created = await kubeAdmin.get<{ spec: Record<string, unknown> }>('RayCluster', namespace, name);
  expect(created?.spec).toMatchObject({ rayVersion: '2.60.0', authOptions: { mode: 'token' } });

  // Its Kubernetes page: the operator's real conditions, and the Pods it made, Pending.
  await card.getByRole('link', { name: words('kuberayCluster', 'list.kubernetes') }).click();
  await expect(rayClusterPage.heading(name)).toBeVisible();
  await expect(rayClusterPage.summary(name)).toHaveText(waitingForANode);
  await expect(rayClusterPage.condition('HeadPodReady')).toContainText('False');
  await expect(rayClusterPage.condition('RayClusterProvisioned')).toContainText('False');
  await expect(rayClusterPage.headPod()).toContainText(words('kuberayCluster', 'phase.pending'));
  expect(await seriousViolations(page)).toEqual([]);

  // The operator generated a random token into the Secret named after the cluster, for a head that never
  // runs here. The console reaches the cluster at the run's real head (kubernetes.dashboardUrls), so an
  // administrator writes that head's token into the Secret: Secret and head then agree, as they do on a
  // real cluster whose head started from the Secret. The operator leaves a written Secret alone
  // (docs/kuberay-behaviour.md, "Sign in as me").
  await expect.poll(async () => (await kubeAdmin.get('Secret', namespace, name)) !== undefined).toBe(true);
  await kubeAdmin.mergePatch('Secret', namespace, name, {
    data: { auth_token: Buffer.from(rayHead.token).toString('base64') },
  });

  // Open the cluster: the prompt offers "Sign in as me", since the person may read that Secret; no token typed.
  await page.getByRole('link', { name: words('kuberayCluster', 'allClusters') }).click();
  await clusterList.discovered(namespace, name).getByRole('link', { name, exact: true }).click();
  await expect(tokenPrompt.heading()).toBeVisible();
  await tokenPrompt.signInAsMe().click();
  await expect(overview.resourcesHeading()).toBeVisible();
  await expect(overview.total('CPU')).toHaveText(String(await rayHead.cpus()));
  // The cluster's audit trail says the token was read from the Secret, and as whom.
  const clusterNav = page.getByRole('navigation', { name: words('clusters', 'layout.nav') });
  await clusterNav.getByRole('link', { name: words('clusters', 'layout.audit') }).click();
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: words('audit', 'actions.sign-in') })
      .filter({ hasText: words('audit', 'fromSecret', { user: KUBERAY_PERSON }) }),
  ).toHaveCount(1);

  // A job on it, and its log.
  const id = `kuberay_${Date.now()}`;
  await clusterNav.getByRole('link', { name: words('clusters', 'layout.jobs') }).click();
  await jobsPage.submitButton().click();
  await submitForm.entrypoint().fill(`python -c "print(6 * 7, 'from ${name}')"`);
  await submitForm.submissionId().fill(id);
  await submitForm.submit();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(jobDetail.status()).toHaveText('SUCCEEDED', { timeout: 60_000 });
  await expect(jobDetail.logLines()).toContainText(`42 from ${name}`);

  // The token reached no browser store, no URL, and no line of the console's log.
  expect(await browserHoldsToken(page, rayHead.token)).toEqual([]);
  expect(urls.filter((u) => u.includes(rayHead.token))).toEqual([]);
  expect(readFileSync(process.env.E2E_CONSOLE_LOG!, 'utf8')).not.toContain(rayHead.token);

  // Done with it: delete the RayCluster after typing its name; it leaves the API server and the list.
  await clusterNav.getByRole('link', { name: words('clusters', 'layout.kubernetes') }).click();
  await rayClusterPage.delete(name);
  await expect(clusterList.heading()).toBeVisible();
  await expect.poll(() => kubeAdmin.get('RayCluster', namespace, name)).toBeUndefined();
  await expect(clusterList.discovered(namespace, name)).toHaveCount(0, { timeout: 30_000 });
});
