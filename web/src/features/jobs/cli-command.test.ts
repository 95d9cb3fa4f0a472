import { describe, expect, it } from 'vitest';
import { rayJobSubmitCommand } from './cli-command';

describe('Copy as CLI', () => {
  it('builds the ray job submit line with every field, quoted for the shell, and no token', () => {
    const line = rayJobSubmitCommand(
      {
        entrypoint: 'python train.py --epochs 3',
        submissionId: 'nightly_1',
        runtimeEnv: { env_vars: { MODE: "it's fast" }, working_dir: 'gcs://_ray_pkg_abc.zip' },
        metadata: { team: 'ml' },
        entrypointNumCpus: 0.5,
        entrypointResources: { widget: 1 },
      },
      'http://ray-head:8265',
    );
    expect(line).toBe(
      'RAY_AUTH_MODE=token ray job submit --address http://ray-head:8265 --submission-id nightly_1 ' +
        `--runtime-env-json '{"env_vars":{"MODE":"it'\\''s fast"},"working_dir":"gcs://_ray_pkg_abc.zip"}' ` +
        `--metadata-json '{"team":"ml"}' --entrypoint-num-cpus 0.5 --entrypoint-resources '{"widget":1}' ` +
        '-- python train.py --epochs 3',
    );
  });

  it('leaves out what the job does not set', () => {
    expect(rayJobSubmitCommand({ entrypoint: 'echo hi' }, 'http://h:8265')).toBe(
      'RAY_AUTH_MODE=token ray job submit --address http://h:8265 -- echo hi',
    );
  });
});
