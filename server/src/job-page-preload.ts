import { ClusterId, JobId } from '@ray-console/shared';

/** A job's page in the web app (web/src/app/route-pages.tsx); `jobs/new` is the submit form. */
const JOB_PAGE = /^\/clusters\/([^/]+)\/jobs\/([^/]+)\/?$/;

/**
 * The `Link` header that has the browser ask for a job's whole log while it is still reading the page,
 * for a deep link to the job's page; undefined for any other page or for ids the API would refuse.
 *
 * Without it the log is asked for only once the first script runs (about 240 ms after the page arrived,
 * docs/benchmarks.md), and a finished job's log is what that page shows first. The first script asks for
 * the same URL in the same way (`api.earlyText`, web/src/lib/api-client.ts: a CORS-mode GET with the
 * cookie and no headers of its own), which is what lets the browser hand it the answer already under way
 * instead of asking twice; a running job's page calls that request off, which ends this one too.
 *
 * The ids are decoded from the path, checked with the API's own schemas, encoded again and put into a
 * URL built by `new URL()`, so nothing from the address bar reaches the header as it was typed. A header,
 * not a tag in the HTML: the page stays the same file for every URL, and the CSP is untouched (a preload
 * of the console's own API is within `connect-src 'self'`).
 */
export function jobLogPreload(pagePath: string): string | undefined {
  const m = JOB_PAGE.exec(pagePath);
  if (!m) return undefined;
  const clusterId = decoded(m[1]!);
  const jobId = decoded(m[2]!);
  if (jobId === 'new' || !ClusterId.safeParse(clusterId).success || !JobId.safeParse(jobId).success) {
    return undefined;
  }
  // The same path as the web app's jobLogPath (web/src/features/jobs/paths.ts).
  const url = new URL(
    `/api/clusters/${encodeURIComponent(clusterId!)}/jobs/${encodeURIComponent(jobId!)}/logs`,
    'http://console.invalid',
  );
  return `<${url.pathname}>; rel=preload; as=fetch; crossorigin=use-credentials`;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
