import { describe, expect, it } from 'vitest';
import { JobSubmitRequest } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import { rayVersionAtLeast, submitError, toRaySubmitBody } from './job-submit.js';
import { jobError } from './jobs.service.js';

const rayError = (status: number, line: string) => new RayHttpError(status, line, `answered ${status}: ${line}`);

describe('toRaySubmitBody', () => {
  it('sends Ray’s snake_case names, and only the fields that were given', () => {
    const request = JobSubmitRequest.parse({
      entrypoint: 'python a.py',
      submissionId: 'nightly-1',
      runtimeEnv: { env_vars: { A: '1' }, working_dir: 'gcs://_ray_pkg_x.zip' },
      entrypointNumCpus: 0.5,
      entrypointMemory: 1024,
      entrypointResources: { widget: 1 },
      metadata: null,
    });
    expect(toRaySubmitBody(request, '2.52.0')).toEqual({
      entrypoint: 'python a.py',
      submission_id: 'nightly-1',
      runtime_env: { env_vars: { A: '1' }, working_dir: 'gcs://_ray_pkg_x.zip' },
      entrypoint_num_cpus: 0.5,
      entrypoint_memory: 1024,
      entrypoint_resources: { widget: 1 },
    });
  });

  it('sends entrypoint_label_selector to Ray ≥ 2.54 only, and says why otherwise', () => {
    const request = JobSubmitRequest.parse({ entrypoint: 'x', entrypointLabelSelector: { zone: 'a' } });
    expect(toRaySubmitBody(request, '2.60.0')).toEqual({ entrypoint: 'x', entrypoint_label_selector: { zone: 'a' } });
    expect(toRaySubmitBody(request, '2.54.0')).toHaveProperty('entrypoint_label_selector');
    let err: unknown;
    try {
      toRaySubmitBody(request, '2.53.1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    expect((err as AppError).fields?.entrypointLabelSelector).toContain('2.53.1');
  });

  it('compares Ray versions numerically, dev and rc builds included', () => {
    expect(rayVersionAtLeast('2.60.0', '2.54.0')).toBe(true);
    expect(rayVersionAtLeast('2.9.0', '2.54.0')).toBe(false);
    expect(rayVersionAtLeast('3.0.0.dev0', '2.54.0')).toBe(true);
    expect(rayVersionAtLeast('2.54.0rc1', '2.54.0')).toBe(true);
  });
});

describe('submitError', () => {
  it('turns Ray’s 500 for a taken submission id into 409 on submissionId', () => {
    const err = submitError(
      rayError(500, 'ValueError: Job with submission_id x already exists. Please use a different submission_id.'),
      { submissionId: 'x' },
      '2.60.0',
    ) as AppError;
    expect(err).toMatchObject({ code: 'conflict', fields: { submissionId: expect.any(String) } });
  });

  it('puts Ray’s 400 TypeErrors on the right field', () => {
    const cases: [string, string][] = [
      ["TypeError: entrypoint_num_cpus must be a number, got <class 'str'>", 'entrypointNumCpus'],
      ["TypeError: entrypoint_resources values must be numbers, got <class 'str'>", 'entrypointResources'],
      ["TypeError: metadata values must be strings, got <class 'int'>", 'metadata'],
      ["TypeError: JobSubmitRequest.__init__() missing 1 required positional argument: 'entrypoint'", 'entrypoint'],
      [
        "TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument 'entrypoint_label_selector'",
        'entrypointLabelSelector',
      ],
      ['TypeError: something new', '_'],
    ];
    for (const [line, field] of cases) {
      const err = submitError(rayError(400, line), {}, '2.52.0') as AppError;
      expect(err.code, line).toBe('validation');
      expect(Object.keys(err.fields ?? {}), line).toEqual([field]);
    }
  });

  it('leaves other failures alone', () => {
    const other = rayError(500, 'No available agent to submit job, please try again later.');
    expect(submitError(other, {}, '2.60.0')).toBe(other);
  });
});

describe('jobError', () => {
  it('maps Ray’s answers about one job', () => {
    expect(jobError(rayError(404, 'Job x does not exist'), 'x')).toMatchObject({ code: 'not_found' });
    expect(jobError(rayError(400, 'Can only stop submission type jobs'), '03000000')).toMatchObject({
      code: 'bad_request',
    });
    expect(jobError(rayError(400, 'Can only delete submission type jobs'), '03000000')).toMatchObject({
      message: expect.stringContaining('can only delete submitted jobs'),
    });
    expect(
      jobError(
        rayError(500, "RuntimeError: Attempted to delete job 'x', but it is in a non-terminal state RUNNING."),
        'x',
      ),
    ).toMatchObject({ code: 'conflict' });
  });
});
