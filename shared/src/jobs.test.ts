import { describe, expect, it } from 'vitest';
import { JobId, JobListQuery, JobLogQuery, JobSubmitRequest, LastEventId, isTerminalJobStatus } from './jobs.js';

describe('JobId', () => {
  it('takes submission ids and hex job ids, and nothing that could leave its path segment', () => {
    for (const ok of ['raysubmit_4LamXRuQpYdSMg7J', '02000000', 'nightly-run_3'])
      expect(JobId.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', '..', '../x', 'a/b', 'a b', 'a.b', 'a%2Fb', 'é', 'x'.repeat(256), 'a\u0000']) {
      expect(JobId.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('JobSubmitRequest', () => {
  it('drops fields sent as null, as Ray does, and refuses unknown ones', () => {
    expect(JobSubmitRequest.parse({ entrypoint: 'x', runtimeEnv: null, entrypointNumGpus: null })).toEqual({
      entrypoint: 'x',
    });
    const unknown = JobSubmitRequest.safeParse({ entrypoint: 'x', entrypoint_num_cpus: 1 });
    expect(unknown.error?.issues[0]?.message).toContain('entrypoint_num_cpus');
  });

  it('checks what the console can check of runtime_env and leaves the rest to Ray', () => {
    expect(
      JobSubmitRequest.safeParse({ entrypoint: 'x', runtimeEnv: { pip: ['requests'], env_vars: { A: 'b' } } }).success,
    ).toBe(true);
    expect(JobSubmitRequest.safeParse({ entrypoint: 'x', runtimeEnv: { env_vars: { A: 1 } } }).success).toBe(false);
    expect(
      JobSubmitRequest.safeParse({ entrypoint: 'x', runtimeEnv: { working_dir: 's3://bucket/dir' } }).success,
    ).toBe(false);
    expect(
      JobSubmitRequest.safeParse({ entrypoint: 'x', runtimeEnv: { working_dir: 's3://bucket/dir.zip' } }).success,
    ).toBe(true);
    expect(JobSubmitRequest.safeParse({ entrypoint: 'x', runtimeEnv: { working_dir: '/opt/app' } }).success).toBe(true);
  });

  it('wants whole bytes of memory and non-negative amounts', () => {
    expect(JobSubmitRequest.safeParse({ entrypoint: 'x', entrypointMemory: 1.5 }).success).toBe(false);
    expect(JobSubmitRequest.safeParse({ entrypoint: 'x', entrypointNumCpus: -1 }).success).toBe(false);
    expect(JobSubmitRequest.safeParse({ entrypoint: 'x', entrypointResources: { GPU_A: 0.5 } }).success).toBe(true);
  });
});

describe('query parameters', () => {
  it('takes statuses repeated or comma-separated, with defaults for the rest', () => {
    expect(JobListQuery.parse({ status: 'RUNNING,FAILED', type: ['DRIVER'] })).toEqual({
      status: ['RUNNING', 'FAILED'],
      type: ['DRIVER'],
      limit: 50,
      sort: '-startTime',
    });
    expect(JobListQuery.parse({ status: ['PENDING', 'RUNNING'] }).status).toEqual(['PENDING', 'RUNNING']);
    expect(JobListQuery.safeParse({ status: 'DONE' }).success).toBe(false);
    expect(JobListQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(JobListQuery.safeParse({ sort: 'name' }).success).toBe(false);
  });

  it('reads download and Last-Event-ID', () => {
    expect(JobLogQuery.parse({ download: '1' })).toEqual({ download: true });
    expect(JobLogQuery.parse({})).toEqual({ download: false });
    expect(LastEventId.parse('42')).toBe(42);
    expect(LastEventId.safeParse('-1').success).toBe(false);
    expect(isTerminalJobStatus('STOPPED')).toBe(true);
    expect(isTerminalJobStatus('PENDING')).toBe(false);
  });
});
