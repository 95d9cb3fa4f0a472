import type http from 'node:http';
import WebSocket from 'ws';
import type { z } from 'zod';
import type { AuthMode } from '@ray-console/shared';
import { AppError } from '../lib/app-error.js';
import { rayAgents, rayHttpRequest, readText, toResponse, type RequestBody } from './ray-http.js';
import {
  RayAuthenticationMode,
  RayClusterStatus,
  RayJobDeleteResponse,
  RayJobDetails,
  RayJobList,
  RayJobStopResponse,
  RayJobSubmitResponse,
  RayListNodes,
  RayVersion,
  type RayJobSubmitBody,
  type RayNodeState,
} from './ray-schemas.js';
import type { RayActor, RayNodeSummary, RayPlacementGroup, RayTask } from './ray-state-schemas.js';
import {
  RayActorList,
  RayClusterStatusDetail,
  RayGrafanaHealth,
  RayLogList,
  RayNodeSummaryList,
  RayPlacementGroupList,
  RayServeDetails,
  RayTaskList,
  RayTaskSummary,
} from './ray-state-schemas.js';

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
  /** For TLS settings of a Kubernetes proxy (an `https.Agent` with its CA, say). */
  agent?: http.Agent;
}

/**
 * What a token is bound to when a user signs in: where it is sent and in which header. A stored token
 * opens only for the same address (see ClusterCredentials), so a cluster whose address changes never
 * sends a token verified elsewhere to its new host.
 */
export function endpointAddress(endpoint: Pick<RayEndpoint, 'baseUrl' | 'tokenHeader'>): string {
  return `${endpoint.tokenHeader} ${endpoint.baseUrl}`;
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

export type { RequestBody };

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
  /** `streams` for answers or bodies that may last long (log downloads, uploads); short calls otherwise. */
  pool?: 'calls' | 'streams';
}

/**
 * Ray's errors are text/plain tracebacks; the last line with a letter or digit is the useful part (a
 * duplicate submission id's traceback ends with a line holding only ".").
 */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /[\p{L}\p{N}]/u.test(l));
  return (lines.at(-1) ?? '').slice(0, 500);
}

/**
 * The one door to a Ray head's dashboard API. It calls only the routes it has methods for, builds each
 * request from scratch (its own User-Agent and none of the browser's headers: Ray answers 405 to writes
 * that look like a browser's), times every call out, parses answers with schemas, and turns Ray's
 * 401/403/5xx and network failures into typed errors whose messages never contain the token.
 */
export class RayDashboardClient {
  /** Pooled connections to the head (none when the endpoint brings its own agent, a Kubernetes proxy's). */
  private readonly agents: { calls: http.Agent; streams: http.Agent } | undefined;

  constructor(
    readonly endpoint: RayEndpoint,
    private readonly options: RayClientOptions,
  ) {
    this.agents = endpoint.agent ? undefined : rayAgents(endpoint.baseUrl);
  }

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
    const body = await this.json(
      { path: '/api/authentication_mode', token: null, timeoutMs: 5000 },
      RayAuthenticationMode,
    ).catch((err: unknown) => {
      // Every Ray dashboard answers this public route; anything else is not one.
      if (err instanceof RayHttpError) throw this.notRay(`answered ${err.status} to /api/authentication_mode`);
      throw err;
    });
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

  // ---- jobs (`/api/jobs/*`, `/api/packages/*`, the job's log file) ------------------------------

  /** `GET /api/jobs/`: every job, SUBMISSION and DRIVER, in no particular order. */
  listJobs(token: string | null): Promise<RayJobDetails[]> {
    // The whole list in one answer: give a cluster with thousands of jobs more time than other calls.
    return this.json({ path: '/api/jobs/', token, timeoutMs: Math.max(this.options.timeoutMs, 30_000) }, RayJobList);
  }

  /** `GET /api/jobs/{id}` (submission id or job id); 404 `Job … does not exist` for an unknown one. */
  job(token: string | null, id: string): Promise<RayJobDetails> {
    return this.json({ path: `/api/jobs/${jobSegment(id)}`, token }, RayJobDetails);
  }

