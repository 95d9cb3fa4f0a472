import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditPage, ClusterList, JobList, SessionInfo } from '@ray-console/shared';
import { RAY_VERSION } from '../../../scripts/lib/paths.mjs';
import { startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import type { RunningBff } from '../support/bff.js';
import type { BffClient } from '../support/bff-client.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { connectKeycloak } from '../support/keycloak.js';
import { signInAs } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';
import { waitFor } from '../support/wait.js';

// Roles per cluster with people signed in through the real Keycloak (alice in team-a, bob in team-b,
// carol in platform-admins) and jobs on a real Ray head. Three configured clusters, all that one head:
//   a      operators: team-a and team-b; admins: platform-admins
//   b      operators: team-b;            admins: platform-admins   (alice has no role: she must not see it)
//   watch  viewers: team-a                                          (alice may look, not submit)

const keycloak = connectKeycloak(inject('keycloak'));

describe('roles per cluster, through the real provider and a real Ray head', () => {
  let head: RayHead;
  let bff: RunningBff;
  const people: Record<'alice' | 'bob' | 'carol', BffClient> = {} as never;

  beforeAll(async () => {
    head = await startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION, numCpus: 2 });
    const file = writeClustersConfig(
      [
        { id: 'a', displayName: 'Team A', dashboardUrl: head.dashboardUrl },
        { id: 'b', displayName: 'Team B', dashboardUrl: head.dashboardUrl },
        { id: 'watch', displayName: 'Watched', dashboardUrl: head.dashboardUrl },
      ],
      {
        access: {
          clusters: {
            a: [
              { role: 'operator', groups: ['team-a', 'team-b'] },
              { role: 'admin', groups: ['platform-admins'] },
            ],
            b: [
              { role: 'operator', groups: ['team-b'] },
              { role: 'admin', groups: ['platform-admins'] },
            ],
            watch: [{ role: 'viewer', groups: ['team-a'] }],
          },
        },
      },
    );
    bff = await startOidcConsole(keycloak.issuer, { env: { RAY_CONSOLE_CONFIG: file } });
    for (const name of ['alice', 'bob', 'carol'] as const) {
      people[name] = (await signInAs(bff.url, name)).bff;
    }
  });

  afterAll(async () => {
    await bff?.close();
    await head?.stop();
  });

  const signedInTo = async (who: BffClient, clusterId: string) => {
    const res = await who.login(clusterId, head.token);
    expect(res.status, res.text).toBe(200);
  };

  it('shows each person only the clusters their groups have a role on', async () => {
    const seen = async (who: BffClient) =>
      (await who.get('/api/clusters')).json<ClusterList>().map((c) => [c.id, c.role]);
    expect(await seen(people.alice)).toEqual([
      ['a', 'operator'],
      ['watch', 'viewer'],
    ]);
    expect(await seen(people.bob)).toEqual([
      ['a', 'operator'],
      ['b', 'operator'],
    ]);
    expect(await seen(people.carol)).toEqual([
      ['a', 'admin'],
      ['b', 'admin'],
    ]);
    const hidden = await people.alice.get('/api/clusters/b/jobs');
    expect(hidden.status).toBe(404);
    expect(hidden.json()).toMatchObject({ error: { code: 'unknown_cluster' } });
    // Not even with the cluster's token in hand.
    expect((await people.alice.login('b', head.token)).status).toBe(404);
  });

  it("refuses a viewer's submit with 403 naming the operator role, sends nothing to Ray, and audits it", async () => {
    const alice = people.alice;
    await signedInTo(alice, 'watch');
    const before = (await alice.get('/api/clusters/watch/jobs')).json<JobList>().total;
    const res = await alice.post('/api/clusters/watch/jobs', { entrypoint: 'echo should-not-run' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'forbidden', params: { role: 'operator', held: 'viewer' } } });
    expect((await alice.get('/api/clusters/watch/jobs')).json<JobList>().total).toBe(before);
    // The refusal is in the log output (a viewer cannot read the trail; the admin of "watch" would).
    const line = bff.logs.find((l) => l.includes('"audit":true') && l.includes('"reason":"forbidden"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      clusterId: 'watch',
      action: 'job.submit',
      outcome: 'failure',
      person: { name: 'Alice Anders', issuer: keycloak.issuer },
    });
  });

  it('lets alice submit, names her on the job; bob (operator) cannot stop it, carol (admin) can; the trail names them', async () => {
    const { alice, bob, carol } = people;
    for (const who of [alice, bob, carol]) await signedInTo(who, 'a');
    const submitted = await alice.post('/api/clusters/a/jobs', {
      entrypoint: 'python -c "import time; time.sleep(600)"',
      metadata: { purpose: 'roles-test' },
    });
    expect(submitted.status, submitted.text).toBe(201);
    const { submissionId } = submitted.json<{ submissionId: string }>();

    // Ray keeps the console's metadata keys; the list reads the submitter back from them.
    const listed = (await carol.get('/api/clusters/a/jobs?q=roles-test')).json<JobList>();
    expect(listed.items.find((j) => j.id === submissionId)?.submittedBy).toMatchObject({
      name: 'Alice Anders',
      issuer: keycloak.issuer,
    });
    const mine = (await alice.get('/api/clusters/a/jobs?mine=true')).json<JobList>();
    expect(mine.items.map((j) => j.id)).toContain(submissionId);
    expect((await bob.get('/api/clusters/a/jobs?mine=true')).json<JobList>().items.map((j) => j.id)).not.toContain(
      submissionId,
    );

    const byBob = await bob.post(`/api/clusters/a/jobs/${submissionId}/stop`);
    expect(byBob.status).toBe(403);
    expect(byBob.json()).toMatchObject({ error: { code: 'forbidden', params: { role: 'admin', held: 'operator' } } });
    expect((await bob.get(`/api/clusters/a/jobs/${submissionId}`)).json<{ status: string }>().status).not.toBe(
      'STOPPED',
    );

    const byCarol = await carol.post(`/api/clusters/a/jobs/${submissionId}/stop`);
    expect(byCarol.status, byCarol.text).toBe(200);
    await waitFor(
      'the job to stop',
      async () =>
        (await alice.get(`/api/clusters/a/jobs/${submissionId}`)).json<{ status: string }>().status === 'STOPPED',
      { timeoutMs: 60_000 },
    );

    // Only an admin reads the trail; it names all three, and filters by one of them.
    expect((await alice.get('/api/clusters/a/audit')).status).toBe(403);
    const trail = (await carol.get('/api/clusters/a/audit')).json<AuditPage>();
    const about = trail.events
      .filter((e) => e.jobId === submissionId)
      .map((e) => [e.action, e.outcome, e.reason, e.person?.name]);
    expect(about).toEqual([
      ['job.stop', 'success', undefined, 'Carol Chen'],
      ['job.stop', 'failure', 'forbidden', 'Bob Berg'],
      ['job.submit', 'success', undefined, 'Alice Anders'],
    ]);
    const aliceSubject = (await alice.session()).json<SessionInfo>().person!.subject;
    const hers = (
      await carol.get(`/api/clusters/a/audit?person=${encodeURIComponent(aliceSubject)}`)
    ).json<AuditPage>();
    expect(hers.events.length).toBeGreaterThan(0);
    expect(new Set(hers.events.map((e) => e.person?.name))).toEqual(new Set(['Alice Anders']));
  });
});
