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
 * Deterministic on purpose, so that any two replays number the same lines the same way whatever the
 * chunking: lines end at `\n`, `\r\n` or a lone `\r` (a chunk that ends in `\r` waits to see whether
 * `\n` follows); a chunk may end mid-line, and only complete lines go out, the last partial line at the
 * end. An empty line alone in a batch is held until another line joins it, because EventSource drops an
 * event whose data is empty; an empty line that is the very last of the log is never sent.
 */
export class LogLineRelay {
  private partial = '';
  /** Complete lines seen from the start of the log (sent or skipped). */
  private seen = 0;
  private held: string[] = [];
  private deliveredCount: number;

  /** @param skip lines the client already has (`Last-Event-ID` or `?from=`). */
  constructor(private readonly skip: number) {
    this.deliveredCount = skip;
  }

  get delivered(): number {
    return this.deliveredCount;
  }

  /** Feeds one chunk; returns the lines to send now, if any. */
  push(chunk: string): LineBatch | undefined {
    const text = this.partial + chunk;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) {
        lines.push(text.slice(start, i));
        start = i + 1;
      } else if (c === 13 /* \r */) {
        if (i === text.length - 1) break; // wait: the next chunk may start with \n
        lines.push(text.slice(start, i));
        if (text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.partial = text.slice(start);
    return this.take(lines);
  }

  /** The stream ended normally: the last partial line (if any) is a line too. */
  end(): LineBatch | undefined {
    const rest = this.partial;
    this.partial = '';
    // A lone trailing `\r` ends the line before it.
    const last = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    const batch = this.take(last === '' && !rest.endsWith('\r') ? [] : [last]);
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
