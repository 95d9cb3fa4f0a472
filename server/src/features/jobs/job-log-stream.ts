import { isTerminalJobStatus, type JobLogEnd } from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { LogLineRelay } from './job-log-lines.js';
import { jobError } from './jobs.service.js';

/** Live tails and the WebSockets to Ray behind them; both go back to 0 when every browser has gone. */
export const logStreamMetrics = {
  /** Sockets open to Ray's `/api/jobs/{id}/logs/tail`. */
  openUpstreamSockets: 0,
  /** Tails being relayed to browsers. */
  openTails: 0,
};

export type LogTailEvent = { kind: 'lines'; lines: string[]; id: number } | { kind: 'end'; end: JobLogEnd; id: number };

export interface LogTailOptions {
  /** How often, and how long, to ask for the final status once Ray has closed the tail. */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

/**
 * Follows a job's log from line `from` on. It resolves once Ray's tail socket is open, so an unknown job,
 * a DRIVER job or a rejected token is an ordinary error before any event is sent. The events are lines
 * (numbered from the start of the log, see {@link LogLineRelay}) and, when Ray closes the tail normally,
 * an `end` with the job's final status, which is asked for because Ray's close carries none (and Ray
 * closes having sent nothing when the job failed before its driver started). When the socket breaks,
 * or the job is somehow not terminal yet, the events stop without `end`, and the browser reconnects.
 */
export async function openLogTail(
  { ray, credential }: SignedInCluster,
  jobId: string,
  from: number,
  signal: AbortSignal,
  options: LogTailOptions = {},
): Promise<AsyncGenerator<LogTailEvent>> {
  const { token } = credential;
  const tail = await ray.openJobLogTail(token, jobId, signal).catch((err: unknown) => {
    throw jobError(err, jobId);
  });
  logStreamMetrics.openUpstreamSockets += 1;
  void tail.closed.then(() => {
    logStreamMetrics.openUpstreamSockets -= 1;
  });

  const finalStatus = async (): Promise<RayJobDetails | undefined> => {
    const interval = options.pollIntervalMs ?? 500;
    const deadline = Date.now() + (options.pollTimeoutMs ?? 10_000);
    for (;;) {
      const job = await ray.job(token, jobId);
      if (isTerminalJobStatus(job.status)) return job;
      if (Date.now() >= deadline || signal.aborted) return undefined;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  };

  async function* events(): AsyncGenerator<LogTailEvent> {
    logStreamMetrics.openTails += 1;
    const relay = new LogLineRelay(from);
    try {
      for await (const chunk of tail.chunks) {
        const batch = relay.push(chunk);
        if (batch) yield { kind: 'lines', lines: batch.lines, id: batch.delivered };
      }
      if (signal.aborted) return;
      const last = relay.end();
      if (last) yield { kind: 'lines', lines: last.lines, id: last.delivered };
      const job = await finalStatus().catch((err: unknown) => {
        // The job was deleted meanwhile: the log is complete, but there is no status to report.
        if (isAppError(err, 'ray_error')) return undefined;
        throw err;
      });
      if (!job) return;
      yield {
        kind: 'end',
        id: relay.delivered,
        end: {
          status: job.status,
          ...(job.message ? { message: job.message } : {}),
          ...(job.error_type ? { errorType: job.error_type } : {}),
          ...(typeof job.driver_exit_code === 'number' ? { driverExitCode: job.driver_exit_code } : {}),
          lines: relay.delivered,
        },
      };
    } finally {
      tail.close();
      logStreamMetrics.openTails -= 1;
    }
  }
  return events();
}
