import type * as z from 'zod/v4/core';
import { safeParse } from 'zod/mini';
import { ApiErrorBody, SessionInfo, SignOutResponse } from '@ray-console/shared';
import { ApiError } from './api-error';

/**
 * The browser's one door to the BFF. It sends the session cookie (same origin), adds the CSRF token to
 * every write, parses every answer with the shared schema, and turns every failure into an ApiError.
 * The cluster token passes through here exactly once, in the sign-in body, and is never kept.
 */
/**
 * The answer to a request already made, parsed with the schema given. Schemas are zod's core type:
 * the first page's (shared/src/clusters.ts and the modules it imports) are zod/mini, so the first
 * script stays small, and the other pages' are classic zod, fetched with those pages.
 */
export type EarlyAnswer = <S extends z.$ZodType>(schema: S) => Promise<z.output<S>>;

/** A streamed GET started before its reader existed, kept until it is taken or dropped. */
interface EarlyText {
  res: Promise<Response>;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
}

/** How long an early text answer waits to be taken before it is dropped (a page that never showed it). */
const EARLY_TEXT_KEPT_MS = 15_000;

class ApiClient {
  private csrfToken: string | undefined;
  private readonly earlyTexts = new Map<string, EarlyText>();

  async get<S extends z.$ZodType>(path: string, schema: S, init?: RequestInit): Promise<z.output<S>> {
    const res = await this.fetch(path, { ...init, method: 'GET' });
    return this.parse(res, schema);
  }

  async send<S extends z.$ZodType>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    schema: S | null,
  ): Promise<S extends z.$ZodType ? z.output<S> : void> {
    const attempt = async () => {
      const csrf = await this.csrf();
      const isRaw = body instanceof Blob || body instanceof FormData;
      return this.fetch(path, {
        method,
        headers: {
          'X-CSRF-Token': csrf,
          ...(body === undefined || isRaw ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : isRaw ? (body as BodyInit) : JSON.stringify(body),
      });
    };
    let res = await attempt();
    // A new session (expired, signed out elsewhere) has a new CSRF token: fetch it once and retry.
    if (res.status === 403 && (await peekCode(res)) === 'csrf') {
      this.csrfToken = undefined;
      res = await attempt();
    }
    if (schema === null) {
      if (!res.ok) throw await toApiError(res);
      return undefined as S extends z.$ZodType ? z.output<S> : void;
    }
    return this.parse(res, schema) as Promise<S extends z.$ZodType ? z.output<S> : void>;
  }

  /**
   * Starts a GET at once and parses its answer later, with a schema that may still be loading in a
   * page's chunk: a deep link asks for its data beside the script that will read it.
   */
  early(path: string): EarlyAnswer {
    const res = this.fetch(path, { method: 'GET' });
    res.catch(() => undefined); // The failure is reported to whoever parses the answer.
    return async (schema) => this.parse(await res, schema);
  }

  /**
   * Starts a streamed text GET at once, for streamText(path) to read later: a deep link to a job's log
   * asks for the log beside the script, the job and the cluster list instead of after them. Kept for
   * 15 s at most, then dropped (the page took another turn: a live job, another tab, a sign-in prompt).
   */
  earlyText(path: string): void {
    if (this.earlyTexts.has(path)) return;
    const controller = new AbortController();
    const res = this.fetch(path, { method: 'GET', headers: { Accept: 'text/plain' }, signal: controller.signal });
    res.catch(() => undefined); // streamText asks again and reports its own failure.
    const timer = setTimeout(() => this.dropEarlyText(path), EARLY_TEXT_KEPT_MS);
    this.earlyTexts.set(path, { res, controller, timer });
  }

  /** Cancels an early text GET nobody will read (a running job's log is followed live instead). */
  dropEarlyText(path: string): void {
    const early = this.earlyTexts.get(path);
    if (!early) return;
    this.earlyTexts.delete(path);
    clearTimeout(early.timer);
    early.controller.abort();
  }

  /** The session's CSRF token; `GET /api/session` also tells which clusters are signed in. */
  async session(): Promise<SessionInfo> {
    const info = await this.get('/api/session', SessionInfo);
    this.csrfToken = info.csrfToken;
    return info;
  }

  /**
   * Ends the session: 204 in the anonymous mode; with single sign-on, 200 with the provider's sign-out
   * URL, for the caller to open so the provider's session ends too.
   */
  signOut(): Promise<SignOutResponse> {
    return this.send('POST', '/api/logout', undefined, SignOutResponse);
  }

  /**
   * Leaves the console for `url` (the provider's sign-out). From now on a `sign_in_required` answer to a
   * request still under way does not send the browser to the sign-in instead.
   */
  leaveFor(url: string): void {
    leaving = true;
    window.location.assign(url);
  }

  /**
   * A streamed text body (a whole job log), read chunk by chunk so the first lines show before the last
   * arrive. Failures become ApiErrors like every other call.
   */
  async streamText(path: string, onChunk: (text: string) => void, signal?: AbortSignal): Promise<void> {
    const res =
      (await this.takeEarlyText(path, signal)) ??
      (await this.fetch(path, {
        method: 'GET',
        headers: { Accept: 'text/plain' },
        ...(signal ? { signal } : {}),
      }));
    if (!res.ok) throw await toApiError(res);
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onChunk(value);
    }
  }

  /** A Server-Sent Events stream from the BFF (same origin, so the session cookie goes along). */
  eventSource(path: string): EventSource {
    return new EventSource(path, { withCredentials: false });
  }

  forgetCsrf(): void {
    this.csrfToken = undefined;
  }

  /**
   * The early answer for this path, if one was started and succeeded. A failed one is dropped and the
   * caller asks again: it may predate a sign-in, and a fresh request reports the failure as it is now.
   */
  private async takeEarlyText(path: string, signal?: AbortSignal): Promise<Response | undefined> {
    const early = this.earlyTexts.get(path);
    if (!early) return undefined;
    this.earlyTexts.delete(path);
    clearTimeout(early.timer);
    if (signal?.aborted) {
      early.controller.abort();
      return undefined;
    }
    signal?.addEventListener('abort', () => early.controller.abort(), { once: true });
    const res = await early.res.catch(() => undefined);
    if (res?.ok) return res;
    void res?.body?.cancel().catch(() => undefined);
    return undefined;
  }

  private async csrf(): Promise<string> {
    if (!this.csrfToken) await this.session();
    return this.csrfToken!;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, {
        ...init,
        credentials: 'same-origin',
        headers: { Accept: 'application/json', ...init.headers },
      });
    } catch {
      throw new ApiError(0, 'network', 'The console cannot be reached. Check your connection; it retries by itself.');
    }
    // A sign-in gives the session a new CSRF token and hands it out here; the old one is refused from now on.
    const renewed = res.headers.get('X-CSRF-Token');
    if (renewed) this.csrfToken = renewed;
    // Single sign-on: no person in this session (never signed in, expired, signed out in another tab).
    // The browser goes to the sign-in, which brings it back here afterwards; the caller still gets the error.
    if (res.status === 401) {
      const error = await peekError(res);
      if (error?.code === 'sign_in_required') goToSignIn(error.params?.loginPath);
    }
    return res;
  }

  private async parse<S extends z.$ZodType>(res: Response, schema: S): Promise<z.output<S>> {
    if (!res.ok) throw await toApiError(res);
    const body: unknown = res.status === 204 ? {} : await res.json();
    const parsed = safeParse(schema, body);
    if (!parsed.success)
      throw new ApiError(res.status, 'internal', 'The console answered in an unexpected shape; reload the page.');
    return parsed.data;
  }
}

