import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditPage, ClusterList, JobDetails } from '@ray-console/shared';
import { RAY_VERSION } from '../../../scripts/lib/paths.mjs';
import { freePort, newRayToken, startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import type { RunningBff } from '../support/bff.js';
import type { BffClient } from '../support/bff-client.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { connectKeycloak } from '../support/keycloak.js';
import { signInAs } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { secretVolume, type SecretVolume } from '../support/secret-volume.js';
import { waitFor } from '../support/wait.js';

// Issue 10's "tokens no person sees", end to end: people signed in at the real Keycloak use a cluster
// whose token only the console holds (a Secret volume, as the kubelet lays it out). Nobody pastes the
// token, no answer carries it, and when the operator rotates it (the head restarted with a new token,
// the Secret updated), the same people keep working without doing anything.

const keycloak = connectKeycloak(inject('keycloak'));
const HEAD_START_MS = 240_000;

describe('a managed-token cluster used by people signed in with single sign-on', () => {
  let head: RayHead;
  let port: number;
  let volume: SecretVolume;
  let bff: RunningBff;
  const tokens: string[] = [];
  const people: Record<'alice' | 'carol', BffClient> = {} as never;

  beforeAll(async () => {
    port = await freePort();
    tokens.push(newRayToken());
    volume = secretVolume(`${tokens[0]}\n`);
    head = await startRayHead({
      version: process.env.RAY_VERSION ?? RAY_VERSION,
      dashboardPort: port,
      numCpus: 1,
      token: tokens[0],
    });
    const config = writeClustersConfig(
      [
        {
          id: 'shared',
          displayName: 'Shared cluster',
          dashboardUrl: head.dashboardUrl,
          tokenFile: volume.file,
          tokenPrompt: false,
        },
      ],
      {
        access: {
          clusters: {
            shared: [
              { role: 'operator', groups: ['team-a'] },
              { role: 'admin', groups: ['platform-admins'] },
            ],
          },
        },
      },
    );
    bff = await startOidcConsole(keycloak.issuer, { env: { RAY_CONSOLE_CONFIG: config } });
    people.alice = (await signInAs(bff.url, 'alice')).bff;
    people.carol = (await signInAs(bff.url, 'carol')).bff;
  }, HEAD_START_MS);

  afterAll(async () => {
    // No answer, log line or stored byte (sessions, audit trail) ever held a token.
    expectNoSecrets(bff, Object.values(people), tokens);
    await bff?.close();
    await head?.stop();
    volume?.remove();
  });

  const submit = async (who: BffClient, words: string) => {
    const res = await who.post('/api/clusters/shared/jobs', { entrypoint: `echo ${words}` });
    expect(res.status, res.text).toBe(201);
    return res.json<{ submissionId: string }>().submissionId;
  };

  const succeeded = (who: BffClient, id: string) =>
    waitFor(
      `job ${id} to succeed`,
      async () => (await who.get(`/api/clusters/shared/jobs/${id}`)).json<JobDetails>().status === 'SUCCEEDED',
      { timeoutMs: 120_000 },
    );

  it('lets a person with a role submit without ever being asked for the token, and names them', async () => {
    const { alice, carol } = people;
    const listed = (await alice.get('/api/clusters')).json<ClusterList>();
    expect(listed).toEqual([
      expect.objectContaining({
        id: 'shared',
        signedIn: false,
        role: 'operator',
        managedToken: { tokenPrompt: false },
      }),
    ]);
    // The prompt is off: even someone holding the token cannot swap it in.
    expect((await alice.login('shared', tokens[0]!)).status).toBe(409);

    const id = await submit(alice, 'submitted-by-alice');
    await succeeded(alice, id);
    const job = (await carol.get(`/api/clusters/shared/jobs/${id}`)).json<JobDetails>();
    expect(job.submittedBy).toMatchObject({ name: 'Alice Anders', issuer: keycloak.issuer });

    const trail = (await carol.get('/api/clusters/shared/audit')).json<AuditPage>();
    expect(trail.events.find((e) => e.jobId === id && e.action === 'job.submit')).toMatchObject({
      outcome: 'success',
      tokenSource: 'token-file',
      person: { name: 'Alice Anders' },
    });
  });

  it(
    'keeps working for the same people after the head restarts with a new token and the Secret is updated',
    { timeout: HEAD_START_MS + 60_000 },
    async () => {
      const { alice } = people;
      tokens.push(newRayToken());
      await head.stop();
      head = await startRayHead({
        version: process.env.RAY_VERSION ?? RAY_VERSION,
        dashboardPort: port,
        numCpus: 1,
        token: tokens[1],
      });
      // Until the Secret catches up, the console says its token file is out of date; nobody is signed out.
      const stale = await alice.get('/api/clusters/shared/jobs');
      expect(stale.status).toBe(503);
      expect(stale.json()).toMatchObject({ error: { code: 'token_file_outdated' } });

      volume.rotate(`${tokens[1]}\n`);
      await waitFor(
        'the console to use the rotated Secret',
        async () => (await alice.get('/api/clusters/shared/jobs')).status === 200,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      // Still the same person, still no token asked for.
      const id = await submit(alice, 'after-the-rotation');
      await succeeded(alice, id);
      expect((await alice.get(`/api/clusters/shared/jobs/${id}`)).json<JobDetails>().submittedBy).toMatchObject({
        name: 'Alice Anders',
      });
    },
  );
});
