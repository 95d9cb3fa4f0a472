export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * Reads one Server-Sent Events response the way EventSource parses it, calling `onEvent` for each
 * event, until the server ends the stream ('server'), `stop` returns true ('client'), or the connection
 * breaks ('broken').
 */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: SseEvent) => void,
  stop: () => boolean = () => false,
): Promise<{ status: number; ended: 'server' | 'client' | 'broken'; body?: string }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, ended: 'server', body: await res.text() };
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let current: { event?: string; id?: string; data: string[] } = { data: [] };
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      return { status: res.status, ended: 'broken' };
    }
    if (chunk.done) return { status: res.status, ended: 'server' };
    buffer += chunk.value;
    const lines = buffer.split(/\r\n|\n|\r/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (current.data.length > 0) {
          onEvent({
            event: current.event ?? 'message',
            ...(current.id !== undefined ? { id: current.id } : {}),
            data: current.data.join('\n'),
          });
        }
        current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') current.data.push(value);
      else if (field === 'event') current.event = value;
      else if (field === 'id') current.id = value;
    }
    if (stop()) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      return { status: res.status, ended: 'client' };
    }
  }
}