async function peekError(res: Response): Promise<ApiErrorBody['error'] | undefined> {
  try {
    const body = ApiErrorBody.safeParse(await res.clone().json());
    return body.success ? body.data.error : undefined;
  } catch {
    return undefined;
  }
}

async function peekCode(res: Response): Promise<string | undefined> {
  return (await peekError(res))?.code;
}

/** Set once the page is navigating away (to the sign-in, or the provider's sign-out). */
let leaving = false;

/**
 * Opens the console's sign-in route (a path of this origin only, whatever the answer said), with the
 * page the person was on as `returnTo`. Once: several failing queries make one navigation.
 */
function goToSignIn(loginPath: unknown): void {
  if (leaving || typeof window === 'undefined') return;
  leaving = true;
  const path = typeof loginPath === 'string' && /^\/[\w/-]*$/.test(loginPath) ? loginPath : '/auth/login';
  const { pathname, search, hash } = window.location;
  window.location.assign(`${path}?${new URLSearchParams({ returnTo: `${pathname}${search}${hash}` }).toString()}`);
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = ApiErrorBody.safeParse(await res.json());
    if (body.success)
      return new ApiError(
        res.status,
        body.data.error.code,
        body.data.error.message,
        body.data.error.fields,
        body.data.error.params,
      );
  } catch {
    // Not our JSON (a proxy's error page): fall through.
  }
  return new ApiError(
    res.status,
    res.status >= 500 ? 'unavailable' : 'bad_request',
    `The console answered ${res.status}; try again.`,
    undefined,
    { status: res.status },
  );
}

export const api = new ApiClient();
