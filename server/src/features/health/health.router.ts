import { Router } from 'express';
import type { Health } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';

export interface ReadinessDeps {
  /** False while the session store cannot be reached. */
  storeReady: () => boolean;
  /** True once SIGTERM was received. */
  draining: () => boolean;
  /** Gauges for `/metrics`: name (Prometheus style) to value and help text. */
  gauges?: () => Record<string, { value: number; help: string }>;
}

/**
 * Liveness (`/healthz`: answers while the process runs, calls no cluster) and readiness (`/readyz`:
 * 503 while the session store is away or the replica drains, so a load balancer sends requests
 * elsewhere; a Ray head being down does not make the console unready).
 */
export function healthRouter(readiness?: ReadinessDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const body: Health = { status: 'ok' };
    res.json(body);
  });
  // Prometheus text format. Counts only (no ids, no addresses), so it can be scraped without a session;
  // expose it on the internal network only, like /readyz.
  router.get('/metrics', (_req, res) => {
    const memory = process.memoryUsage();
    const gauges = {
      ray_console_ready: {
        value: readiness && (readiness.draining() || !readiness.storeReady()) ? 0 : 1,
        help: 'Whether /api/readyz answers 200.',
      },
      ...readiness?.gauges?.(),
      process_resident_memory_bytes: { value: memory.rss, help: 'Resident memory of the BFF process.' },
      nodejs_heap_used_bytes: { value: memory.heapUsed, help: 'V8 heap in use.' },
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
    const body: Health = { status: 'ok' };
    res.json(body);
  });
  return router;
}
