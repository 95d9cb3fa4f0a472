import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a {@link Recorder} received. */
export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Recorder {
  host: string;
  port: number;
  requests: Recorded[];
  /** The HTTP server, for handing it connections that arrive elsewhere (support/netns.ts). */
  server: http.Server;
  close(): Promise<void>;
}

/**
 * A server that records every request and answers like a Ray head that takes any token (what someone
 * collecting tokens would run), so that a console that does send a token somewhere it should not goes on
 * to send it. Tests assert it received nothing, or nothing carrying a token.
 */
export async function startRecorder(host = '127.0.0.1'): Promise<Recorder> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.endsWith('/api/authentication_mode')) return json({ authentication_mode: 'token' });
    if (path.endsWith('/api/version')) return json({ version: '4', ray_version: '2.60.0' });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    requests,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
