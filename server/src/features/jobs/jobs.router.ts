import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import {
  JobId,
  JobListQuery,
  JobLogQuery,
  JobLogStreamQuery,
  JobParams,
  JobSubmitRequest,
  LastEventId,
  MAX_PACKAGE_BYTES,
  type AuditAction,
} from '@ray-console/shared';
import { OPEN_GATE, type RoleGate } from '../../access/role-gate.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import { sessionStillReads } from '../../session/session-liveness.js';
import type { LiveTails } from './job-log-stream.js';
import { sendLogEvents } from './job-log-sse.js';
import { DriverNodes } from './driver-nodes.js';
import { openJobLog } from './job-logs.js';
import { JobsService } from './jobs.service.js';
import { ownJobOrAdmin } from './job-ownership.js';
import { MULTIPART_OVERHEAD_BYTES, spoolFolder, spoolZip, tooLarge, type SpoolOptions } from './package-upload.js';
import { uploadPackage } from './packages.service.js';
import type { UploadSlots } from './upload-slots.js';

export interface JobsRouterDeps {
  access: Pick<ClusterAccess, 'run' | 'cluster' | 'tokenSource'>;
  /** Per-cluster roles: the role each route needs (an open gate without roles). */
  gate?: RoleGate;
  /** Where job submits, stops and deletes are reported. */
  audit?: AuditRecorder;
  service?: JobsService;
  packages?: SpoolOptions;
  /** Caps the uploads received at once (unlimited without it, as in route tests). */
  uploadSlots?: UploadSlots;
  /** The live tails of this process, with their limits. */
  tails: LiveTails;
  /**
   * Comment lines on an idle live tail, so proxies do not close it, and how often a tail checks that its
   * session may still read it (15 s).
   */
  heartbeatMs?: number;
  /** A session's absolute lifetime, which a live tail checks on each heartbeat. */
  sessionAbsoluteMs?: number;
  /** The driver node of each job whose log was read, so the next read starts sooner (driver-nodes.ts). */
  driverNodes?: DriverNodes;
}

const ZIP_TYPES = /^application\/(zip|x-zip-compressed|x-zip|octet-stream)\s*(;|$)/i;

