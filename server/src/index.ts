import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { Drain } from './lib/drain.js';
import { createKubernetesDiscovery, type KubernetesDiscovery } from './features/kubernetes/kubernetes-discovery.js';
import { createLogger } from './lib/logger.js';
import { personKubeOfConfig } from './kubernetes/person-kube-of.js';
import { ManagedTokens } from './session/managed-tokens.js';
import { demoSessionSecret } from './session/session-secret.js';
import { createSessionStore } from './session/session-store.js';

/** Boots the console: reads the configuration, opens the session store, listens, and drains on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // A real write, not access(): root passes access() on a folder it could not write on a read-only mount.
    const probe = path.join(config.dataDir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (err) {
    process.stderr.write(
      `Ray Console cannot start: the data folder ${config.dataDir} is not writable ` +
        `(${(err as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Make it writable by this user, or point DATA_DIR at a folder that is.\n',
    );
    process.exit(2);
  }
  try {
    // The spool of package uploads: made now and written to, so a bad mount stops the start, not an upload.
    mkdirSync(config.uploads.dir, { recursive: true, mode: 0o700 });
    const probe = path.join(config.uploads.dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (err) {
    process.stderr.write(
      `Ray Console cannot start: the upload folder ${config.uploads.dir} is not writable ` +
        `(${(err as NodeJS.ErrnoException).code ?? 'error'}). ` +
        'Make it writable by this user, or point UPLOAD_DIR at a folder that is.\n',
    );
    process.exit(2);
  }
  for (const warning of config.warnings) logger.warn(warning);
  const secrets = config.sessionSecrets ?? [demoSessionSecret(config.dataDir)];
  let backend;
  try {
    backend = await createSessionStore(config, logger);
  } catch (err) {
    process.stderr.write(`Ray Console cannot start: ${describeStoreFailure(config, err)}\n`);
    process.exit(2);
  }
  const { store, audit, loginAttempts, isReady, close } = backend;

  let discovery: KubernetesDiscovery | undefined;
  if (config.kubernetes) {
    try {
      discovery = createKubernetesDiscovery(config.kubernetes, logger);
    } catch (err) {
      process.stderr.write(`Ray Console cannot start: ${(err as Error).message}\n`);
      process.exit(2);
    }
    discovery.start();
  }

  let managedTokens: ManagedTokens;
  try {
    managedTokens = new ManagedTokens(config.clusters, logger);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }

  let personKubeOf;
  try {
    // Kubernetes as the signed-in person (issue 12; KUBERNETES_ACT_AS): a kubeconfig that cannot be read stops the start.
    personKubeOf = personKubeOfConfig(config, secrets);
  } catch (err) {
    process.stderr.write(`Ray Console cannot start: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (config.kubeIdentity) logger.info({ mode: config.kubeIdentity.mode }, 'Kubernetes actions act as the person');

  const drain = new Drain();
  const app = createApp({
    personKubeOf,
    managedTokens,
    config,
    secrets,
    store,
    audit,
    loginAttempts,
    storeReady: isReady,
    drain,
    logger,
    ...(discovery ? { clusterSources: [discovery], discovery } : {}),
  });
  const server = app.listen(config.port, config.host, (err) => {
    // Express 5 calls this with the error when listening fails (a port in use); the 'error' handler
    // below says so and exits.
    if (err) return;
    const { port } = server.address() as AddressInfo;
    logger.info({ port, host: config.host, clusters: config.clusters.map((c) => c.id) }, 'Ray Console is listening');
  });
  server.on('error', (err) => {
    process.stderr.write(`Ray Console cannot listen on ${config.host}:${config.port}: ${err.message}\n`);
    process.exit(2);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal, streams: drain.streams }, 'draining');
    // Readiness turns 503 and live log tails end cleanly; browsers reconnect through another replica
    // and resume from their Last-Event-ID. Requests in flight finish; idle keep-alive sockets close.
    drain.start();
    void discovery?.stop();
    managedTokens.close();
    server.close(() => {
      void close().finally(() => {
        logger.info({ signal }, 'drained');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), config.drainTimeoutMs).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** What to fix when the session store cannot be opened. */
function describeStoreFailure(config: Readonly<Config>, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (config.sessionStore.kind === 'redis') return message;
  const code = (err as NodeJS.ErrnoException).code;
  return (
    `the session store ${config.sessionStore.file} (SESSION_STORE) cannot be opened (${code ?? message}). ` +
    'Make its folder writable by this user, or point SESSION_STORE at sqlite:<a writable file>.'
  );
}

void main();