  /** `POST /api/jobs/` (the trailing slash matters: without it Ray answers 404). */
  async submitJob(token: string | null, body: RayJobSubmitBody): Promise<string> {
    const res = await this.json({ method: 'POST', path: '/api/jobs/', token, json: body }, RayJobSubmitResponse);
    return res.submission_id;
  }

  /** `POST /api/jobs/{id}/stop`: `stopped` is false when the job had already ended. */
  async stopJob(token: string | null, id: string): Promise<boolean> {
    const res = await this.json(
      { method: 'POST', path: `/api/jobs/${jobSegment(id)}/stop`, token },
      RayJobStopResponse,
    );
    return res.stopped;
  }

  /** `DELETE /api/jobs/{id}`: only for a job in a terminal state (Ray answers 500 otherwise). */
  async deleteJob(token: string | null, id: string): Promise<boolean> {
    const res = await this.json({ method: 'DELETE', path: `/api/jobs/${jobSegment(id)}`, token }, RayJobDeleteResponse);
    return res.deleted;
  }

  /**
   * `GET /api/v0/logs/file?node_id=…&submission_id=…&lines=-1`: the job's driver log as a text stream,
   * straight from the node's agent. Ray needs the node id beside the submission id (without it: 500).
   * Ray 2.52 answers 500 `UNAUTHENTICATED` here (its state API calls the agent without the token).
   */
  jobLogFile(
    token: string | null,
    nodeId: string,
    submissionId: string,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    return this.stream(
      {
        path: '/api/v0/logs/file',
        query: { node_id: checkedNodeId(nodeId), submission_id: checkedJobId(submissionId), lines: -1 },
        token,
      },
      signal,
    );
  }

  /** `GET /api/jobs/{id}/logs`: `{"logs": "<whole log>"}` as a byte stream, for the caller to decode as it goes. */
  jobLogsJson(token: string | null, id: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    return this.stream({ path: `/api/jobs/${jobSegment(id)}/logs`, token }, signal);
  }

  /**
   * Opens Ray's log-tail WebSocket (`/api/jobs/{id}/logs/tail`). It resolves once the socket is open (a
   * 404 or 400 before the upgrade becomes the usual typed error). Ray sends the log from its start, in
   * text frames of up to 10 lines or ~20,000 characters (a frame can end mid-line), and closes with 1000
   * once the job is terminal and its log drained, or at once, with nothing sent, when the job ended
   * before its driver started. Compression stays off: with permessage-deflate negotiated, Ray 2.52 and
   * 2.60 close the socket without sending a line.
   */
  async openJobLogTail(token: string | null, id: string, signal: AbortSignal): Promise<RayLogTail> {
    const path = `/api/jobs/${jobSegment(id)}/logs/tail`;
    const url = new URL(this.endpoint.baseUrl.replace(/\/+$/, '') + path);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      ...(await this.endpoint.headers?.()),
    };
    if (token !== null) headers[this.endpoint.tokenHeader] = `Bearer ${token}`;
    signal.throwIfAborted();
    const ws = new WebSocket(url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: this.options.timeoutMs,
      followRedirects: false,
      maxPayload: 16 * 1024 * 1024,
      ...(this.endpoint.agent ? { agent: this.endpoint.agent } : {}),
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const close = () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
      // A head that does not answer the closing handshake must not keep the socket open.
      const timer = setTimeout(() => ws.terminate(), 2000);
      void closed.then(() => clearTimeout(timer));
    };

