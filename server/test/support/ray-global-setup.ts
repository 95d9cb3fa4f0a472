import type { TestProject } from 'vitest/node';
// The same launcher `npm start` and the e2e tests use, so every suite runs Ray the same way.
import { startRayHead } from '../../../scripts/lib/ray-head.mjs';
import { RAY_VERSION } from '../../../scripts/lib/paths.mjs';

export interface RayHeadInfo {
  version: string;
  dashboardUrl: string;
  dashboardPort: number;
  token: string;
  tokenFile: string;
  python: string;
  ray: string;
  gcsAddress: string;
  workDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    rayHead: RayHeadInfo;
  }
}

/** Starts one real Ray head with token auth for the whole integration run, and stops it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const version = process.env.RAY_VERSION ?? RAY_VERSION;
  // A custom resource proves that totals carry custom resources (and their names) through unchanged.
  const head = await startRayHead({
    version,
    resources: { console_test_widget: 3 },
    log: (l: string) => process.stderr.write(`${l}\n`),
  });
  project.provide('rayHead', {
    version,
    dashboardUrl: head.dashboardUrl,
    dashboardPort: head.dashboardPort,
    token: head.token,
    tokenFile: head.tokenFile,
    python: head.python,
    ray: head.ray,
    gcsAddress: head.gcsAddress,
    workDir: head.workDir,
  });
  return async () => {
    await head.stop();
  };
}
