import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import type { ClusterList, DiscoveryStatus } from '@ray-console/shared';
import type session from 'express-session';
import { createApp } from '../../../src/app.js';
import { personKubeOfConfig } from '../../../src/kubernetes/person-kube-of.js';
import { loadConfig } from '../../../src/config.js';
import {
  createKubernetesDiscovery,
  type KubernetesDiscovery,
} from '../../../src/features/kubernetes/kubernetes-discovery.js';
import { createLogger } from '../../../src/lib/logger.js';
import { createSessionStore } from '../../../src/session/session-store.js';
import { BffClient } from '../../support/bff-client.js';
import { waitFor } from '../../support/wait.js';

const SECRET = 'kubernetes-test-secret-0123456789abcdef';

export interface RunningConsole {
  url: string;
  client: BffClient;
  discovery: KubernetesDiscovery | undefined;
  /** The session store, to write a session of an OIDC person (`sessionOf` in test/support/person-session.ts). */
  store: session.Store;
  /** The secret that signs cookies, for `sessionOf`. */
  secret: string;
  /** The data folder (sessions, audit trail), for `expectNoSecrets`. */
  dataDir: string;
  /** Every log line, to check that no token was ever logged. */
  logs: string[];
  clusters(): Promise<ClusterList>;
  discoveryStatus(): Promise<DiscoveryStatus>;
  /** Polls the console's discovery state until `check` holds (the console's own refresh does the work). */
  waitForDiscovery(
    what: string,
    check: (s: DiscoveryStatus, clusters: ClusterList) => boolean,
    timeoutMs?: number,
  ): Promise<ClusterList>;
  close(): Promise<void>;
}

/** Writes a RAY_CONSOLE_CONFIG file (clusters and the `kubernetes` section) and returns its path. */
export function writeConsoleConfig(content: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ray-console-k8s-config-')), 'console.yaml');
  writeFileSync(file, stringify(content));
  return file;
}

/**
 * Starts the console in this process the way index.ts boots it (configuration from environment
 * variables, discovery built from it and started), on a free loopback port.
 */
export async function startConsole(env: Record<string, string | undefined>): Promise<RunningConsole> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-k8s-'));
  const config = loadConfig({
    SESSION_SECRET: SECRET,
    DATA_DIR: dir,
    SESSION_STORE: `sqlite:${path.join(dir, 'sessions.db')}`,
    LOG_LEVEL: 'info',
    PORT: '0',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const discovery = config.kubernetes ? createKubernetesDiscovery(config.kubernetes, logger) : undefined;
  discovery?.start();
  const { store, audit, loginAttempts, isReady, close: closeStore } = await createSessionStore(config, logger);
  const secrets = config.sessionSecrets ?? [SECRET];
  const app = createApp({
    // Kubernetes as the person (KUBERNETES_ACT_AS), built from the configuration as index.ts does.
    personKubeOf: personKubeOfConfig(config, secrets),
    config,
    secrets,
    store,
    audit,
    loginAttempts,
    storeReady: isReady,
    logger,
    ...(discovery ? { clusterSources: [discovery], discovery } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const client = new BffClient(url);

  const clusters = async () => {
    const res = await client.get('/api/clusters');
    if (res.status !== 200) throw new Error(`GET /api/clusters: ${res.status} ${res.text}`);
    return res.json<ClusterList>();
  };
  const discoveryStatus = async () => {
    const res = await client.get('/api/discovery');
    if (res.status !== 200) throw new Error(`GET /api/discovery: ${res.status} ${res.text}`);
    return res.json<DiscoveryStatus>();
  };
  return {
    url,
    client,
    discovery,
    store,
    secret: secrets[0]!,
    dataDir: dir,
    logs,
    clusters,
    discoveryStatus,
    waitForDiscovery: (what, check, timeoutMs = 30_000) =>
      waitFor(
        what,
        async () => {
          const [status, list] = [await discoveryStatus(), await clusters()];
          return check(status, list) ? list : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    close: async () => {
      await discovery?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeStore();
    },
  };
}
