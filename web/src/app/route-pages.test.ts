import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { preloadPageAt } from './route-pages';

// A deep link to a job's log must not wait in a chain (script, cluster list, job, log): every request the
// page needs starts from the URL alone, before React draws (docs/benchmarks.md, "First lines").
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('preloadPageAt', () => {
  it("starts the job, its whole log and the cluster list at once on a job's page", () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', (path: string) => {
      sent.push(path);
      return new Promise<Response>(() => undefined); // Answers do not matter here: what is asked, and when.
    });
    preloadPageAt('/clusters/c%201/jobs/raysubmit_1', new QueryClient());
    expect(sent.slice(0, 3)).toEqual([
      '/api/clusters/c%201/jobs/raysubmit_1',
      '/api/clusters/c%201/jobs/raysubmit_1/logs',
      '/api/clusters',
    ]);
  });

  it('asks for no job or log on the submit form, whose URL looks like a job id', () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', (path: string) => {
      sent.push(path);
      return new Promise<Response>(() => undefined);
    });
    preloadPageAt('/clusters/c1/jobs/new', new QueryClient());
    expect(sent.filter((p) => p.includes('/jobs'))).toEqual([]);
  });
});
