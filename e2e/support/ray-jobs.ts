import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext } from '@playwright/test';

/** The job that misbehaves in known ways (shared with the server's integration tests). */
export const DEBUG_JOB_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'debug_job.py');
/** What `debug_job.py fail` raises, and the resource `debug_job.py stuck` waits for. */
export const DEBUG_JOB_BOOM = 'ValueError: e2e boom on item 3';
export const DEBUG_JOB_UNOBTAINABLE = 'e2e_unobtainium';

/**
 * Jobs set up through the console's own API with the page's signed-in session (Ray answers 405 to a
 * POST from Node's fetch, which looks like a browser's to it). The journey under test begins at the job
 * list, not at the submit form (jobs.spec.ts covers that).
 */
export class ConsoleJobs {
  constructor(
    private readonly request: APIRequestContext,
    private readonly clusterId = 'default',
  ) {}

  private async csrf(): Promise<string> {
    const res = await this.request.get('/api/session');
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  private path(jobId = ''): string {
    return `/api/clusters/${encodeURIComponent(this.clusterId)}/jobs${jobId ? `/${encodeURIComponent(jobId)}` : ''}`;
  }

  /** Starts `debug_job.py <mode>` under the given submission id. */
  async submitDebugJob(mode: 'fail' | 'stuck' | 'actors', submissionId: string): Promise<void> {
    const res = await this.request.post(this.path(), {
      headers: { 'X-CSRF-Token': await this.csrf() },
      data: { entrypoint: `python ${DEBUG_JOB_SCRIPT} ${mode}`, submissionId },
    });
    if (!res.ok()) throw new Error(`The console answered ${res.status()}: ${await res.text()}`);
  }

  async status(submissionId: string): Promise<string> {
    const res = await this.request.get(this.path(submissionId));
    return ((await res.json()) as { status: string }).status;
  }

  async stop(submissionId: string): Promise<void> {
    await this.request.post(`${this.path(submissionId)}/stop`, { headers: { 'X-CSRF-Token': await this.csrf() } });
  }
}
