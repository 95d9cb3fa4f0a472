export const TOOL_PINS: readonly string[];
export const toolsVenvDir: string;
export function ensureToolsVenv(options?: {
  log?: (line: string) => void;
  python?: string;
}): Promise<{ dir: string; python: string; st: string }>;
