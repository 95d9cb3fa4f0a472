export interface RayHead {
  version: string;
  authMode: 'token' | 'disabled';
  token: string;
  tokenFile: string;
  dashboardUrl: string;
  dashboardPort: number;
  gcsAddress: string;
  python: string;
  ray: string;
  workDir: string;
  logFile: string;
  clientEnv(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
  kill(): Promise<void>;
}
export function freePort(): Promise<number>;
/** `count` different free loopback ports (all held open at once, then released). */
export function freePorts(count: number): Promise<number[]>;
export function newRayToken(): string;
export function startRayHead(options: {
  version: string;
  authMode?: 'token' | 'disabled';
  token?: string;
  dashboardPort?: number;
  numCpus?: number;
  resources?: Record<string, number>;
  workDir?: string;
  env?: Record<string, string>;
  log?: (line: string) => void;
}): Promise<RayHead>;
export function killGroup(pgid: number, graceMs?: number): Promise<void>;
