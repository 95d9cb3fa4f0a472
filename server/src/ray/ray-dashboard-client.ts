import type { z } from 'zod';
import type { AuthMode } from '@ray-console/shared';
import { AppError } from '../lib/app-error.js';
import { RayAuthenticationMode, RayClusterStatus, RayListNodes, RayVersion, type RayNodeState } from './ray-schemas.js';

/** How to reach one Ray head's dashboard (port 8265). */
export interface RayEndpoint {
  /** e.g. `http://127.0.0.1:8265`, or a Kubernetes API server's service-proxy URL ending in `/proxy`. */
  baseUrl: string;
  /**
   * Which header carries the Ray token. Through the Kubernetes API server's service proxy
   * `Authorization` belongs to the API server, so Ray's `X-Ray-Authorization` is used there.
   */
  tokenHeader: 'authorization' | 'x-ray-authorization';
  /** Headers the path to the head needs (the API server's own bearer token, say). */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  /** For TLS settings of a Kubernetes proxy (an undici dispatcher). */
  dispatcher?: unknown;
}

export interface RayClientOptions {
  timeoutMs: number;
  userAgent: string;
}

/** A failed call that reached Ray: the status and the last line of Ray's plain-text error body. */
export class RayHttpError extends AppError {
  constructor(
    readonly status: number,
    readonly rayMessage: string,
    message: string,
  ) {
    super('ray_error', message);
    this.name = 'RayHttpError';
  }
}

/** What a request to Ray may carry: bytes, or a stream of them (package uploads). */
export type RequestBody = Buffer | Uint8Array | ReadableStream<Uint8Array> | string;

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Built only by this module from constants and validated ids, never from raw input. */
  path: string;
  query?: Query;
  token: string | null;
  json?: unknown;
  body?: RequestBody;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Ray's errors are text/plain tracebacks; the last non-empty line is the useful part. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 500);
}

/**
 * The one door to a Ray head's dashboard API. It calls only the routes it has methods for, builds each
 * request from scratch (its own User-Agent and none of the browser's headers: Ray answers 405 to writes
 * that look like a browser's), times every call out, parses answers with schemas, and turns Ray's
 * 401/403/5xx and network failures into typed errors whose messages never contain the token.
 */
export class RayDashboardClient {
  constructor(
    readonly endpoint: RayEndpoint,
    private readonly options: RayClientOptions,
  ) {}

  /** The head's host, for messages (never includes credentials). */
  get where(): string {
    try {
      const u = new URL(this.endpoint.baseUrl);
      return u.host;
    } catch {
      return 'the Ray head';
    }
  }

  /** `GET /api/authentication_mode` (public). Ray 2.52/2.53 may say `k8s`, which also needs a token. */
  async authenticationMode(): Promise<AuthMode> {
    const body = await this.json({ path: '/api/authentication_mode', token: null, timeoutMs: 5000 }, RayAuthenticationMode).catch(
      (err: unknown) => {
        // Every Ray dashboard answers this public route; anything else is not one.
        if (err instanceof RayHttpError) throw this.notRay(`answered ${err.status} to /api/authentication_mode`);
        throw err;
      },
    );
    const mode = body.authentication_mode;
    if (mode === 'disabled') return 'disabled';
    return 'token';
  }

  /** `GET /api/version`: needs the token, so it also proves the token is valid. */
  version(token: string | null): Promise<RayVersion> {
    return this.json({ path: '/api/version', token }, RayVersion);
  }

  /** `GET /api/v0/nodes`: every node with its `resources_total`. */
  async nodes(token: string | null): Promise<RayNodeState[]> {
    const body = await this.json({ path: '/api/v0/nodes', query: { limit: 10000, detail: true }, token }, RayListNodes);
    return body.data.result.result;
  }

  /** `GET /api/cluster_status`: the autoscaler's load report (used versus total), or null where the head has none. */
  async clusterStatus(token: string | null): Promise<RayClusterStatus['data']['clusterStatus']> {
    const body = await this.json({ path: '/api/cluster_status', token }, RayClusterStatus);
    return body.data.clusterStatus ?? null;
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /** Calls Ray and parses a JSON answer with `schema`; a non-JSON or misshapen answer is `not_ray`. */
  protected async json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    const res = await this.send(spec);
    const text = await res.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw this.notRay(`answered ${spec.path} with something that is not JSON`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw this.notRay(`answered ${spec.path} in an unexpected shape`);
    return parsed.data;
  }

  /** Sends one request and maps failures; the caller reads the (2xx) body. */
  protected async send(spec: RequestSpec): Promise<Response> {
    const url = new URL(this.endpoint.baseUrl.replace(/\/+$/, '') + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json, text/plain;q=0.9',
      ...(await this.endpoint.headers?.()),
    };
    if (spec.token !== null) headers[this.endpoint.tokenHeader] = `Bearer ${spec.token}`;
    let body: RequestBody | undefined = spec.body;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    }
    const timeout = AbortSignal.timeout(spec.timeoutMs ?? this.options.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, {
        method: spec.method ?? 'GET',
        headers,
        body: body as RequestInit['body'],
        signal,
        redirect: 'manual',
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
        ...(this.endpoint.dispatcher ? { dispatcher: this.endpoint.dispatcher } : {}),
      } as RequestInit);
    } catch (err) {
      if (spec.signal?.aborted) throw err;
      const reason = timeout.aborted ? 'no answer in time' : describeNetworkError(err);
      throw new AppError(
        'ray_unreachable',
        `The Ray head at ${this.where} cannot be reached (${reason}). Check that the cluster is running; the console retries by itself.`,
        undefined,
        { cause: err },
      );
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    if (res.status === 401) {
      throw new AppError('token_missing', `The Ray head at ${this.where} asks for a token; sign in with the cluster's token.`);
    }
    if (res.status === 403) {
      throw new AppError(
        'token_rejected',
        `The Ray head at ${this.where} rejected the token. It may have changed (cluster re-created); sign in with the current one.`,
      );
    }
    if (res.status >= 300 && res.status < 400) {
      throw this.notRay(`redirected ${spec.path} elsewhere`);
    }
    const rayMessage = lastLine(text);
    throw new RayHttpError(
      res.status,
      rayMessage,
      `The Ray head at ${this.where} answered ${res.status} to ${spec.method ?? 'GET'} ${spec.path}${rayMessage ? `: ${rayMessage}` : ''}`,
    );
  }

  private notRay(what: string): AppError {
    return new AppError(
      'not_ray',
      `The server at ${this.where} ${what}; check that the URL points at a Ray dashboard (port 8265).`,
    );
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'host not found';
  if (cause?.code === 'ECONNRESET') return 'connection reset';
  return cause?.code ?? 'network error';
}
