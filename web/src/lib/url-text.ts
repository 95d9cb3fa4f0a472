import { useEffect, useRef, useState } from 'react';

/**
 * A text field (a search box) whose value also lives in the URL. The field keeps its own state, so
 * typing is never reset by a navigation (React Router applies a URL change in a transition, which would
 * put a field driven by the URL back for a moment and lose keystrokes), and `write` puts the text in
 * the URL once the user pauses for `delayMs` (the caller replaces the history entry: typing adds no
 * entries, and browsers throttle a burst of history calls). A change of the URL that this field did not
 * make (Back, Forward, a link) is taken over.
 */
export function useUrlText(
  urlValue: string,
  write: (value: string) => void,
  delayMs: number,
): [text: string, onChange: (value: string) => void] {
  const [text, setText] = useState(urlValue);
  // The URL value last seen, and the one this field last wrote or took over; both are state, not refs,
  // because they are compared during render.
  const [seen, setSeen] = useState({ url: urlValue, own: urlValue });
  if (urlValue !== seen.url) {
    setSeen({ url: urlValue, own: urlValue });
    if (urlValue !== seen.own) setText(urlValue);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latestWrite = useRef(write);
  useEffect(() => {
    latestWrite.current = write;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const onChange = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setSeen((s) => ({ ...s, own: value }));
      latestWrite.current(value);
    }, delayMs);
  };
  return [text, onChange];
}
