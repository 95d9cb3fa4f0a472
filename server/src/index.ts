import { accessSync, constants, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './lib/logger.js';
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
    accessSync(config.dataDir, constants.W_OK);
  } catch {
    process.stderr.write(
      `Ray Console cannot start: the data folder ${config.dataDir} is not writable. ` +
        'Make it writable by this user, or point DATA_DIR at a folder that is.\n',
    );
    process.exit(2);
  }
  const secrets = config.sessionSecrets ?? [demoSessionSecret(config.dataDir)];
  const { store, close } = await createSessionStore(config);

  const app = createApp({ config, secrets, store, logger });
  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, host: config.host, clusters: config.clusters.map((c) => c.id) }, 'Ray Console is listening');
  });
  server.on('error', (err) => {
    process.stderr.write(`Ray Console cannot listen on ${config.host}:${config.port}: ${err.message}\n`);
    process.exit(2);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining');
    server.close(() => {
      void close().finally(() => process.exit(0));
    });
    // Long-lived responses (log tails) are told to end; they reconnect to another replica.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
