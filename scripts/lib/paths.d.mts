export const repoRoot: string;
export const RAY_VERSION: string;
export const OLDEST_RAY_VERSION: string;
export function cacheRoot(env?: NodeJS.ProcessEnv): string;
export function venvDir(version: string): string;
