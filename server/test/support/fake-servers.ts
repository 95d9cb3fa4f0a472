import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlainServer {
  url: string;
  /** How many requests it answered. */
  hits(): number;
  close(): Promise<void>;
}

/**
 * A plain HTTP server that is not a Ray dashboard (another web app on the port, a proxy's error page):
 * it answers every request with `status` and an HTML page. Integration tests point a cluster at it.
 */
export async function startPlainHttpServer(
  status: number,
  body = '<!doctype html><title>Not Ray</title><h1>Hello</h1>',
): Promise<PlainServer> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port that nothing listens on (taken from the kernel, then released). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
