import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Health } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';

export interface ReadinessDeps {
  /** False while the session store cannot be reached. */
  storeReady: () => boolean;
  /** True once SIGTERM was received. */
  draining: () => boolean;
  /**
   * What works but needs the operator (a token file whose new content cannot be used): said by
   * `/readyz`, which stays 200, because the replica serves everything with what it has.
   */
  warnings?: () => string[];
  /** Gauges for `/metrics`: name (Prometheus style) to value and help text. */
  gauges?: () => Record<string, { value: number; help: string }>;
  /** The bearer token a scraper sends for `/metrics` (METRICS_TOKEN); without it `/metrics` is off. */
  metricsToken?: string;
}

/**
 * Liveness (`/healthz`: answers while the process runs, calls no cluster) and readiness (`/readyz`:
 * 503 while the session store is away or the replica drains, so a load balancer sends requests
 * elsewhere; a Ray head being down does not make the console unready).
 */
export function healthRouter(readiness?: ReadinessDeps): Router {
  const router = Router();
  const metricsToken = readiness?.metricsToken;
  router.get('/healthz', (_req, res) => {
    const body: Health = { status: 'ok' };
    res.json(body);
  });
  // Prometheus text format, counts only (no ids, no addresses). Still not for anonymous visitors: memory
  // and stream counts tell an outsider how loaded the console is and whether an attack works, so it is
  // off unless METRICS_TOKEN is set, and then only for a scraper that sends it.
  router.get('/metrics', (req, res) => {
    if (!metricsToken) {
      throw new AppError(
        'not_found',
        'Metrics are off. Set METRICS_TOKEN and scrape /api/metrics with the header Authorization: Bearer <token>.',
      );
    }
    if (!bearerMatches(req, metricsToken)) {
      res.set('WWW-Authenticate', 'Bearer realm="ray-console-metrics"');
      throw new AppError('token_missing', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
    }
    const memory = process.memoryUsage();
    const gauges = {
      ray_console_ready: {
        value: readiness && (readiness.draining() || !readiness.storeReady()) ? 0 : 1,
        help: 'Whether /api/readyz answers 200.',
      },
      ...readiness?.gauges?.(),
      process_resident_memory_bytes: { value: memory.rss, help: 'Resident memory of the BFF process.' },
      nodejs_heap_used_bytes: { value: memory.heapUsed, help: 'V8 heap in use.' },
      nodejs_heap_total_bytes: { value: memory.heapTotal, help: 'V8 heap reserved (what it takes in memory).' },
      nodejs_external_memory_bytes: {
        value: memory.external,
        help: 'Memory outside the V8 heap held by JavaScript objects: buffers (a live tail window, sockets).',
      },
    };
    const text = Object.entries(gauges)
      .map(([name, g]) => `# HELP ${name} ${g.help}\n# TYPE ${name} gauge\n${name} ${g.value}\n`)
      .join('');
    res.type('text/plain; version=0.0.4').send(text);
  });
  router.get('/readyz', (_req, res) => {
    if (readiness?.draining()) throw new AppError('unavailable', 'This replica is shutting down.');
    if (readiness && !readiness.storeReady()) {
      throw new AppError('unavailable', 'The session store cannot be reached right now.');
    }
    const warnings = readiness?.warnings?.() ?? [];
    const body: Health = { status: 'ok', ...(warnings.length > 0 ? { warnings } : {}) };
    res.json(body);
  });
  return router;
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(req: Request, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
