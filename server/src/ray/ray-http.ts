import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * Sockets one console process keeps to one Ray head for its calls. Ray's dashboard serves every job call
 * from one Python process, so more in flight only queue there; the bound keeps a burst of browsers from
 * opening hundreds of connections to a head (requests past it wait for a free socket, inside their timeout).
 */
export const RAY_SOCKETS_PER_HEAD = 32;

/**
 * An idle pooled socket is closed after this long. Ray's aiohttp keeps an idle connection for an hour,
 * but proxies and load balancers in front of a head often close theirs after a minute or less.
 */
const IDLE_SOCKET_MS = 15_000;

/**
 * The pools of one Ray head: `calls` (bounded, kept alive: a new TCP connection per call cost about as much
 * as Ray's own answer to a job's details) and `streams` (log downloads and package uploads may last hours,
 * and must never hold a socket a short call waits for).
 */
export function rayAgents(baseUrl: string): { calls: http.Agent; streams: http.Agent } {
  const Agent = baseUrl.startsWith('https:') ? https.Agent : http.Agent;
  return {
    calls: new Agent({
      keepAlive: true,
      maxSockets: RAY_SOCKETS_PER_HEAD,
      maxFreeSockets: RAY_SOCKETS_PER_HEAD,
      scheduling: 'lifo',
      timeout: IDLE_SOCKET_MS,
    }),
    streams: new Agent({ keepAlive: true, maxFreeSockets: 4, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
  };
}

/** What may be sent to Ray: bytes, or a stream of them (package uploads). */
export type RequestBody = Buffer | Uint8Array | ReadableStream<Uint8Array> | string;

export interface RayHttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: RequestBody | undefined;
  signal: AbortSignal;
  agent: http.Agent;
}

/**
 * Whether a request that failed may be sent again, once, on a new socket. A pooled socket the head (or a
 * proxy) closed while it sat idle fails the next request written to it with a reset, before any answer:
 * Node's documented case (`request.reusedSocket`). Only a GET or HEAD without a body is sent again: it reads
 * and changes nothing, whereas a POST or DELETE may have reached Ray before the reset, and a stop or a
 * submission must never happen twice.
 */
export function mayRetryOnNewSocket(method: string, hasBody: boolean, reusedSocket: boolean, err: unknown): boolean {
  if (!reusedSocket || hasBody || (method !== 'GET' && method !== 'HEAD')) return false;
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * One request with node:http(s); resolves with the answer once its headers arrive, its body unread. Not
 * `fetch`: Node's fetch always adds `Sec-Fetch-Mode: cors`, and Ray answers 405 to any POST or PUT carrying
 * a Sec-Fetch-* header (it takes the request for a browser's). Redirects are not followed. A GET that hit
 * a pooled socket closed under it is sent again once (see mayRetryOnNewSocket).
 */
export async function rayHttpRequest(url: URL, request: RayHttpRequest): Promise<http.IncomingMessage> {
  try {
    return await sendOnce(url, request);
  } catch (err) {
    const stale = err as Error & { reusedSocket?: boolean };
    if (
      request.signal.aborted ||
      !mayRetryOnNewSocket(request.method, request.body !== undefined, stale.reusedSocket === true, err)
    )
      throw err;
    // Whatever closed that socket (the head restarted, a proxy's idle limit) closed its idle neighbours too.
    for (const sockets of Object.values(request.agent.freeSockets)) for (const s of sockets ?? []) s.destroy();
    return sendOnce(url, request);
  }
}

function sendOnce(url: URL, { method, headers, body, signal, agent }: RayHttpRequest): Promise<http.IncomingMessage> {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const req = send(url, { method, headers, signal, agent }, resolve);
    req.on('error', (err: Error & { reusedSocket?: boolean }) => {
      err.reusedSocket = req.reusedSocket;
      reject(err);
    });
    if (body === undefined) req.end();
    else if (body instanceof ReadableStream) {
      Readable.fromWeb(body)
        .on('error', (err) => req.destroy(err))
        .pipe(req);
    } else req.end(body);
  });
}

/** The whole body of an answer as text (JSON answers: small, read at once, no web streams in between). */
export function readText(res: http.IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
    // A connection that breaks mid-body (or a deadline that aborts it) closes the answer before its end.
    res.once('close', () => {
      if (!res.complete) reject(Object.assign(new Error('the answer ended early'), { code: 'ECONNRESET' }));
    });
  });
}

/** The answer as a web `Response` (for the callers that hand a stream on). */
export function toResponse(res: http.IncomingMessage, method: string): Response {
  const status = res.statusCode ?? 502;
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const noBody = method === 'HEAD' || [101, 204, 205, 304].includes(status);
  if (noBody) res.resume();
  return new Response(noBody ? null : Readable.toWeb(res), { status, statusText: res.statusMessage ?? '', headers });
}
