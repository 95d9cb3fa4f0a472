import http from 'node:http';
import https from 'node:https';
import {
  Observable,
  ResponseContext,
  SelfDecodingBody,
  type ConfigurationOptions,
  type HttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';

/**
 * The options of every call to the API server, the console's own and a person's: a deadline, so an API
 * server that hangs reads as unreachable rather than as stuck; for a person's call, the HTTP library
 * that carries their impersonation; for a patch, the content type that says which kind of patch it is.
 */
export function callOptions(
  timeoutMs: number,
  extra: { httpApi?: HttpLibrary; contentType?: string } = {},
): ConfigurationOptions {
  const { httpApi, contentType } = extra;
  return {
    ...(httpApi ? { httpApi } : {}),
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(AbortSignal.timeout(timeoutMs));
          if (contentType) context.setHeaderParam('Content-Type', contentType);
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * How a person's calls reach the API server: client-node's request, sent with node:https so that
 * impersonation can send ONE `Impersonate-Group` header per group. client-node's own fetch library takes
 * headers as a map of single strings, and a comma-joined `Impersonate-Group: a, b` reads as one group
 * named "a, b" to the API server (it does not split header values), so the person would lose every
 * group-based permission.
 */
export class PersonHttpLibrary implements HttpLibrary {
  constructor(
    /** `Impersonate-User` and `Impersonate-Group` values, or undefined to act as the credentials themselves. */
    private readonly impersonate: { user: string; groups: readonly string[] } | undefined,
  ) {}

  send(request: RequestContext): Observable<ResponseContext> {
    return new Observable(this.sendAsync(request));
  }

  private sendAsync(request: RequestContext): Promise<ResponseContext> {
    const url = new URL(request.getUrl());
    const headers: http.OutgoingHttpHeaders = { ...request.getHeaders() };
    if (this.impersonate) {
      // Never let a kubeconfig's own `as:` stand beside the person's impersonation.
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase().startsWith('impersonate-')) delete headers[key];
      }
      headers['Impersonate-User'] = this.impersonate.user;
      if (this.impersonate.groups.length > 0) headers['Impersonate-Group'] = [...this.impersonate.groups];
    }
    const body = request.getBody();
    if (body !== undefined && typeof body !== 'string') {
      return Promise.reject(new Error('The Kubernetes door sends JSON bodies only.'));
    }
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const agent = request.getAgent();
    const signal = request.getSignal();
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<ResponseContext>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: request.getHttpMethod(),
          headers,
          ...(agent ? { agent } : {}),
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          const data = new Promise<Buffer>((done, fail) => {
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => done(Buffer.concat(chunks)));
            res.on('error', fail);
          });
          const responseHeaders: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          // Read it all before resolving, so a failure while reading rejects the call (not a later parse).
          data.then(
            (buffer) =>
              resolve(
                new ResponseContext(
                  res.statusCode ?? 0,
                  responseHeaders,
                  new SelfDecodingBody(Promise.resolve(buffer)),
                ),
              ),
            reject,
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
