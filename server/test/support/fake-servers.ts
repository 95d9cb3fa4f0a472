import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlainServer {
  url: string;
  /** How many requests it answered. */
  hits(): number;
  close(): Promise<void>;
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

/** A loopback HTTP server answering with `handler` (a stand-in Ray dashboard in unit tests). */
export async function startFakeHttpServer(handler: http.RequestListener): Promise<FakeServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
  const server = await startFakeHttpServer((_req, res) => {
    hits += 1;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  return { ...server, hits: () => hits };
}

/** A loopback port that nothing listens on (taken from the kernel, then released). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
