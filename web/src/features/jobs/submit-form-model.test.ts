import { describe, expect, it } from 'vitest';
import { setupI18n } from '@lingui/core';
import { toMessages } from '../../i18n/catalogs';
import en from '../../i18n/locales/en/jobs.json';
import zh from '../../i18n/locales/zh-CN/jobs.json';
import { translator } from '../../i18n/use-t';
import { buildRequest as build, emptyForm, errorFor, formFromRequest, versionAtLeast } from './submit-form-model';

function jobsT(language: 'en' | 'zh-CN') {
  const i18n = setupI18n();
  i18n.load({ en: toMessages('jobs', en), 'zh-CN': toMessages('jobs', zh) } as never);
  i18n.activate(language);
  return translator(i18n, 'jobs');
}
const buildRequest = (values: Parameters<typeof build>[0]) => build(values, jobsT('en'));

describe('the submit form model', () => {
  it('builds a request with env_vars merged into runtime_env, leaving out empty fields', () => {
    const result = buildRequest({
      ...emptyForm(),
      entrypoint: 'python main.py',
      runtimeEnvJson: '{"pip": ["requests"]}',
      envVars: [
        { key: 'MODE', value: 'fast' },
        { key: '', value: 'ignored' },
      ],
      workingDirUri: 'gcs://_ray_pkg_abc.zip',
      numCpus: '0.5',
      resources: [{ key: 'widget', value: '2' }],
    });
    expect(result).toEqual({
      request: {
        entrypoint: 'python main.py',
        runtimeEnv: { pip: ['requests'], env_vars: { MODE: 'fast' }, working_dir: 'gcs://_ray_pkg_abc.zip' },
        entrypointNumCpus: 0.5,
        entrypointResources: { widget: 2 },
      },
    });
  });

  it('gives field messages for an empty entrypoint, bad JSON, a bad submission id and a non-number', () => {
    const result = buildRequest({ ...emptyForm(), runtimeEnvJson: '{nope', submissionId: 'a/b', numGpus: 'two' });
    expect('errors' in result).toBe(true);
    if (!('errors' in result)) return;
    expect(errorFor(result.errors, 'entrypoint')).toMatch(/command to run/);
    expect(errorFor(result.errors, 'runtimeEnv')).toMatch(/not valid JSON/);
    expect(errorFor(result.errors, 'submissionId')).toMatch(/letters, digits/);
    expect(errorFor(result.errors, 'entrypointNumGpus')).toBe('Enter a number.');
  });

  it('words its field messages in the user’s language', () => {
    const result = build({ ...emptyForm(), submissionId: 'a/b', numGpus: 'two' }, jobsT('zh-CN'));
    if (!('errors' in result)) throw new Error('expected errors');
    expect(errorFor(result.errors, 'entrypoint')).toBe('请输入要运行的命令，例如 python script.py。');
    expect(errorFor(result.errors, 'submissionId')).toMatch(/字母、数字/);
    expect(errorFor(result.errors, 'entrypointNumGpus')).toBe('请输入数字。');
  });

  it('turns a job back into form values for Clone, without its submission id', () => {
    const values = formFromRequest({
      entrypoint: 'echo hi',
      runtimeEnv: { env_vars: { A: '1' }, working_dir: 'gcs://x.zip', pip: ['rich'] },
      metadata: { owner: 'me' },
    });
    expect(values.envVars).toEqual([{ key: 'A', value: '1' }]);
    expect(values.workingDirUri).toBe('gcs://x.zip');
    expect(JSON.parse(values.runtimeEnvJson)).toEqual({ pip: ['rich'] });
    expect(values.submissionId).toBe('');
    expect(buildRequest(values)).toEqual({
      request: {
        entrypoint: 'echo hi',
        runtimeEnv: { pip: ['rich'], env_vars: { A: '1' }, working_dir: 'gcs://x.zip' },
        metadata: { owner: 'me' },
      },
    });
  });

  it('compares Ray versions for feature gates', () => {
    expect(versionAtLeast('2.60.0', '2.54.0')).toBe(true);
    expect(versionAtLeast('2.52.0', '2.54.0')).toBe(false);
    expect(versionAtLeast('2.54.0', '2.54.0')).toBe(true);
    expect(versionAtLeast(undefined, '2.54.0')).toBe(false);
  });
});
