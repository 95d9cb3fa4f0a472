import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import { OidcIdentity, type OidcIdentityOptions } from '../../src/identity/oidc-identity.js';
import { LiveTails } from '../../src/features/jobs/job-log-stream.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { createSessionStore } from '../../src/session/session-store.js';

export const TEST_SECRET = 'integration-test-secret-0123456789abcdef';

export interface RunningBff {
  url: string;
  dataDir: string;
  /** Every log line the BFF wrote, to check that no token was ever logged. */
  logs: string[];
  /** Its live log tails, to see how many are open (to the browsers and to Ray). */
  tails: LiveTails;
  close(): Promise<void>;
}

/**
 * Starts the BFF in this process on a free port, configured through the same environment variables
 * an operator sets, with a real SQLite session store in a temp folder (or `dataDir` to share one).
 */
export async function startBff(
  env: Record<string, string | undefined>,
  dataDir?: string,
  options: {
    /** Listen on this port (e.g. one PUBLIC_URL already names); default: any free one. */
    port?: number;
    /** With OIDC_* set: options of the identity door (a fetch standing between it and the provider, a clock skew). */
    identityOptions?: OidcIdentityOptions;
  } = {},
): Promise<RunningBff> {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ray-console-bff-'));
  const config = loadConfig({
    SESSION_SECRET: TEST_SECRET,
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
  const { store, audit, loginAttempts, isReady, close: closeStore } = await createSessionStore(config, logger);
  const tails = new LiveTails(config.liveTails);
  const identity = config.oidc ? new OidcIdentity(config.oidc, logger, options.identityOptions) : undefined;
  identity?.start();
  const app = createApp({
    ...(identity ? { identity } : {}),
    config,
    liveTails: tails,
    secrets: config.sessionSecrets ?? [TEST_SECRET],
    store,
    audit,
    loginAttempts,
    storeReady: isReady,
    logger,
  });
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    logs,
    tails,
    close: async () => {
      identity?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeStore();
    },
  };
}
