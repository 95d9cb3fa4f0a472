import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import {
  operatorAvailable,
  startControlPlane,
  startOperator,
  type ControlPlaneTokens,
} from '../../harness/kube-control-plane.js';

export interface KubeContext {
  server: string;
  adminToken: string;
  kubeconfigPath: string;
  tokens: ControlPlaneTokens;
  /** The real KubeRay operator runs against the API server; otherwise the tests create what it would. */
  operator: boolean;
  /** Loopback URL that stops (POST /apiserver/stop) and starts (POST /apiserver/start) kube-apiserver. */
  controlUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kube: KubeContext;
  }
}

/**
 * One real control plane (etcd + kube-apiserver with the KubeRay v1.7.0 CRDs) for the whole Kubernetes
 * run, and the real KubeRay operator when it was built (RAY_CONSOLE_K8S_EMULATE_OPERATOR=1 leaves it
 * out, to exercise the tests' own stand-in). Test files run in workers, so stopping and starting the
 * API server (the outage test) goes through a small loopback endpoint served from here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const cp = await startControlPlane();
  const useOperator = operatorAvailable() && process.env.RAY_CONSOLE_K8S_EMULATE_OPERATOR !== '1';
  if (useOperator) await startOperator(cp);
  process.stderr.write(
    `Kubernetes control plane at ${cp.server} in ${Date.now() - started} ms ` +
      `(${JSON.stringify(cp.timings)}); KubeRay operator: ${useOperator ? 'real' : 'emulated by the tests'}\n`,
  );

  const control = http.createServer((req, res) => {
    const action =
      req.method === 'POST' && req.url === '/apiserver/stop'
        ? cp.stopApiServer()
        : req.method === 'POST' && req.url === '/apiserver/start'
          ? cp.startApiServer()
          : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action.then(
      () => res.writeHead(204).end(),
      (err: unknown) => res.writeHead(500).end(err instanceof Error ? err.message : String(err)),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;

  project.provide('kube', {
    server: cp.server,
    adminToken: cp.adminToken,
    kubeconfigPath: cp.kubeconfigPath,
    tokens: cp.tokens,
    operator: useOperator,
    controlUrl: `http://127.0.0.1:${port}`,
  });
  return async () => {
    control.closeAllConnections();
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await cp.stop();
  };
}