export function jobsRouter({
  access,
  gate = OPEN_GATE,
  audit,
  service = new JobsService(),
  packages = {},
  uploadSlots,
  tails,
  heartbeatMs = 15_000,
  sessionAbsoluteMs = Number.POSITIVE_INFINITY,
  driverNodes = new DriverNodes(),
}: JobsRouterDeps): Router {
  const router = Router();
  const maxPackageBytes = packages.maxBytes ?? MAX_PACKAGE_BYTES;

  /** Runs a job write and reports it to the audit trail, with the error code when it failed. */
  async function audited<T>(
    req: Request,
    action: AuditAction,
    jobId: string | undefined,
    fn: () => Promise<T>,
    idOf: (result: T) => string | undefined = () => jobId,
  ): Promise<T> {
    const clusterId = String(req.params.clusterId ?? '');
    // Only a session signed in to the cluster leaves a trace: anyone can call these routes, and a
    // session that never signed in could otherwise write events (with job ids of its choosing) until
    // the real ones fell out of the kept window. Whether it was signed in is read before the call, so
    // a call that ends the sign-in (the head rejected the token) is still recorded. A managed cluster
    // needs no sign-in; its events say the console's token file was used.
    const source = audit !== undefined ? access.tokenSource(req) : undefined;
    const recorded = audit !== undefined && source !== undefined;
    const via = source === 'token-file' ? { tokenSource: source } : {};
    try {
      const result = await fn();
      const id = idOf(result);
      if (recorded) {
        await audit.record(req, { clusterId, action, outcome: 'success', ...(id ? { jobId: id } : {}), ...via });
      }
      return result;
    } catch (err) {
      if (recorded) {
        const reason = isAppError(err) ? err.code : 'internal';
        await audit.record(req, { clusterId, action, outcome: 'failure', reason, ...(jobId ? { jobId } : {}), ...via });
      }
      throw err;
    }
  }

  const jobIdOf = (req: Request) => parseInput(JobParams, req.params, 'job address').jobId;

  router.get('/clusters/:clusterId/jobs', gate.needs('viewer'), async (req, res) => {
    const { mine, ...query } = parseInput(JobListQuery, req.query, 'job list query');
    // Routers built alone in tests have no session middleware; the app always has one.
    const person = req.session?.person;
    if (mine === 'true' && !person) {
      throw new AppError(
        'validation',
        'The job list query is not valid: mine: "my jobs" needs a person signed in with OpenID Connect; leave mine out.',
        { mine: 'Only a person signed in with OpenID Connect has jobs of their own; leave mine out.' },
      );
    }
    const owner = mine === 'true' && person ? { issuer: person.issuer, subject: person.subject } : undefined;
    res.json(await access.run(req, (c) => service.list(c, { ...query, owner })));
  });

  router.post('/clusters/:clusterId/jobs', gate.needs('operator', 'job.submit'), async (req, res) => {
    // Only a well-formed id goes into the trail, even for a refused submission.
    const given = JobId.safeParse((req.body as { submissionId?: unknown } | undefined)?.submissionId).data;
    const result = await audited(
      req,
      'job.submit',
      given,
      () => {
        const request = parseInput(JobSubmitRequest, req.body ?? {}, 'job submission');
        return access.run(req, (c) => service.submit(c, request, req.session?.person));
      },
      (r) => r.submissionId,
    );
    res.status(201).json(result);
  });

  router.get('/clusters/:clusterId/jobs/:jobId', gate.needs('viewer'), async (req, res) => {
    const jobId = jobIdOf(req);
    res.json(await access.run(req, (c) => service.get(c, jobId)));
  });

  router.post(
    '/clusters/:clusterId/jobs/:jobId/stop',
    gate.needs('operator', 'job.stop'),
    ownJobOrAdmin(gate, access, service, 'job.stop'),
    async (req, res) => {
      const jobId = jobIdOf(req);
      res.json(await audited(req, 'job.stop', jobId, () => access.run(req, (c) => service.stop(c, jobId))));
    },
  );

  router.delete(
    '/clusters/:clusterId/jobs/:jobId',
    gate.needs('operator', 'job.delete'),
    ownJobOrAdmin(gate, access, service, 'job.delete'),
    async (req, res) => {
      const jobId = jobIdOf(req);
      res.json(await audited(req, 'job.delete', jobId, () => access.run(req, (c) => service.delete(c, jobId))));
    },
  );

  router.get('/clusters/:clusterId/jobs/:jobId/logs', gate.needs('viewer'), async (req, res) => {
    const jobId = jobIdOf(req);
    const { download } = parseInput(JobLogQuery, req.query, 'log query');
    const gone = abortOnClose(res);
    await access.run(req, async (c) => {
      const log = await openJobLog(c, jobId, gone, driverNodes);
      res.status(200).type('text/plain; charset=utf-8');
      if (download) res.set('Content-Disposition', `attachment; filename="${c.cluster.id}-${jobId}.log"`);
      try {
        await pipeline(log, res);
      } catch (err) {
        // The browser leaving half-way is not an error; a head that breaks off is (the answer is cut short).
        if (!gone.aborted) throw err;
      }
    });
  });

  router.get('/clusters/:clusterId/jobs/:jobId/logs/stream', gate.needs('viewer'), async (req, res) => {
    const jobId = jobIdOf(req);
    const { from } = parseInput(JobLogStreamQuery, req.query, 'log stream query');
    const lastEventId = req.get('last-event-id');
    const skip = lastEventId ? parseInput(LastEventId, lastEventId, 'Last-Event-ID header') : (from ?? 0);
    const stop = new AbortController();
    res.once('close', () => stop.abort());
    await access.run(req, async (c) => {
      const events = await tails.open(c, jobId, skip, req.sessionID, stop.signal);
      await sendLogEvents(req, res, events, {
        heartbeatMs,
        stop,
        stillReads: () =>
          sessionStillReads(req, c, { absoluteMs: sessionAbsoluteMs, mayRead: gate.mayRead(c.cluster) }),
      });
    });
  });

  router.put('/clusters/:clusterId/packages', gate.needs('operator', 'package.upload'), async (req, res) => {
    const type = req.get('content-type') ?? '';
    const isZip = ZIP_TYPES.test(type);
    const isFolder = /^multipart\/form-data\s*;/i.test(type);
    if (!isZip && !isFolder) {
      throw new AppError(
        'bad_request',
        'Send a .zip file (Content-Type: application/zip) or a folder (multipart/form-data, one part per file).',
      );
    }
    // Refuse a body that says it is too large before reading any of it (multipart adds headers per file).
    const declared = Number(req.get('content-length') ?? NaN);
    if (declared > maxPackageBytes + (isFolder ? MULTIPART_OVERHEAD_BYTES : 0)) throw tooLarge(maxPackageBytes);
    const answer = await access.run(req, async (c) => {
      // Taken once the sender is known to be signed in, so anonymous requests cannot hold the slots.
      let free: () => void;
      try {
        free = uploadSlots?.take() ?? (() => undefined);
      } catch (err) {
        res.set('Retry-After', '10');
        throw err;
      }
      try {
        const pkg = isZip ? await spoolZip(req, packages) : await spoolFolder(req, type, packages);
        try {
          return await uploadPackage(c, pkg);
        } finally {
          await pkg.dispose();
        }
      } finally {
        free();
      }
    });
    res.json(answer);
  });

  return router;
}

/** A signal that fires when the browser goes away (or the answer is complete). */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
