import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RAYCLUSTER_FORM_DEFAULTS, RayClusterForm } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { previewOf } from './raycluster-create.js';
import { rayClusterFromYaml } from './raycluster-yaml.js';

const form = RayClusterForm.parse({ ...RAYCLUSTER_FORM_DEFAULTS, name: 'demo', namespace: 'team-a' });
const preview = previewOf(form).yaml;
const sample = (file: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../../deploy/crds/kuberay-v1.7.0/samples/${file}`, import.meta.url)),
    'utf8',
  );

function fieldsOf(text: string): Record<string, string> {
  try {
    rayClusterFromYaml(text);
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation') return err.fields ?? {};
    throw err;
  }
  return {};
}

describe('rayClusterFromYaml', () => {
  it('reads the preview back as the same RayCluster, with its token way', () => {
    const target = rayClusterFromYaml(preview);
    expect(target).toMatchObject({ namespace: 'team-a', name: 'demo', auth: { way: 'authOptions' } });
    expect(target.object).toMatchObject({ kind: 'RayCluster', spec: { authOptions: { mode: 'token' } } });
  });

  it("reads KubeRay's own token samples once they name a namespace", () => {
    const ns = (text: string) => text.replace(/^metadata:\n/m, 'metadata:\n  namespace: team-a\n');
    expect(rayClusterFromYaml(ns(sample('ray-cluster.auth.yaml'))).auth).toEqual({ way: 'authOptions' });
    // The manual sample sets no rayVersion: KubeRay does not need it there, but Ray 2.52+ is needed for tokens.
    expect(fieldsOf(ns(sample('ray-cluster.auth-manual.yaml')))).toEqual({
      'spec.rayVersion': expect.stringMatching(/2\.52\.0 or later/),
    });
    const manual = ns(sample('ray-cluster.auth-manual.yaml')).replace(/^spec:\n/m, 'spec:\n  rayVersion: "2.52.0"\n');
    expect(rayClusterFromYaml(manual).auth).toEqual({
      way: 'secret-env',
      secret: { name: 'ray-cluster-with-auth', key: 'auth_token' },
    });
  });

  it('names the field of each problem the CRD lets through but KubeRay refuses', () => {
    const bad = preview
      .replace('rayVersion: 2.53.0', 'rayVersion: 2.51.0')
      .replace(/cpu: "1"/, 'cpu: "-1"')
      .replace('minReplicas: 1', 'minReplicas: 4');
    expect(bad).not.toBe(preview);
    expect(fieldsOf(bad)).toEqual({
      'spec.rayVersion': expect.stringMatching(/2\.52\.0 or later/),
      'spec.headGroupSpec.template.spec.containers[0].resources.requests.cpu': expect.stringMatching(/negative/),
      'spec.workerGroupSpecs[0].maxReplicas': expect.stringMatching(/at least minReplicas \(4\)/),
    });
  });

  it('wants token authentication, from a Secret', () => {
    expect(fieldsOf(preview.replace(/ {2}authOptions:\n {4}mode: token\n/, ''))).toEqual({
      'spec.authOptions': expect.stringMatching(/token-protected/),
    });
    const literal = sample('ray-cluster.auth-manual.yaml')
      .replace(/^metadata:\n/m, 'metadata:\n  namespace: team-a\n')
      .replace(/^spec:\n/m, 'spec:\n  rayVersion: "2.52.0"\n')
      .replace(
        /valueFrom:\n\s+secretKeyRef:\n\s+key: auth_token\n\s+name: ray-cluster-with-auth # .*\n/,
        'value: plain\n',
      );
    expect(fieldsOf(literal)).toEqual({
      'spec.headGroupSpec.template.spec.containers[0].env': expect.stringMatching(/from a Secret/),
    });
  });

  it('wants one RayCluster of ray.io/v1 with a name KubeRay accepts and a namespace', () => {
    expect(fieldsOf(`${preview}---\n${preview}`).yaml).toMatch(/2 documents/);
    expect(fieldsOf('kind: [unclosed').yaml).toMatch(/cannot be read \(line 1\)/);
    expect(fieldsOf('- a list')).toEqual({ yaml: expect.stringMatching(/must be a RayCluster object/) });
    expect(fieldsOf(preview.replace('kind: RayCluster', 'kind: RayJob')).kind).toMatch(/RayCluster/);
    expect(fieldsOf(preview.replace('apiVersion: ray.io/v1', 'apiVersion: ray.io/v1alpha1')).apiVersion).toBeDefined();
    expect(fieldsOf(preview.replace('name: demo\n', `name: ${'a'.repeat(54)}\n`))['metadata.name']).toMatch(/53/);
    expect(fieldsOf(preview.replace('  namespace: team-a\n', ''))['metadata.namespace']).toMatch(
      /Set metadata.namespace/,
    );
    expect(fieldsOf(preview.replace('namespace: team-a', 'namespace: ../x'))['metadata.namespace']).toMatch(
      /not a valid/,
    );
  });

  it('refuses duplicate keys rather than guessing which one was meant', () => {
    expect(fieldsOf(preview.replace('spec:\n', 'spec:\n  rayVersion: "2.60.0"\n')).yaml).toMatch(/cannot be read/);
  });

  it('drops a status pasted from an export', () => {
    const target = rayClusterFromYaml(`${preview}status:\n  state: ready\n`);
    expect(target.object.status).toBeUndefined();
  });
});
