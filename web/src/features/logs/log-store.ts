import { LogLineSplitter } from '@ray-console/shared';

/**
 * The lines of one log (a job's, a worker's, a node's file) in the browser. Lines are appended as they stream in (a chunk may end
 * mid-line, so the unfinished tail is kept apart), and subscribers are told at most once per frame, so
 * a fast stream does not re-render the viewer for every chunk.
 *
 * Raw text is cut into lines by the same rule as the live tail ({@link LogLineSplitter} in shared/), so a
 * line has the same number live and after a reload. Lines the live tail skipped (the console keeps only
 * the latest lines of a log it relays) take one marker row, and the rows after it keep their numbers in
 * the whole log.
 */
export type LogState =
  | { kind: 'loading' }
  | { kind: 'streaming' }
  | { kind: 'reconnecting' }
  | { kind: 'ended'; status?: string }
  /**
   * The log stopped: `failed` to load (the error says why), `closed` by the BFF (the session can no
   * longer read it; `detail` is the BFF's English reason), or a live tail that `stopped` midway.
   */
  | { kind: 'error'; reason: 'failed'; error: unknown }
  | { kind: 'error'; reason: 'closed'; detail?: string | undefined }
  | { kind: 'error'; reason: 'stopped' };

/** A marker row for lines `from`..`to` (numbered from 1) that were not sent. */
export interface SkippedLines {
  row: number;
  from: number;
  to: number;
}

export class LogStore {
  readonly lines: string[] = [];
  /** Marker rows, in row order; their entry in `lines` is empty. */
  readonly skipped: SkippedLines[] = [];
  private splitter = new LogLineSplitter();
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
    this.skipped.length = 0;
    this.splitter = new LogLineSplitter();
    this.state = { kind: 'loading' };
    this.changed();
  }

  /** Raw text that may start or end mid-line. */
  appendText(text: string): void {
    if (text === '') return;
    this.pushLines(this.splitter.push(text));
  }

  /** Whole lines (the live tail delivers complete lines). */
  appendLines(lines: readonly string[]): void {
    this.pushLines(lines);
  }

  /** Lines `from`..`to` of the log were skipped: one marker row stands for them. */
  appendSkipped(from: number, to: number): void {
    this.skipped.push({ row: this.lines.length, from, to });
    this.lines.push('');
    this.changed();
  }

  /** The skipped lines a row stands for, when it is a marker row. */
  skippedAt(row: number): SkippedLines | undefined {
    return this.skipped.find((s) => s.row === row);
  }

  /** The row's line number in the whole log (a marker row's is its first skipped line). */
  lineNumber(row: number): number {
    let n = row + 1;
    for (const s of this.skipped) {
      if (s.row >= row) break;
      n += s.to - s.from;
    }
    return n;
  }

  /** The row that shows line `n` of the whole log (numbered from 1); a skipped line's is its marker row. */
  rowOfLine(n: number): number | undefined {
    if (!Number.isInteger(n) || n < 1) return undefined;
    let offset = 0;
    for (const s of this.skipped) {
      if (n < s.from) break;
      if (n <= s.to) return s.row;
      offset += s.to - s.from;
    }
    return n - 1 - offset;
  }

  /** Lines of the whole log so far, skipped ones included. */
  get totalLines(): number {
    return this.skipped.reduce((n, s) => n + s.to - s.from, this.lines.length);
  }

  setState(state: LogState): void {
    if (state.kind === 'ended') this.pushLines(this.splitter.end());
    this.state = state;
    this.changed();
  }

  private pushLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    // push(...lines) overflows the stack for very large chunks; a loop does not.
    for (const line of lines) this.lines.push(line);
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
