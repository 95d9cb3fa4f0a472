import { memo, type CSSProperties } from 'react';
import Anser from 'anser';
import { splitByQuery } from './log-search';

interface Segment {
  text: string;
  style?: CSSProperties;
}

const ESC = '\u001b';

/** ANSI colours and bold/italic/underline become inline styles; other escape codes are dropped. */
function segmentsOf(line: string): Segment[] {
  if (!line.includes(ESC)) return [{ text: line }];
  return Anser.ansiToJson(line, { json: true, remove_empty: true }).map((entry) => {
    const style: CSSProperties = {};
    if (entry.fg) style.color = `rgb(${entry.fg})`;
    if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
    if (entry.decorations.includes('bold')) style.fontWeight = 700;
    if (entry.decorations.includes('italic')) style.fontStyle = 'italic';
    if (entry.decorations.includes('underline')) style.textDecoration = 'underline';
    if (entry.decorations.includes('dim')) style.opacity = 0.7;
    return Object.keys(style).length > 0 ? { text: entry.content, style } : { text: entry.content };
  });
}

/** One log line with its colours and the search query highlighted. Only visible lines are rendered. */
export const AnsiLine = memo(function AnsiLine({ line, query }: { line: string; query: string }) {
  return (
    <>
      {segmentsOf(line).map((segment, i) => (
        <span key={i} style={segment.style}>
          {splitByQuery(segment.text, query).map((part, j) =>
            part.match ? <mark key={j}>{part.text}</mark> : <span key={j}>{part.text}</span>,
          )}
        </span>
      ))}
    </>
  );
});
