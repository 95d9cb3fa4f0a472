import { describe, expect, it } from 'vitest';
import type { JobSummary } from '@ray-console/shared';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import { JobSnapshot, queryJobs, toJobDetails, toJobSummary, type JobListParams } from './job-list.js';

const NOW = 1_800_000_000_000;

function rayJob(over: Partial<RayJobDetails> = {}): RayJobDetails {
  return {
    type: 'SUBMISSION',
    job_id: null,
    submission_id: 'raysubmit_a',
    driver_info: null,
    status: 'SUCCEEDED',
    entrypoint: 'python a.py',
    message: 'Job finished successfully.',
    error_type: null,
    start_time: NOW - 10_000,
    end_time: NOW - 4_000,
    metadata: null,
    runtime_env: null,
    driver_agent_http_address: null,
    driver_node_id: null,
    driver_exit_code: 0,
    ...over,
  };
}

describe('toJobSummary / toJobDetails', () => {
  it('leaves out what Ray has as null, and computes the duration', () => {
    expect(toJobSummary(rayJob(), NOW)).toEqual({
      id: 'raysubmit_a',
      type: 'SUBMISSION',
      submissionId: 'raysubmit_a',
      status: 'SUCCEEDED',
      entrypoint: 'python a.py',
      message: 'Job finished successfully.',
      startTime: NOW - 10_000,
      endTime: NOW - 4_000,
      durationMs: 6_000,
      driverExitCode: 0,
    });
  });

  it('takes a running DRIVER job’s end_time 0 for “no end yet”, and its job id as its id', () => {
    const driver = rayJob({
      type: 'DRIVER',
      submission_id: null,
      job_id: '03000000',
      status: 'RUNNING',
      end_time: 0,
      message: null,
      driver_exit_code: null,
      metadata: {},
    });
    const summary = toJobSummary(driver, NOW);
    expect(summary).toMatchObject({ id: '03000000', jobId: '03000000', durationMs: 10_000 });
    expect(summary).not.toHaveProperty('endTime');
    expect(summary).not.toHaveProperty('submissionId');
    expect(summary).not.toHaveProperty('metadata');
  });

  it('camelCases every JobDetails field', () => {
    const details = toJobDetails(
      rayJob({
        job_id: '02000000',
        driver_info: { id: '02000000', node_ip_address: '10.0.0.1', pid: '42' },
        runtime_env: { working_dir: 'gcs://_ray_pkg_x.zip' },
        driver_agent_http_address: 'http://10.0.0.1:52365',
        driver_node_id: 'abc',
        metadata: { team: 'a' },
      }),
      NOW,
    );
    expect(details).toMatchObject({
      jobId: '02000000',
      driverInfo: { id: '02000000', nodeIpAddress: '10.0.0.1', pid: '42' },
      runtimeEnv: { working_dir: 'gcs://_ray_pkg_x.zip' },
      driverAgentHttpAddress: 'http://10.0.0.1:52365',
      driverNodeId: 'abc',
      metadata: { team: 'a' },
    });
  });
});

function job(i: number, over: Partial<JobSummary> = {}): JobSummary {
  return {
    id: `raysubmit_${String(i).padStart(5, '0')}`,
    type: 'SUBMISSION',
    status: (['RUNNING', 'SUCCEEDED', 'FAILED'] as const)[i % 3]!,
    entrypoint: `python job_${i}.py`,
    startTime: NOW - i * 1000,
    ...(i % 3 === 0 ? {} : { endTime: NOW - i * 1000 + (i % 7) * 100 }),
    ...over,
  };
}

const params = (over: Partial<JobListParams> = {}): JobListParams => ({ limit: 50, sort: '-startTime', ...over });

/** Follows nextCursor to the end. */
function allPages(snapshot: JobSnapshot, p: JobListParams): JobSummary[] {
  const out: JobSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = queryJobs(snapshot, { ...p, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe('queryJobs', () => {
  const jobs = Array.from({ length: 10_000 }, (_, i) =>
    job(i, i % 1000 === 0 ? { metadata: { owner: `team-${i}` } } : {}),
  );
  const snapshot = new JobSnapshot(jobs, NOW);

  it('pages through 10,000 jobs with cursors: every job once, in order, quickly', () => {
    const started = performance.now();
    const seen = allPages(snapshot, params({ limit: 500 }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen.map((j) => j.id)).size).toBe(10_000);
    expect(seen.map((j) => j.startTime)).toEqual([...jobs.map((j) => j.startTime)].sort((a, b) => b! - a!));
  });

  it('filters by status and type, searches ids, entrypoint and metadata, and counts per status', () => {
    const page = queryJobs(snapshot, params({ status: ['FAILED'], q: 'JOB_1' }));
    expect(page.items.every((j) => j.status === 'FAILED' && j.entrypoint.includes('job_1'))).toBe(true);
    expect(page.total).toBe(jobs.filter((j) => j.status === 'FAILED' && j.entrypoint.includes('job_1')).length);
    expect(page.statusCounts.FAILED).toBe(page.total);
    expect(page.statusCounts.RUNNING).toBe(
      jobs.filter((j) => j.status === 'RUNNING' && j.entrypoint.includes('job_1')).length,
    );
    expect(queryJobs(snapshot, params({ q: 'team-3000' })).items.map((j) => j.id)).toEqual(['raysubmit_03000']);
    expect(queryJobs(snapshot, params({ q: 'raysubmit_00042' })).total).toBe(1);
    expect(queryJobs(snapshot, params({ type: ['DRIVER'] })).total).toBe(0);
  });

  it('sorts missing values last in both directions, with the id as tie-breaker', () => {
    const small = new JobSnapshot([job(1), job(3), job(2), job(6)], NOW);
    // Jobs 3 and 6 have no end time.
    expect(queryJobs(small, params({ sort: 'endTime' })).items.map((j) => j.id)).toEqual([
      'raysubmit_00002',
      'raysubmit_00001',
      'raysubmit_00003',
      'raysubmit_00006',
    ]);
    expect(queryJobs(small, params({ sort: '-endTime' })).items.map((j) => j.id)).toEqual([
      'raysubmit_00001',
      'raysubmit_00002',
      'raysubmit_00003',
      'raysubmit_00006',
    ]);
    expect(queryJobs(small, params({ sort: 'status' })).items.map((j) => j.status)).toEqual([
      'RUNNING',
      'RUNNING',
      'SUCCEEDED',
      'FAILED',
    ]);
  });

  it('keeps its place when jobs are submitted or deleted between two pages', () => {
    const first = queryJobs(snapshot, params({ limit: 10 }));
    // Newer jobs arrive at the top, and one job of the first page is deleted.
    const later = new JobSnapshot([job(-1), job(-2), ...jobs.filter((j) => j.id !== first.items[3]!.id)], NOW);
    const second = queryJobs(later, params({ limit: 10, cursor: first.nextCursor }));
    expect(second.items[0]!.id).toBe(jobs[10]!.id);
  });

  it('refuses a cursor made for another sort, or one that is not a cursor', () => {
    const { nextCursor } = queryJobs(snapshot, params({ limit: 5 }));
    expect(() => queryJobs(snapshot, params({ sort: 'startTime', cursor: nextCursor }))).toThrow(/another sort/);
    expect(() => queryJobs(snapshot, params({ cursor: 'bm90IGEgY3Vyc29y' }))).toThrow(/cursor is not valid/);
  });
});
