import type { Readable } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { ClusterId, JobId } from '@ray-console/shared';
import type { ClusterAccess } from '../clusters/cluster-access.js';
import type { DriverNodes } from './driver-nodes.js';
import { openJobLog } from './job-logs.js';

/** A job's page in the web app (web/src/app/route-pages.tsx); `jobs/new` is the submit form. */
const JOB_PAGE = /^\/clusters\/([^/]+)\/jobs\/([^/]+)\/?$/;

/**
 * The cluster and job of a job page's path, decoded and checked with the API's own schemas; undefined
 * for any other page (the submit form included) and for ids the API would refuse.
 */
export function jobPageIds(pagePath: string): { clusterId: string; jobId: string } | undefined {
  const m = JOB_PAGE.exec(pagePath);
  if (!m) return undefined;
  const clusterId = decoded(m[1]!);
  const jobId = decoded(m[2]!);
  if (jobId === 'new' || !ClusterId.safeParse(clusterId).success || !JobId.safeParse(jobId).success) return undefined;
  return { clusterId: clusterId!, jobId: jobId! };
}

interface Held {
  log: Promise<Readable | undefined>;
  stop: AbortController;
  timer: NodeJS.Timeout;
}

export interface EarlyLogsOptions {
  /** How long an opened log waits for its page to ask for it before it is closed. */
  keptMs: number;
  /** The most logs held open at once, in the whole process (the oldest is closed first). */
  max: number;
}

/**
 * Job logs opened when a job's page was served, for that session's first read of the log.
 *
 * A deep link to a finished job's page reads the job's whole log, and Ray takes a few hundred ms to
 * start answering for a big one (docs/benchmarks.md, "In the browser"). The page asks for it only once
 * its first script runs; the console starts it when it serves the page, so that time passes while the
 * browser loads the scripts. Nothing is sent before the page asks: the answer waits, unread, in the
 * console (the head stops sending when nobody reads), which is what a preload in the browser could not
 * do: there, the whole log streamed in beside the scripts and held the first draw back.
 *
 * Held per session, cluster and job, for the same session's `GET …/logs` only, which is authorized as
 * always before it is handed a held log; opened with that session's own credential; only for a job that
 * has ended (a running job's page follows the live tail instead). Bounded in number and in time (16, 5 s):
 * where Ray's log file read fails (Ray 2.52), the log comes from Ray's Jobs API, whose dashboard serves
 * it over a pool of at most 100 connections shared with every job call (docs/benchmarks.md, "Load"), and
 * a held answer keeps one of them.
 */
export class EarlyLogs {
  private readonly held = new Map<string, Held>();

  constructor(private readonly options: EarlyLogsOptions = { keptMs: 5_000, max: 16 }) {}

  /** Opens a log for `key` unless one is held already; a failure is dropped (the page's own read reports it). */
  start(key: string, open: (signal: AbortSignal) => Promise<Readable>): void {
    if (this.held.has(key)) return;
    if (this.held.size >= this.options.max) this.drop(this.held.keys().next().value!);
    const stop = new AbortController();
    const timer = setTimeout(() => this.drop(key), this.options.keptMs);
    timer.unref();
    const held: Held = {
      log: Promise.resolve()
        .then(() => open(stop.signal))
        .catch(() => {
          // Nothing to hand over (signed out, no such job): the place is given up at once.
          if (this.held.get(key) === held) this.drop(key);
          return undefined;
        }),
      stop,
      timer,
    };
    this.held.set(key, held);
  }

  /** The log held for `key`, once (undefined: none held, or its opening failed). */
  async take(key: string): Promise<Readable | undefined> {
    const held = this.held.get(key);
    if (!held) return undefined;
    this.held.delete(key);
    clearTimeout(held.timer);
    return held.log;
  }

  get size(): number {
    return this.held.size;
  }

  private drop(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    clearTimeout(held.timer);
    held.stop.abort();
    void held.log.then((stream) => stream?.destroy());
  }
}

/** What ties a held log to one session's read of one job. */
export const earlyLogKey = (sessionId: string, clusterId: string, jobId: string) =>
  `${sessionId}\n${clusterId}\n${jobId}`;

/**
 * Run when a job's page is served: opens the job's log for the session's first read of it. `sessions`:
 * the session middleware, for a console whose pages have none (without single sign-on), run only for a
 * request that brings a cookie; if it fails (the store is away) the page is served all the same. A
 * visitor without a session, or a session not signed in to the cluster, gets nothing opened:
 * ClusterAccess refuses before anything is sent to Ray.
 */
export function openLogForJobPage(
  access: Pick<ClusterAccess, 'run'>,
  earlyLogs: EarlyLogs,
  driverNodes: DriverNodes,
  sessions: readonly RequestHandler[] = [],
): RequestHandler {
  return (req, res, next) => {
    const ids = jobPageIds(req.path);
    if (!ids || (!req.session && !req.headers.cookie)) return next();
    void runEach(req.session ? [] : sessions, req, res).then((ok) => {
      if (ok && req.session && req.sessionID) {
        earlyLogs.start(earlyLogKey(req.sessionID, ids.clusterId, ids.jobId), (signal) =>
          // Only a job that has ended: a running job's page follows its log live and never reads this one.
          access.run(req, (c) => openJobLog(c, ids.jobId, signal, driverNodes, true), ids.clusterId),
        );
      }
      next();
    });
  };
}

/** Runs middleware one after another; false as soon as one passes an error on. */
async function runEach(handlers: readonly RequestHandler[], req: Request, res: Response): Promise<boolean> {
  for (const handler of handlers) {
    const ok = await new Promise<boolean>((resolve) => {
      void handler(req, res, (err?: unknown) => resolve(err === undefined || err === null));
    });
    if (!ok) return false;
  }
  return true;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
