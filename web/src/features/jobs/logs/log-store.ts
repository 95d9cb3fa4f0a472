/**
 * The lines of one job log in the browser. Lines are appended as they stream in (a chunk may end
 * mid-line, so the unfinished tail is kept apart), and subscribers are told at most once per frame, so
 * a fast stream does not re-render the viewer for every chunk.
 */
export type LogState =
  | { kind: 'loading' }
  | { kind: 'streaming' }
  | { kind: 'reconnecting' }
  | { kind: 'ended'; status?: string }
  | { kind: 'error'; message: string };

export class LogStore {
  readonly lines: string[] = [];
  private partial = '';
  state: LogState = { kind: 'loading' };
  /** Changes whenever lines or state change; what useSyncExternalStore compares. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  constructor(private readonly schedule: (cb: () => void) => void = defaultSchedule) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Empties the store for a fresh stream (a remount under StrictMode, say), telling subscribers. */
  reset(): void {
    this.lines.length = 0;
    this.partial = '';
    this.state = { kind: 'loading' };
    this.changed();
  }

  /** Raw text that may start or end mid-line. */
  appendText(text: string): void {
    if (text === '') return;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.pushLines(parts);
  }

  /** Whole lines (the live tail delivers complete lines). */
  appendLines(lines: readonly string[]): void {
    this.pushLines(lines);
  }

  setState(state: LogState): void {
    if (state.kind === 'ended' && this.partial !== '') {
      this.pushLines([this.partial]);
      this.partial = '';
    }
    this.state = state;
    this.changed();
  }

  private pushLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    // push(...lines) overflows the stack for very large chunks; a loop does not.
    for (const line of lines) this.lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    this.changed();
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.version += 1;
      for (const l of this.listeners) l();
    });
  }
}

function defaultSchedule(cb: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 0);
}
