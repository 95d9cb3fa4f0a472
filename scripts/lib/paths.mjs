// Where the project keeps what it installs for itself. Everything here is outside git (see .gitignore).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Ray version the console is built and tested against, and the oldest one it supports. */
export const RAY_VERSION = '2.60.0';
export const OLDEST_RAY_VERSION = '2.52.0';

/**
 * What the project builds or downloads once and keeps outside the clone (the Kubernetes control plane,
 * Keycloak, a JDK, Node 24's addon builds): `${RAY_CONSOLE_CACHE:-~/.cache/ray-console}`.
 * @param {NodeJS.ProcessEnv} [env]
 */
export const cacheRoot = (env = process.env) =>
  env.RAY_CONSOLE_CACHE || path.join(os.homedir(), '.cache', 'ray-console');

/** Project-local virtualenvs, one per Ray version: `.venv/ray-<version>`. */
export const venvDir = (version) => path.join(repoRoot, '.venv', `ray-${version}`);
