export interface RecordedResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

/**
 * A minimal browser stand-in for the BFF: it keeps the session cookie, fetches the CSRF token, sends it
 * on writes, and records every response so a test can search them all for the cluster token.
 */
export class BffClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  readonly responses: RecordedResponse[] = [];

  constructor(public baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: RequestInit['body']; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<RecordedResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const write = !['GET', 'HEAD'].includes(method);
    if (write && options.csrf !== false) {
      // First, so the session cookie that comes with the CSRF token goes out on this request too.
      if (!this.csrfToken) await this.session();
      headers['x-csrf-token'] = this.csrfToken!;
    }
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.json === undefined ? options.body : JSON.stringify(options.json),
      redirect: 'manual',
      // A streamed body (a large upload) needs half-duplex; a Buffer or FormData does not mind.
      ...(options.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(set) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    // Like the web app: a sign-in hands out the session's new CSRF token in this header.
    const renewed = res.headers.get('x-csrf-token');
    if (renewed) this.csrfToken = renewed;
    const text = await res.text();
    const recorded: RecordedResponse = {
      status: res.status,
      headers: res.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
    };
    this.responses.push(recorded);
    return recorded;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  post(path: string, json?: unknown, options: { headers?: Record<string, string>; csrf?: boolean } = {}) {
    return this.request('POST', path, { json, ...options });
  }

  /** A raw body (a zip, FormData); `contentType` is left to fetch when absent (FormData sets its boundary). */
  put(
    path: string,
    body: NonNullable<RequestInit['body']>,
    contentType?: string,
    options: { headers?: Record<string, string>; csrf?: boolean } = {},
  ) {
    const headers = { ...options.headers, ...(contentType ? { 'content-type': contentType } : {}) };
    return this.request('PUT', path, { body, ...options, headers });
  }

  delete(path: string, options: { headers?: Record<string, string>; csrf?: boolean } = {}) {
    return this.request('DELETE', path, options);
  }

  async session() {
    const res = await this.get('/api/session');
    this.csrfToken = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }

  login(clusterId: string, token: string) {
    return this.post(`/api/clusters/${clusterId}/login`, { token });
  }
}
