import { LogLineSplitter } from '@ray-console/shared';

/** A batch of complete lines to send, and the number of lines delivered once it is sent. */
export interface LineBatch {
  lines: string[];
  /** Lines delivered so far, counted from the start of the log: the SSE event's `id`. */
  delivered: number;
}

/**
 * Turns Ray's log-tail chunks into complete lines, numbered from the start of the log, and skips the
 * lines a reconnecting browser already has. Ray's tail always replays the log from its first line, so a
 * resume on any replica is "open the tail again and skip N lines"; no state is kept between connections.
 *
 * Lines are cut by the one rule in shared/ ({@link LogLineSplitter}: `\n`, `\r\n`, a lone `\r`, and
 * over-long lines cut into marked pieces), which is deterministic whatever the chunking, so any two
 * replays, and the browser reading the whole log, number the same lines the same way. An empty line
 * alone in a batch is held until another line joins it, because EventSource drops an event whose data is
 * empty; an empty line that is the very last of the log is never sent.
 */
export class LogLineRelay {
  private readonly splitter: LogLineSplitter;
  /** Complete lines seen from the start of the log (sent or skipped). */
  private seen = 0;
  private held: string[] = [];
  private deliveredCount: number;

  /**
   * @param skip lines the client already has (`Last-Event-ID` or `?from=`).
   * @param maxChars the longest piece of a line (tests use a small one).
   */
  constructor(
    private readonly skip: number,
    maxChars?: number,
  ) {
    this.deliveredCount = skip;
    this.splitter = new LogLineSplitter(maxChars);
  }

  get delivered(): number {
    return this.deliveredCount;
  }

  /** Feeds one chunk; returns the lines to send now, if any. */
  push(chunk: string): LineBatch | undefined {
    return this.take(this.splitter.push(chunk));
  }

  /** The stream ended normally: the last partial line (if any) is a line too. */
  end(): LineBatch | undefined {
    const batch = this.take(this.splitter.end());
    this.held = [];
    return batch;
  }

  private take(lines: readonly string[]): LineBatch | undefined {
    for (const line of lines) {
      this.seen += 1;
      if (this.seen > this.skip) this.held.push(line);
    }
    if (this.held.length === 0) return undefined;
    if (this.held.length === 1 && this.held[0] === '') return undefined;
    const batch = this.held;
    this.held = [];
    this.deliveredCount += batch.length;
    return { lines: batch, delivered: this.deliveredCount };
  }
}
