import { describe, expect, it } from 'vitest';
import { SUBMITTED_BY_METADATA, type JobDetails } from '@ray-console/shared';
import { requestFromJob } from './request-from-job';

describe('requestFromJob (Clone, Copy as CLI)', () => {
  it('leaves out the console’s own metadata keys, which the BFF writes for whoever submits the copy', () => {
    const job: JobDetails = {
      id: 'raysubmit_1',
      type: 'SUBMISSION',
      status: 'SUCCEEDED',
      entrypoint: 'python run.py',
      metadata: {
        team: 'a',
        [SUBMITTED_BY_METADATA.name]: 'Alice',
        [SUBMITTED_BY_METADATA.issuer]: 'https://idp',
        [SUBMITTED_BY_METADATA.subject]: 'sub-alice',
      },
      submittedBy: { name: 'Alice', issuer: 'https://idp', subject: 'sub-alice' },
    };
    expect(requestFromJob(job)).toEqual({ entrypoint: 'python run.py', metadata: { team: 'a' } });
    expect(requestFromJob({ ...job, metadata: { [SUBMITTED_BY_METADATA.name]: 'Alice' } })).toEqual({
      entrypoint: 'python run.py',
    });
  });
});
