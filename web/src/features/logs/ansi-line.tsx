import { memo, type CSSProperties } from 'react';
import Anser from 'anser';
import { splitByQuery } from './log-search';
import type { AnsiName } from './log-palette';

interface Segment {
  text: string;
  style?: CSSProperties;
}

const ESC = '\u001b';

/** Anser's xterm values of the sixteen ANSI colours, drawn in the theme's version instead (log-palette.ts). */
const ANSI_BY_RGB: Record<string, AnsiName> = {
  '0, 0, 0': 'black',
  '187, 0, 0': 'red',
  '0, 187, 0': 'green',
  '187, 187, 0': 'yellow',
  '0, 0, 187': 'blue',
  '187, 0, 187': 'magenta',
  '0, 187, 187': 'cyan',
  '255,255,255': 'white',
  '85, 85, 85': 'bright-black',
  '255, 85, 85': 'bright-red',
  '0, 255, 0': 'bright-green',
  '255, 255, 85': 'bright-yellow',
  '85, 85, 255': 'bright-blue',
  '255, 85, 255': 'bright-magenta',
  '85, 255, 255': 'bright-cyan',
  '255, 255, 255': 'bright-white',
};

const colour = (rgb: string) => {
  const name = ANSI_BY_RGB[rgb];
  return name ? `var(--ansi-${name})` : `rgb(${rgb})`;
};

/** ANSI colours and bold/italic/underline become inline styles; other escape codes are dropped. */
function segmentsOf(line: string): Segment[] {
  if (!line.includes(ESC)) return [{ text: line }];
  return Anser.ansiToJson(line, { json: true, remove_empty: true }).map((entry) => {
    const style: CSSProperties = {};
    if (entry.fg) style.color = colour(entry.fg);
    if (entry.bg) style.backgroundColor = colour(entry.bg);
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
