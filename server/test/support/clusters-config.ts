import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export interface TestCluster {
  id: string;
  dashboardUrl: string;
  displayName?: string;
  tokenFile?: string;
  tokenPrompt?: boolean;
}

/** A grant of the config file's `access` section: a role for groups and/or people (by subject). */
export interface TestGrant {
  role: 'viewer' | 'operator' | 'admin';
  groups?: string[];
  users?: string[];
}

/** Writes a RAY_CONSOLE_CONFIG YAML file with these clusters (and roles, if given) and returns its path. */
export function writeClustersConfig(
  clusters: readonly TestCluster[],
  options: { dir?: string; access?: { clusters: Record<string, TestGrant[]> } } = {},
): string {
  const folder = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'ray-console-config-'));
  const file = path.join(folder, 'clusters.yaml');
  writeFileSync(file, stringify({ clusters, ...(options.access ? { access: options.access } : {}) }));
  return file;
}
