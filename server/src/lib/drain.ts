import type { RequestHandler, Response } from 'express';

/**
 * What a replica does when it is told to stop (SIGTERM from Kubernetes or systemd): it reports itself
 * not ready so the load balancer sends no new requests, lets ordinary requests finish, and ends its
 * live streams (Server-Sent Events) cleanly. A browser's EventSource then reconnects, reaches another
 * replica through the load balancer, and resumes from its `Last-Event-ID`, so no line is lost or repeated.
 */
export class Drain {
  private readonly open = new Set<Response>();
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  /** Keeps track of every response until it closes. */
  readonly track: RequestHandler = (_req, res, next) => {
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    // A stream handler may still write once after its response was ended here; that must not crash.
    res.on('error', () => {});
    next();
  };

  /** Long-lived responses still open. */
  get streams(): number {
    return [...this.open].filter(isEventStream).length;
  }

  /** Starts draining: ends every event stream now; ordinary responses are left to finish. */
  start(): void {
    this.draining = true;
    for (const res of this.open) if (isEventStream(res) && !res.writableEnded) res.end();
  }
}

function isEventStream(res: Response): boolean {
  return String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
}
