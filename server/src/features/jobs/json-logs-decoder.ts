import { AppError } from '../../lib/app-error.js';

const PREFIX = /^\s*\{\s*"logs"\s*:\s*"/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Decodes Ray's `{"logs": "<the whole log>"}` as it arrives, chunk by chunk, so the BFF relays a large
 * log without ever holding it whole. Only that shape is accepted (what `/api/jobs/{id}/logs` answers);
 * escapes and surrogate pairs split across chunks are carried over to the next chunk.
 */
export class JsonLogsDecoder {
  private state: 'prefix' | 'string' | 'done' = 'prefix';
  private pending = '';

  /** Feeds decoded text; returns the log text it completes (possibly empty). */
  push(text: string): string {
    let input = this.pending + text;
    this.pending = '';
    if (this.state === 'prefix') {
      const match = PREFIX.exec(input);
      if (!match) {
        if (input.length > 64 || !couldBePrefix(input)) throw notLogs();
        this.pending = input;
        return '';
      }
      input = input.slice(match[0].length);
      this.state = 'string';
    }
    if (this.state === 'done') return '';
    let out = '';
    let i = 0;
    while (i < input.length) {
      const c = input[i]!;
      if (c === '"') {
        this.state = 'done';
        break;
      }
      if (c !== '\\') {
        const next = input.indexOf('\\', i);
        const quote = input.indexOf('"', i);
        const stop = Math.min(next < 0 ? input.length : next, quote < 0 ? input.length : quote);
        out += input.slice(i, stop);
        i = stop;
        continue;
      }
      const kind = input[i + 1];
      if (kind === undefined) {
        this.pending = input.slice(i);
        break;
      }
      if (kind === 'u') {
        if (i + 6 > input.length) {
          this.pending = input.slice(i);
          break;
        }
        const hex = input.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw notLogs();
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const simple = SIMPLE_ESCAPES[kind];
      if (simple === undefined) throw notLogs();
      out += simple;
      i += 2;
    }
    // A high surrogate waits for its low half, so each piece encodes to valid UTF-8 on its own.
    const lastCode = out.charCodeAt(out.length - 1);
    if (out.length > 0 && lastCode >= 0xd800 && lastCode <= 0xdbff && this.state === 'string') {
      this.pending = `\\u${lastCode.toString(16).padStart(4, '0')}${this.pending}`;
      out = out.slice(0, -1);
    }
    return out;
  }

  /** The answer ended: it must have closed the string. */
  end(): void {
    if (this.state !== 'done') throw notLogs();
  }
}

/** Whether more input could still complete the `{"logs": "` prefix. */
const couldBePrefix = (text: string) => '{"logs":"'.startsWith(text.replace(/\s+/g, ''));

function notLogs(): AppError {
  return new AppError('not_ray', 'The Ray head answered the job log request in an unexpected shape.');
}
