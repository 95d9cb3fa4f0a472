import { describe, expect, it } from 'vitest';
import { JsonLogsDecoder } from './json-logs-decoder.js';

function decodeInPieces(json: string, size: number): string {
  const d = new JsonLogsDecoder();
  let out = '';
  for (let i = 0; i < json.length; i += size) out += d.push(json.slice(i, i + size));
  d.end();
  return out;
}

describe('JsonLogsDecoder', () => {
  const log = 'line "1"\n\ttab \\ back/slash\r\nünïcode ✓ 𝄞 emoji 🚀\u0001\n';
  // ensure_ascii, as Python's json.dumps writes it: every non-ASCII character is a \u escape.
  const pythonJson = `{"logs": ${JSON.stringify(log).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`;

  it('decodes Ray’s {"logs": "…"} whatever the chunk boundaries (escapes and surrogate pairs cut in two)', () => {
    for (let size = 1; size <= 12; size++) expect(decodeInPieces(pythonJson, size)).toBe(log);
    expect(decodeInPieces(JSON.stringify({ logs: log }), 3)).toBe(log);
  });

  it('holds back a high surrogate until its low half arrives', () => {
    const d = new JsonLogsDecoder();
    expect(d.push('{"logs": "a\\ud834')).toBe('a');
    expect(d.push('\\udd1e"}')).toBe('𝄞');
    d.end();
  });

  it('refuses anything else', () => {
    expect(() => new JsonLogsDecoder().push('{"error": "x"}')).toThrow(/unexpected shape/);
    expect(() => new JsonLogsDecoder().push('<html>')).toThrow(/unexpected shape/);
    const cut = new JsonLogsDecoder();
    cut.push('{"logs": "unfinished');
    expect(() => cut.end()).toThrow(/unexpected shape/);
    expect(decodeInPieces('{"logs": ""}', 1)).toBe('');
  });
});
