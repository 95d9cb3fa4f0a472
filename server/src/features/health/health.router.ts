import { Router } from 'express';
import type { Health } from '@ray-console/shared';

/** Liveness: answers while the process runs and calls no cluster. */
export function healthRouter(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const body: Health = { status: 'ok' };
    res.json(body);
  });
  return router;
}
