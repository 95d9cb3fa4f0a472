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

/** Writes a RAY_CONSOLE_CONFIG YAML file with these clusters and returns its path. */
export function writeClustersConfig(clusters: readonly TestCluster[], dir?: string): string {
  const folder = dir ?? mkdtempSync(path.join(os.tmpdir(), 'ray-console-config-'));
  const file = path.join(folder, 'clusters.yaml');
  writeFileSync(file, stringify({ clusters }));
  return file;
}
