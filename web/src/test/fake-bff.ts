import { vi } from 'vitest';
import type * as z from 'zod/v4/core';
import { parse } from 'zod/mini';
import { ApiErrorBody, SessionInfo, type ErrorCode } from '@ray-console/shared';

/** A request the page made, as the fake BFF received it. */
export interface SeenRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Handler = (request: SeenRequest) => Response | Promise<Response>;

/**
 * The BFF as the browser sees it, at the network boundary: `fetch` is replaced, so a page under test
 * goes through the real api-client (CSRF header, schema parsing, ApiError). Answers are built with the
 * shared schemas (`answer`), so a fixture that drifts from the contract fails the test that uses it.
 * Not MSW: its current major needs Node 22, and the web tests run on Node 20 and 24 (scripts/test-all.mjs);
 * stubbing one function is all these tests need.
 */
export function fakeBff() {
  const routes: { method: string; path: string; handler: Handler }[] = [];
  const requests: SeenRequest[] = [];
  const on = (method: string, path: string, handler: Handler) => {
    // The latest route wins, so a test can change an answer halfway.
    routes.unshift({ method, path, handler });
  };
  on('GET', '/api/session', () => answer(SessionInfo, { csrfToken: 'csrf-test', clusters: [] }));
  vi.stubGlobal('fetch', async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.toString(), 'http://console.test');
    const text = typeof init.body === 'string' ? init.body : undefined;
    const request: SeenRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      search: url.searchParams,
      headers: new Headers(init.headers),
      body: text === undefined ? undefined : JSON.parse(text),
    };
    requests.push(request);
    const route = routes.find((r) => r.method === request.method && r.path === request.path);
    if (!route) return error(404, 'not_found', `The fake BFF has no route ${request.method} ${request.path}.`);
    return route.handler(request);
  });
  return { on, requests };
}

/** A 2xx answer whose body is checked against the schema the browser parses it with. */
export function answer<S extends z.$ZodType>(schema: S, body: z.input<S>, status = 200): Response {
  return new Response(JSON.stringify(parse(schema, body)), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** The BFF's error shape (shared ApiErrorBody). */
export function error(status: number, code: ErrorCode, message: string, fields?: Record<string, string>): Response {
  return answer(ApiErrorBody, { error: { code, message, ...(fields ? { fields } : {}) } }, status);
}
