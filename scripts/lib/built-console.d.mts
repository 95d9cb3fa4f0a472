export interface BuiltConsole {
  url: string;
  pid: number | undefined;
  log: string;
  dataDir: string;
  stop(): Promise<void>;
}
export function startBuiltConsole(
  env?: Record<string, string>,
  options?: { port?: number; root?: string; nodeArgs?: string[]; timeoutMs?: number },
): Promise<BuiltConsole>;
