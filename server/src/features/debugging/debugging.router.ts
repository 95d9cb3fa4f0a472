import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Router, type Response } from 'express';
import {
  DebugListQuery,
  JobDebugParams,
  LastEventId,
  LogFileQuery,
  LogStreamQuery,
  NodeLogListQuery,
  NodeParams,
} from '@ray-console/shared';
import { OPEN_GATE, type RoleGate } from '../../access/role-gate.js';
import { parseInput } from '../../lib/parse.js';
import { sessionStillReads } from '../../session/session-liveness.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import { getJobActors } from './actors.service.js';
import { getJobFailures } from './failures.service.js';
import { sendLogSse } from './log-sse.js';
import { listNodeLogs, logTarget, openLog } from './logs.service.js';
import { getNodesUsage } from './node-usage.service.js';
import { getServeStatus } from './serve.service.js';
import { getJobTaskSummary } from './task-summary.service.js';
import { UsageHistory } from './usage-history.js';
import { getJobWaits } from './waits.service.js';
import { FollowSlots } from './follow-slots.js';
import { RetryRows } from './retry-rows.js';
import { GroupTimings } from './group-timings.js';

export interface DebuggingRouterDeps {
  access: Pick<ClusterAccess, 'run'>;
  /** Per-cluster roles: every debugging read needs the viewer role (an open gate without roles). */
  gate?: RoleGate;
  history?: UsageHistory;
  follows?: FollowSlots;
  /** Comments on an idle followed log, and how often it checks that its session may still read it. */
  heartbeatMs?: number;
  sessionAbsoluteMs?: number;
}

/** The debugging pages' reads (issue 9): tasks, failures, waits, actors, logs, node usage, Serve. */
export function debuggingRouter({
  access,
  gate = OPEN_GATE,
  history = new UsageHistory(),
  follows = new FollowSlots(),
  heartbeatMs = 15_000,
  sessionAbsoluteMs = Number.POSITIVE_INFINITY,
}: DebuggingRouterDeps): Router {
  const router = Router();
  const retryRows = new RetryRows();
  const timings = new GroupTimings();
  const jobOf = (params: unknown) => parseInput(JobDebugParams, params, 'job address').jobId;

  router.get('/clusters/:clusterId/jobs/:jobId/tasks/summary', gate.needs('viewer'), async (req, res) => {
    const jobId = jobOf(req.params);
    res.json(await access.run(req, (c) => getJobTaskSummary(c, jobId, retryRows, timings)));
  });

  router.get('/clusters/:clusterId/jobs/:jobId/failures', gate.needs('viewer'), async (req, res) => {
    const jobId = jobOf(req.params);
    const { limit } = parseInput(DebugListQuery, req.query, 'list query');
    res.json(await access.run(req, (c) => getJobFailures(c, jobId, limit, retryRows)));
  });

  router.get('/clusters/:clusterId/jobs/:jobId/waits', gate.needs('viewer'), async (req, res) => {
    const jobId = jobOf(req.params);
    const { limit } = parseInput(DebugListQuery, req.query, 'list query');
    res.json(await access.run(req, (c) => getJobWaits(c, jobId, limit)));
  });

  router.get('/clusters/:clusterId/jobs/:jobId/actors', gate.needs('viewer'), async (req, res) => {
    const jobId = jobOf(req.params);
    const { limit } = parseInput(DebugListQuery, req.query, 'list query');
    res.json(await access.run(req, (c) => getJobActors(c, jobId, limit)));
  });

  router.get('/clusters/:clusterId/nodes/usage', gate.needs('viewer'), async (req, res) => {
    res.json(await access.run(req, (c) => getNodesUsage(c, history)));
  });

  router.get('/clusters/:clusterId/nodes/:nodeId/logs', gate.needs('viewer'), async (req, res) => {
    const { nodeId } = parseInput(NodeParams, req.params, 'node address');
    const { glob } = parseInput(NodeLogListQuery, req.query, 'log list query');
    res.json(await access.run(req, (c) => listNodeLogs(c, nodeId, glob)));
  });

  router.get('/clusters/:clusterId/logs/file', gate.needs('viewer'), async (req, res) => {
    const query = parseInput(LogFileQuery, req.query, 'log query');
    const target = logTarget(query);
    const gone = abortOnClose(res);
    await access.run(req, async (c) => {
      const log = await openLog(c, target, { lines: query.lines, follow: false }, gone);
      res.status(200).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store');
      if (query.download) res.attachment(`${c.cluster.id}-${downloadName(query)}.log`);
      try {
        await pipeline(Readable.fromWeb(log as import('node:stream/web').ReadableStream), res);
      } catch (err) {
        if (!gone.aborted) throw err;
      }
    });
  });

  router.get('/clusters/:clusterId/logs/stream', gate.needs('viewer'), async (req, res) => {
    const query = parseInput(LogStreamQuery, req.query, 'log stream query');
    const target = logTarget(query);
    const lastEventId = req.get('last-event-id');
    const skip = lastEventId ? parseInput(LastEventId, lastEventId, 'Last-Event-ID header') : (query.from ?? 0);
    const stop = new AbortController();
    res.once('close', () => stop.abort());
    await access.run(req, async (c) => {
      const free = follows.take(req.sessionID);
      try {
        const log = await openLog(c, target, { lines: query.lines, follow: true }, stop.signal);
        await sendLogSse(req, res, log, {
          skip,
          heartbeatMs,
          stop,
          stillReads: () =>
            sessionStillReads(req, c, { absoluteMs: sessionAbsoluteMs, mayRead: gate.mayRead(c.cluster) }),
        });
      } finally {
        free();
      }
    });
  });

  router.get('/clusters/:clusterId/serve', gate.needs('viewer'), async (req, res) => {
    res.json(await access.run(req, (c) => getServeStatus(c)));
  });

  return router;
}

function downloadName(q: { filename?: string; taskId?: string; actorId?: string }): string {
  if (q.filename) return q.filename.replaceAll('/', '_').replace(/\.(log|out|err)$/, '');
  if (q.taskId) return `task-${q.taskId}`;
  return `actor-${q.actorId ?? 'log'}`;
}

function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