    // Listen before the socket opens: Ray may send its first frames (and close) in the same packet as the upgrade.
    const queue: string[] = [];
    let ended = false;
    let closedByUs = false;
    let failure: AppError | undefined;
    let wake: (() => void) | undefined;
    ws.on('message', (data: Buffer) => {
      queue.push(data.toString('utf8'));
      // Backpressure: a browser that reads slowly pauses the socket instead of growing the queue.
      if (queue.length >= 32 && !ws.isPaused) ws.pause();
      wake?.();
    });
    ws.on('error', (err) => {
      failure ??= this.unreachable(describeNetworkError(err), err);
    });
    ws.on('close', (code) => {
      ended = true;
      if (!closedByUs && code !== 1000 && code !== 1005) {
        failure ??= this.unreachable(`the log stream closed with code ${code}`);
      }
      wake?.();
    });
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        close();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        signal.removeEventListener('abort', onAbort);
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text = (text + c).slice(-8000)));
        res.on('end', () => {
          reject(this.failure(res.statusCode ?? 502, text, { path, token }));
          ws.terminate();
        });
        res.on('error', () => reject(this.unreachable('connection reset')));
      });
      ws.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(this.unreachable(describeNetworkError(err), err));
      });
    });

    const stop = () => {
      closedByUs = true;
      close();
    };
    signal.addEventListener('abort', stop, { once: true });

    async function* chunks(): AsyncGenerator<string> {
      try {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            if (ws.isPaused && queue.length < 8) ws.resume();
            yield next;
            continue;
          }
          if (ended) {
            if (failure && !closedByUs) throw failure;
            return;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        signal.removeEventListener('abort', stop);
        stop();
        await closed;
      }
    }
    return { chunks: chunks(), closed, close: stop };
  }

  /** `GET /api/packages/gcs/{name}`: whether the cluster has the package (this also pins it for 10 minutes). */
  async packageExists(token: string | null, name: string): Promise<boolean> {
    try {
      await this.call({ path: `/api/packages/gcs/${packageSegment(name)}`, token });
      return true;
    } catch (err) {
      if (err instanceof RayHttpError && err.status === 404) return false;
      throw err;
    }
  }

  /** `PUT /api/packages/gcs/{name}` with the zip's raw bytes as the body, as Ray's own client sends it. */
  async uploadPackage(token: string | null, name: string, body: ReadableStream<Uint8Array>): Promise<void> {
    await this.call({
      method: 'PUT',
      path: `/api/packages/gcs/${packageSegment(name)}`,
      token,
      body,
      pool: 'streams',
      // Up to 100 MiB over whatever link leads to the head.
      timeoutMs: Math.max(this.options.timeoutMs, 300_000),
    });
  }

  /**
   * The State API reads every task of a job from the GCS before it filters and summarizes (10,000 tasks
   * take Ray seconds on a busy head), so its calls get Ray's own 25 s server-side limit plus a margin.
   */
  private get stateTimeoutMs(): number {
    return Math.max(this.options.timeoutMs, 30_000);
  }

  // ---- State API (`/api/v0/*`), node summary, Serve: the debugging pages --------------------------

  /**
   * `GET /api/v0/tasks`: task ATTEMPTS (one row per attempt) matching every filter, at most `limit`.
   * `detail` adds resources, times, the error message and log offsets (much larger rows).
   */
  async listTasks(token: string | null, options: StateListOptions): Promise<StatePage<RayTask>> {
    const body = await this.json(
      { path: '/api/v0/tasks', query: stateQuery(options), token, timeoutMs: this.stateTimeoutMs },
      RayTaskList,
    );
    return statePage(body.data.result);
  }

  /** `GET /api/v0/tasks/summarize?summary_by=func_name`, filtered by job: per-group counts of attempts. */
  async summarizeTasks(token: string | null, rayJobId: string): Promise<RayTaskSummary['data']['result']> {
    const query = {
      ...stateQuery({ filters: [['job_id', '=', checkedHex(rayJobId, 'job id')]] }),
      summary_by: 'func_name',
    };
    const body = await this.json(
      { path: '/api/v0/tasks/summarize', query, token, timeoutMs: this.stateTimeoutMs },
      RayTaskSummary,
    );
    return body.data.result;
  }

  /** `GET /api/v0/actors?detail=true`: actors matching every filter, at most `limit`. */
  async listActors(token: string | null, options: StateListOptions): Promise<StatePage<RayActor>> {
    const query = stateQuery({ ...options, detail: true });
    const body = await this.json(
      { path: '/api/v0/actors', query, token, timeoutMs: this.stateTimeoutMs },
      RayActorList,
    );
    return statePage(body.data.result);
  }

  /** `GET /api/v0/placement_groups?detail=true`. */
  async listPlacementGroups(token: string | null, options: StateListOptions): Promise<StatePage<RayPlacementGroup>> {
    const query = stateQuery({ ...options, detail: true });
    const body = await this.json(
      { path: '/api/v0/placement_groups', query, token, timeoutMs: this.stateTimeoutMs },
      RayPlacementGroupList,
    );
    return statePage(body.data.result);
  }

  /** `GET /api/v0/logs?node_id=&glob=`: the node's log files by Ray's category. */
  async listLogs(token: string | null, nodeId: string, glob?: string): Promise<Record<string, string[]>> {
    const query = { node_id: checkedNodeId(nodeId), ...(glob ? { glob: checkedGlob(glob) } : {}) };
    const body = await this.json({ path: '/api/v0/logs', query, token }, RayLogList);
    return body.data.result ?? {};
  }

  /**
   * `GET /api/v0/logs/file` (the last `lines` lines, then the answer ends) or `/api/v0/logs/stream`
   * (the same, then new lines as they are written, every `interval` seconds, until the caller leaves):
   * a file on a node, the byte range a task attempt wrote to its worker's log, or an actor's worker log.
   */
  readLog(
    token: string | null,
    target: RayLogTarget,
    options: { lines: number; follow: boolean },
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const query: Query = { lines: options.lines, ...logTargetQuery(target) };
    if (options.follow) query.interval = 0.5;
    return this.stream({ path: options.follow ? '/api/v0/logs/stream' : '/api/v0/logs/file', query, token }, signal);
  }

  /** `GET /api/cluster_status` with the autoscaler's demands (see RayClusterStatusDetail). */
  async clusterStatusDetail(token: string | null): Promise<RayClusterStatusDetail['data']['clusterStatus']> {
    const body = await this.json({ path: '/api/cluster_status', token }, RayClusterStatusDetail);
    return body.data.clusterStatus ?? null;
  }

  /** `GET /nodes?view=summary`: each node's hardware usage, as the dashboard's cluster page shows it. */
  async nodeSummaries(token: string | null): Promise<RayNodeSummary[]> {
    const body = await this.json({ path: '/nodes', query: { view: 'summary' }, token }, RayNodeSummaryList);
    return body.data.summary;
  }

  /** `GET /api/grafana_health`: Grafana's address when the head reaches it, else undefined. */
  async grafanaHost(token: string | null): Promise<string | undefined> {
    try {
      const body = await this.json({ path: '/api/grafana_health', token, timeoutMs: 5000 }, RayGrafanaHealth);
      return body.result ? (body.data?.grafanaHost ?? undefined) : undefined;
    } catch (err) {
      // The head answers 500 (or a non-JSON page) when Grafana is absent or down: no link then.
      if (err instanceof RayHttpError || (err instanceof AppError && err.code === 'not_ray')) return undefined;
      throw err;
    }
  }

  /** `GET /api/serve/applications/`: Serve's applications; undefined where Serve is not installed or running. */
  async serveDetails(token: string | null): Promise<RayServeDetails | undefined> {
    try {
      // The first call after the dashboard starts looks Serve's controller up by name through the GCS:
      // 4 s on a loaded 2.60 head, over 10 s on 2.52 (docs/ray-debugging-behaviour.md).
      return await this.json(
        { path: '/api/serve/applications/', token, timeoutMs: this.stateTimeoutMs },
        RayServeDetails,
      );
    } catch (err) {
      // Without ray[serve] the head answers 500 "Serve dependencies are not installed".
      if (err instanceof RayHttpError && err.status >= 500 && /serve/i.test(err.rayMessage)) return undefined;
      throw err;
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /** Calls Ray and parses a JSON answer with `schema`; a non-JSON or misshapen answer is `not_ray`. */
  protected async json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    const res = await this.exchange(spec);
    let text: string;
    try {
      text = await readText(res);
    } catch (err) {
      // The timeout covers the whole answer, so a head that stalls mid-body ends here.
      throw new AppError(
        'ray_unreachable',
        `The Ray head at ${this.where} stopped answering ${spec.path} halfway. Check that the cluster is running; the console retries by itself.`,
        undefined,
        { cause: err },
      );
    }
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

  /**
   * Calls Ray and hands over the answer's body as a stream. The timeout covers the wait for the answer to
   * start; the body may then take as long as it takes, and `signal` (the browser went away) ends it.
   */
  protected async stream(spec: RequestSpec, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headersTimeout = new AbortController();
    const timer = setTimeout(
      () => headersTimeout.abort(new Error('no answer in time')),
      spec.timeoutMs ?? this.options.timeoutMs,
    );
    try {
      const res = await this.send({
        ...spec,
        pool: 'streams',
        timeoutMs: STREAM_LIMIT_MS,
        signal: AbortSignal.any([signal, headersTimeout.signal]),
      });
      if (!res.body) return new ReadableStream({ start: (c) => c.close() });
      return res.body;
    } catch (err) {
      if (headersTimeout.signal.aborted && !signal.aborted) throw this.unreachable('no answer in time', err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private unreachable(reason: string, cause?: unknown): AppError {
    return new AppError(
      'ray_unreachable',
      `The Ray head at ${this.where} cannot be reached (${reason}). Check that the cluster is running; the console retries by itself.`,
      undefined,
      { cause },
    );
  }

  /**
   * Sends one request whose (2xx) answer's body says nothing; the body is drained, not cancelled, so the
   * connection goes back to the pool (cancelling a web stream of it would close the socket).
   */
  protected async call(spec: RequestSpec): Promise<void> {
    (await this.exchange(spec)).resume();
  }

  /** Sends one request and maps failures; the caller reads the (2xx) body of the web `Response`. */
  protected async send(spec: RequestSpec): Promise<Response> {
    return toResponse(await this.exchange(spec), spec.method ?? 'GET');
  }

  /**
   * Sends one request on a pooled connection and maps failures; the caller reads the (2xx) answer's body.
   * The timeout (and `spec.signal`) covers the answer until its body has been read or dropped.
   */
  protected async exchange(spec: RequestSpec): Promise<http.IncomingMessage> {
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
    // One timer and one controller per call (AbortSignal.timeout and AbortSignal.any cost more on every call).
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error('no answer in time')),
      spec.timeoutMs ?? this.options.timeoutMs,
    );
    const callerAborted = () => deadline.abort(spec.signal?.reason);
    if (spec.signal?.aborted) callerAborted();
    else spec.signal?.addEventListener('abort', callerAborted, { once: true });
    const done = () => {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', callerAborted);
    };
    const method = spec.method ?? 'GET';
    const agent = this.endpoint.agent ?? (spec.pool === 'streams' ? this.agents!.streams : this.agents!.calls);
    let res: http.IncomingMessage;
    try {
      res = await rayHttpRequest(url, { method, headers, body, signal: deadline.signal, agent });
    } catch (err) {
      done();
      if (spec.signal?.aborted) throw err;
      const reason = deadline.signal.aborted ? 'no answer in time' : describeNetworkError(err);
      throw this.unreachable(reason, err);
    }
    res.once('close', done);
    const status = res.statusCode ?? 502;
    if (status >= 200 && status < 300) return res;
    const text = await readText(res).catch(() => '');
    throw this.failure(status, text, spec);
  }

  /** Closes the pooled connections to this head (the client is being replaced or the console stops). */
  close(): void {
    this.agents?.calls.destroy();
    this.agents?.streams.destroy();
  }

  /** The typed error for a non-2xx answer (also for a refused WebSocket upgrade). */
  private failure(status: number, text: string, spec: Pick<RequestSpec, 'method' | 'path' | 'token'>): AppError {
    const refusedByKubernetes = this.kubernetesRefusal(status, text);
    if (refusedByKubernetes) return refusedByKubernetes;
    if (status === 401) {
      return new AppError(
        'token_missing',
        `The Ray head at ${this.where} asks for a token; sign in with the cluster's token.`,
      );
    }
    if (status === 403) {
      return new AppError(
        'token_rejected',
        `The Ray head at ${this.where} rejected the token. It may have changed (cluster re-created); sign in with the current one.`,
      );
    }
    if (status >= 300 && status < 400) {
      return this.notRay(`redirected ${spec.path} elsewhere`);
    }
    // Should Ray (or a proxy in front of it) ever echo the request's headers, the token must not travel on.
    const rayMessage = spec.token ? lastLine(text).replaceAll(spec.token, '[redacted]') : lastLine(text);
    return new RayHttpError(
      status,
      rayMessage,
      `The Ray head at ${this.where} answered ${status} to ${spec.method ?? 'GET'} ${spec.path}${rayMessage ? `: ${rayMessage}` : ''}`,
    );
  }

  /**
   * Through the API server's service proxy, a 401/403 may be the API server refusing the console's own
   * Kubernetes identity (its answer is a `kind: Status` object; Ray's never is). That says nothing about
   * the user's Ray token, so it must not sign anyone out: it is reported as the console's problem.
   */
  private kubernetesRefusal(status: number, text: string): AppError | undefined {
    if ((status !== 401 && status !== 403) || this.endpoint.tokenHeader !== 'x-ray-authorization') return undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return undefined;
    }
    const s = body as { kind?: unknown; apiVersion?: unknown; message?: unknown } | null;
    if (s?.kind !== 'Status' || s.apiVersion !== 'v1') return undefined;
    const said = typeof s.message === 'string' && s.message ? ` It said: ${s.message.slice(0, 300)}` : '';
    const what =
      status === 401
        ? "did not accept the console's own Kubernetes credentials"
        : "refused the console's own Kubernetes identity";
    return new AppError(
      'unavailable',
      `The Kubernetes API server at ${this.where} ${what} (${status}) on the way to the Ray head; your Ray token was not checked, and you stay signed in.${said}${/[.!?]$/.test(said) ? '' : said ? '.' : ''} ` +
        "Grant the console's identity get on services/proxy in this namespace (the RBAC in deploy/ does), or check its credentials.",
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
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  return code ?? 'network error';
}

/** What {@link RayDashboardClient.openJobLogTail} hands back. */
export interface RayLogTail {
  /** Text frames as Ray sends them; ends when Ray closes normally, throws when the socket breaks. */
  chunks: AsyncIterable<string>;
  /** Resolves once the socket is closed, however it ended. */
  closed: Promise<void>;
  /** Closes the socket (also done when `chunks` is left early or the signal aborts). */
  close(): void;
}

/** A streamed answer may last this long at most (a log download, a package upload's body). */
const STREAM_LIMIT_MS = 6 * 60 * 60 * 1000;

/** Letters, digits, `_` and `-`: Ray's submission ids and hex job ids. */
const JOB_ID = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * A job id as a path segment. The routes validate ids at the edge already; this second check keeps an
 * unvalidated id from ever reaching a URL should a new caller forget.
 */
function jobSegment(id: string): string {
  return encodeURIComponent(checkedJobId(id));
}

function checkedJobId(id: string): string {
  if (!JOB_ID.test(id))
    throw new AppError('validation', 'The job id is not valid.', { jobId: 'Use letters, digits, "_" and "-" only.' });
  return id;
}

function checkedNodeId(id: string): string {
  if (!/^[0-9a-f]{1,128}$/i.test(id)) throw new AppError('not_ray', 'The Ray head reported a node id that is not hex.');
  return id;
}

/** A filter of the State API: key, `=` or `!=`, value. */
export type StateFilter = readonly [key: string, predicate: '=' | '!=', value: string];

export interface StateListOptions {
  filters?: readonly StateFilter[];
  limit?: number;
  detail?: boolean;
}

/** One bounded page of a State API list, and how many Ray had (see RayTaskList). */
export interface StatePage<T> {
  items: T[];
  /** Entries matching the filters, where Ray says (else what the source had). */
  total: number;
  /** Whether Ray holds more than `items`. */
  truncated: boolean;
}

function statePage<T>(r: { total: number; num_filtered?: number | null; result: T[] }): StatePage<T> {
  const total = r.num_filtered ?? r.total;
  return { items: r.result, total: Math.max(total, r.result.length), truncated: total > r.result.length };
}

/** Filter keys the console sends: known columns only, values in Ray's alphabets. */
const FILTER_KEYS = new Set([
  'job_id',
  'state',
  'attempt_number',
  'actor_id',
  'type',
  'func_or_class_name',
  'name',
  'creator_job_id',
  'task_id',
]);

/**
 * Names are whatever a program called its functions and classes (`<lambda>`, `Model.predict`, a name given
 * with `.options(name=…)`): printable text, sent percent-encoded. Ids and states keep Ray's alphabets.
 */
const NAME_KEYS = new Set(['name', 'func_or_class_name']);
const filterValueOk = (key: string, value: string) =>
  NAME_KEYS.has(key)
    ? value.length >= 1 && value.length <= 1000 && !/\p{Cc}/u.test(value)
    : /^[A-Za-z0-9_.-]{1,255}$/.test(value);

function stateQuery({ filters = [], limit, detail }: StateListOptions): Query {
  for (const [key, , value] of filters) {
    if (!FILTER_KEYS.has(key) || !filterValueOk(key, value))
      throw new AppError('internal', `A State API filter on ${key} is not one the console sends.`);
  }
  return {
    filter_keys: filters.map((f) => f[0]),
    filter_predicates: filters.map((f) => f[1]),
    filter_values: filters.map((f) => f[2]),
    ...(limit !== undefined ? { limit: Math.max(1, Math.min(10_000, Math.trunc(limit))) } : {}),
    ...(detail ? { detail: true } : {}),
    // Ray's own server-side limit; the console waits a little longer (STATE_TIMEOUT_MS), so Ray answers first.
    timeout: 25,
  };
}

/** Which log `readLog` reads: a file on a node, a task attempt's part of its worker log, or an actor's. */
export type RayLogTarget =
  | { kind: 'file'; nodeId: string; filename: string }
  | { kind: 'task'; taskId: string; attemptNumber: number; suffix: 'out' | 'err' }
  | { kind: 'actor'; actorId: string; suffix: 'out' | 'err' };

function logTargetQuery(target: RayLogTarget): Query {
  switch (target.kind) {
    case 'file':
      return { node_id: checkedNodeId(target.nodeId), filename: checkedLogFilename(target.filename) };
    case 'task':
      return {
        task_id: checkedHex(target.taskId, 'task id'),
        attempt_number: Math.trunc(target.attemptNumber),
        suffix: target.suffix,
      };
    case 'actor':
      return { actor_id: checkedHex(target.actorId, 'actor id'), suffix: target.suffix };
  }
}

function checkedHex(id: string, what: string): string {
  if (!/^[0-9a-f]{1,128}$/i.test(id)) throw new AppError('validation', `The ${what} is not hexadecimal.`);
  return id;
}

function checkedLogFilename(name: string): string {
  if (
    !/^[A-Za-z0-9._\-/]{1,255}$/.test(name) ||
    name.startsWith('/') ||
    name.split('/').some((p) => p === '..' || p === '.')
  )
    throw new AppError('validation', 'The log file name is not valid.');
  return name;
}

function checkedGlob(glob: string): string {
  if (!/^[A-Za-z0-9._\-*?/]{1,200}$/.test(glob)) throw new AppError('validation', 'The glob is not valid.');
  return glob;
}

function packageSegment(name: string): string {
  if (!/^_ray_pkg_[0-9a-f]{40}\.zip$/.test(name))
    throw new AppError('internal', 'A package name must be _ray_pkg_<sha1>.zip.');
  return name;
}
