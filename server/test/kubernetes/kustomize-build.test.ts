import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/kube-control-plane.js';
import { Kube, kubeContext, kustomizeBuild, renderKustomization, type KubeObject } from './support/kube.js';

// deploy/ as users get it: `kubectl apply -k` runs kustomize, which refuses layouts the tests' own renderer
// (renderKustomization, which deploy.test.ts analyses) would happily read, such as an overlay whose base
// folder contains the overlay ("cycle detected"). So every kustomization in deploy/ is built here with the
// real kustomize and every object it yields goes to the real API server as a server-side dry run.

const ctx = kubeContext();
const kube = new Kube(ctx);
const DEPLOY = path.join(PROJECT_ROOT, 'deploy');

/** Every folder under deploy/ with a kustomization.yaml (the KubeRay CRDs are not one), relative to the root. */
function kustomizations(dir: string): string[] {
  const here = fs.existsSync(path.join(dir, 'kustomization.yaml')) ? [path.relative(PROJECT_ROOT, dir)] : [];
  const below = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !(dir === DEPLOY && e.name === 'crds'))
    .flatMap((e) => kustomizations(path.join(dir, e.name)));
  return [...here, ...below].sort();
}

const KUSTOMIZATIONS = kustomizations(DEPLOY);

/** `kubectl apply -k <dir>` lines in the docs users follow, and the folders they name. */
function documentedKustomizations(): { file: string; dir: string }[] {
  const files = [
    'README.md',
    'deploy/README.md',
    'docs/operations.md',
    ...KUSTOMIZATIONS.map((k) => `${k}/kustomization.yaml`),
  ];
  return files.flatMap((file) =>
    [...fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(/apply -k (deploy\/[\w./-]*)/g)].map((m) => ({
      file,
      dir: path.normalize(m[1]!).replace(/\/$/, ''),
    })),
  );
}

/** An object placed in `namespace` (namespaced kinds only), so a dry run needs no `ray-console` namespace. */
const placedIn = (obj: KubeObject, namespace: string): KubeObject =>
  obj.metadata.namespace ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj;

const identity = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objects: KubeObject[]) => [...objects].sort((a, b) => identity(a).localeCompare(identity(b)));

let ns: string;

beforeAll(async () => {
  ns = await kube.createNamespace('kustomize-build');
});

describe('deploy/ with the real kustomize', () => {
  it('has the base, the ingress overlay and the namespaced RBAC as kustomizations', () => {
    expect(KUSTOMIZATIONS).toEqual(
      expect.arrayContaining(['deploy/base', 'deploy/overlays/ingress', 'deploy/namespaced-rbac']),
    );
  });

  it.each(KUSTOMIZATIONS)('kustomize build %s succeeds and the API server accepts every object', async (dir) => {
    const objects = kustomizeBuild(path.join(PROJECT_ROOT, dir));
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) {
      const res = await kube.apply(placedIn(obj, ns), { dryRun: true });
      expect(res.status, `${dir}: ${obj.kind}/${obj.metadata.name}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
  });

  it('every `kubectl apply -k` in the docs names one of them', () => {
    const documented = documentedKustomizations();
    expect(documented.map((d) => d.dir)).toEqual(
      expect.arrayContaining(['deploy/base', 'deploy/overlays/ingress', 'deploy/namespaced-rbac']),
    );
    for (const { file, dir } of documented) expect(KUSTOMIZATIONS, `${file}: apply -k ${dir}`).toContain(dir);
  });

  it("yields what the tests' own renderer yields, so deploy.test.ts's RBAC analysis reads what users apply", () => {
    for (const dir of KUSTOMIZATIONS) {
      const where = path.join(PROJECT_ROOT, dir);
      expect(sorted(renderKustomization(where)), dir).toEqual(sorted(kustomizeBuild(where)));
    }
  });
});
