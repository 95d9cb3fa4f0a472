import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { RunningBff } from './bff.js';
import type { BffClient } from './bff-client.js';

/**
 * The token rule, checked where a token could leak: no answer any client received, no log line of the
 * console, and no byte of its data folder (sessions, audit trail, their write-ahead logs) holds one.
 */
export function expectNoSecrets(
  bff: Pick<RunningBff, 'logs' | 'dataDir'> | undefined,
  clients: readonly (BffClient | undefined)[],
  secrets: readonly string[],
): void {
  for (const client of clients) {
    for (const r of client?.responses ?? []) for (const s of secrets) expect(r.text).not.toContain(s);
  }
  for (const line of bff?.logs ?? []) for (const s of secrets) expect(line).not.toContain(s);
  const dataDir = bff?.dataDir;
  for (const name of dataDir ? readdirSync(dataDir) : []) {
    const bytes = readFileSync(path.join(dataDir!, name)).toString('latin1');
    for (const s of secrets) expect(bytes, name).not.toContain(s);
  }
}
