/**
 * The one rule by which Ray Console cuts a job log into numbered lines, used by the server's live tail
 * and by the browser when it reads the whole log, so a line has the same number live and after a reload.
 *
 * - A line ends at `\n`, `\r\n` or a lone `\r` (a progress bar's redraws become separate lines).
 * - A line longer than {@link LOG_LINE_MAX_CHARS} is cut into pieces of at most that many characters
 *   (never inside a surrogate pair), and every piece after the first starts with
 *   {@link LOG_LINE_CONTINUED}, which the viewer shows as a continuation mark. A piece is cut as soon as
 *   the character after the limit arrives, so a line that never ends (a stream of dots) is held in
 *   memory only up to the limit, and the cuts fall at the same places however the text was chunked.
 */
export const LOG_LINE_MAX_CHARS = 16 * 1024;

/**
 * Starts every piece of a cut line but the first. A character from Unicode's private-use area, which no
 * log writes in practice, so a line that starts with it is a continuation. The complete log download
 * has no such marks: only the numbered views cut lines.
 */
export const LOG_LINE_CONTINUED = '\uE000';

const BREAK = /[\r\n]/g;

/**
 * Splits streamed text into lines by the rule above. Feed chunks with {@link LogLineSplitter.push}, which
 * returns the complete lines (and cut pieces) so far, then {@link LogLineSplitter.end} for the rest. It
 * keeps at most one piece (plus a pending `\r`) between chunks.
 */
export class LogLineSplitter {
  private partial = '';
  /** The piece being built continues a line that was cut. */
  private continued = false;

  constructor(private readonly maxChars: number = LOG_LINE_MAX_CHARS) {}

  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const out: string[] = [];
    let start = 0;
    for (;;) {
      BREAK.lastIndex = start;
      const m = BREAK.exec(text);
      const end = m ? m.index : text.length;
      while (end - start > this.maxChars) {
        let cut = start + this.maxChars;
        // Never between the halves of a surrogate pair.
        const last = text.charCodeAt(cut - 1);
        if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
        this.emit(text.slice(start, cut), out);
        this.continued = true;
        start = cut;
      }
      if (!m) break;
      // A chunk that ends in `\r` waits: the next one may start with `\n`.
      if (text.charCodeAt(end) === 13 && end === text.length - 1) break;
      this.emit(text.slice(start, end), out);
      this.continued = false;
      start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    }
    this.partial = text.slice(start);
    return out;
  }

  /**
   * The text ended: the unfinished line (if any) is a line too, and so is the empty line that a trailing
   * lone `\r` ends. Text that ends in a line break has no further line.
   */
  end(): string[] {
    const rest = this.partial;
    this.partial = '';
    const out: string[] = [];
    if (rest.endsWith('\r')) this.emit(rest.slice(0, -1), out);
    else if (rest !== '') this.emit(rest, out);
    this.continued = false;
    return out;
  }

  private emit(piece: string, out: string[]): void {
    out.push(this.continued ? LOG_LINE_CONTINUED + piece : piece);
  }
}

/** All the lines of a complete text, by the same rule. */
export function splitLogText(text: string, maxChars: number = LOG_LINE_MAX_CHARS): string[] {
  const splitter = new LogLineSplitter(maxChars);
  return [...splitter.push(text), ...splitter.end()];
}
