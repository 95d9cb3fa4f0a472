import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../lib/error-middleware.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import { debuggingRouter } from './debugging.router.js';

/** The router with an access that must never be reached: every case here is refused at the edge. */
function app() {
  const access = {
    run: () => Promise.reject(new Error('Ray must not be called for input refused at the edge')),
  } as unknown as Pick<ClusterAccess, 'run'>;
  const a = express();
  a.use('/api', debuggingRouter({ access }));
  a.use(errorMiddleware);
  return a;
}

describe('debugging routes refuse bad input before Ray is called', () => {
  it.each([
    ['a task id of another length than Ray’s', '/api/clusters/default/logs/file?taskId=00000000'],
    ['an actor id that is not hex', `/api/clusters/default/logs/file?actorId=${'z'.repeat(32)}`],
    ['a file name that climbs', `/api/clusters/default/logs/file?nodeId=${'a'.repeat(56)}&filename=../x.log`],
    ['two targets at once', `/api/clusters/default/logs/stream?taskId=${'b'.repeat(48)}&actorId=${'c'.repeat(32)}`],
    ['a limit over 1,000', '/api/clusters/default/jobs/raysubmit_1/failures?limit=1001'],
    ['a job id with a slash', '/api/clusters/default/jobs/a%2Fb/tasks/summary'],
    ['a node id of another length', '/api/clusters/default/nodes/abcd/logs'],
  ])('%s', async (_what, url) => {
    const res = await request(app()).get(url).expect(400);
    expect(res.body.error.code).toBe('validation');
  });
});
