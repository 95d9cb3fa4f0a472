import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClusterList, JobList, type JobSummary } from '@ray-console/shared';
import { answer, fakeBff, type SeenRequest } from '../../test/fake-bff';
import { browser, currentUrl, renderPage } from '../../test/render-page';
import { JobsPage } from './jobs-page';

const job = (n: number, status: JobSummary['status'] = 'SUCCEEDED'): JobSummary => ({
  id: `raysubmit_${String(n).padStart(3, '0')}`,
  type: 'SUBMISSION',
  submissionId: `raysubmit_${String(n).padStart(3, '0')}`,
  status,
  entrypoint: `python job_${n}.py`,
  startTime: 1_767_000_000_000 + n * 1000,
});

/** A cluster with 120 jobs, paged by the fake BFF as the real one does: 50 a page, a cursor to the next. */
function clusterWithJobs() {
  const bff = fakeBff();
  bff.on('GET', '/api/clusters', () =>
    answer(ClusterList, [{ id: 'c1', displayName: 'Production', authMode: 'token', signedIn: true }]),
  );
  const all = Array.from({ length: 120 }, (_, i) => job(i + 1, i % 10 === 0 ? 'FAILED' : 'SUCCEEDED'));
  bff.on('GET', '/api/clusters/c1/jobs', ({ search }) => {
    const statuses = search.getAll('status');
    const q = search.get('q') ?? '';
    const matching = all.filter(
      (j) => (statuses.length === 0 || statuses.includes(j.status)) && j.entrypoint.includes(q),
    );
    const start = search.get('cursor') ? Number(atob(search.get('cursor')!.replace(/-/g, '+'))) : 0;
    const items = matching.slice(start, start + 50);
    const next = start + 50 < matching.length ? btoa(String(start + 50)).replace(/=+$/, '') : undefined;
    return answer(JobList, {
      items,
      total: matching.length,
      ...(next ? { nextCursor: next } : {}),
      statusCounts: { PENDING: 0, RUNNING: 0, STOPPED: 0, SUCCEEDED: 108, FAILED: 12 },
      fetchedAt: Date.now(),
    });
  });
  const listRequests = () => bff.requests.filter((r) => r.path === '/api/clusters/c1/jobs');
  const lastList = (): SeenRequest => listRequests().at(-1)!;
  return { bff, lastList };
}

const open = (url: string) => renderPage(<JobsPage />, { path: '/clusters/:clusterId/jobs', url });

describe('the job list', () => {
  it('puts the page in the URL, so a copied link opens the same page, and Previous works from it', async () => {
    const { lastList } = clusterWithJobs();
    const user = userEvent.setup();
    const first = open('/clusters/c1/jobs');
    await screen.findByText('1–50 of 120');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('51–100 of 120');
    expect(currentUrl.navigationType).toBe('PUSH');
    expect(currentUrl.search.getAll('cursor')).toHaveLength(1);
    expect(lastList().search.get('cursor')).toBe(currentUrl.search.get('cursor'));
    const link = currentUrl.href;
    first.unmount();

    // Someone else opens the copied link.
    open(link);
    await screen.findByText('51–100 of 120');
    expect(screen.getByRole('link', { name: 'raysubmit_051' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    await screen.findByText('1–50 of 120');
    expect(currentUrl.search.has('cursor')).toBe(false);
  });

  it('puts the status filter and the sort in the URL, and starts again at the first page', async () => {
    const { lastList } = clusterWithJobs();
    const user = userEvent.setup();
    open('/clusters/c1/jobs');
    await screen.findByText('1–50 of 120');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('51–100 of 120');

    await user.click(screen.getByRole('button', { name: /^FAILED/ }));
    await screen.findByText('1–12 of 12');
    expect(currentUrl.navigationType).toBe('PUSH');
    expect(currentUrl.search.getAll('status')).toEqual(['FAILED']);
    expect(currentUrl.search.has('cursor')).toBe(false);
    expect(lastList().search.getAll('status')).toEqual(['FAILED']);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'Id');
    await waitFor(() => expect(lastList().search.get('sort')).toBe('id'));
    expect(currentUrl.search.get('sort')).toBe('id');
    expect(currentUrl.search.getAll('status')).toEqual(['FAILED']);
  });

  it('names the browser tab after the page and the cluster', async () => {
    clusterWithJobs();
    open('/clusters/c1/jobs');
    await waitFor(() => expect(document.title).toBe('Jobs · Production · Ray Console'));
  });

  it('goes Back and Forward through the filters, the search box showing each entry’s search', async () => {
    clusterWithJobs();
    const user = userEvent.setup();
    open('/clusters/c1/jobs?q=job_1');
    await screen.findByText('1–32 of 32');
    await user.click(screen.getByRole('button', { name: /^FAILED/ }));
    await screen.findByText('1–4 of 4');
    const box = screen.getByRole('searchbox', { name: 'Search jobs' }) as HTMLInputElement;
    await user.type(box, '1');
    await waitFor(() => expect(currentUrl.search.get('q')).toBe('job_11'));

    await screen.findByText('1–2 of 2');

    act(() => browser.back());
    await screen.findByText('1–32 of 32');
    expect(currentUrl.search.get('q')).toBe('job_1');
    expect(box.value).toBe('job_1');
    expect(screen.getByRole('button', { name: /^FAILED/ }).getAttribute('aria-pressed')).toBe('false');

    act(() => browser.forward());
    await screen.findByText('1–2 of 2');
    expect(box.value).toBe('job_11');
    expect(screen.getByRole('button', { name: /^FAILED/ }).getAttribute('aria-pressed')).toBe('true');
  });

  it('opens a link with filters as the link says', async () => {
    const { lastList } = clusterWithJobs();
    open('/clusters/c1/jobs?status=FAILED&type=SUBMISSION&q=job_1&sort=-durationMs');
    await screen.findByText('1–4 of 4');
    const request = lastList().search;
    expect(request.getAll('status')).toEqual(['FAILED']);
    expect(request.getAll('type')).toEqual(['SUBMISSION']);
    expect(request.get('q')).toBe('job_1');
    expect(request.get('sort')).toBe('-durationMs');
    expect(screen.getByRole('button', { name: /^FAILED/ }).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('searchbox', { name: 'Search jobs' }) as HTMLInputElement).value).toBe('job_1');
    expect((screen.getByRole('combobox', { name: 'Sort' }) as HTMLSelectElement).value).toBe('-durationMs');
  });

  it('falls back to the defaults for values in the URL that are not valid, rather than failing', async () => {
    const { lastList } = clusterWithJobs();
    open('/clusters/c1/jobs?status=DONE&type=BATCH&sort=name&cursor=not%20a%20cursor');
    await screen.findByText('1–50 of 120');
    const request = lastList().search;
    expect(request.has('status')).toBe(false);
    expect(request.has('type')).toBe(false);
    expect(request.get('sort')).toBe('-startTime');
    expect(request.has('cursor')).toBe(false);
  });

  it('puts the search in the URL as the user types, replacing the history entry rather than adding one per key', async () => {
    const { lastList } = clusterWithJobs();
    const user = userEvent.setup();
    open('/clusters/c1/jobs?status=FAILED');
    await screen.findByText('1–12 of 12');
    await user.type(screen.getByRole('searchbox', { name: 'Search jobs' }), 'job_11');
    await waitFor(() => expect(currentUrl.search.get('q')).toBe('job_11'));
    expect(currentUrl.navigationType).toBe('REPLACE');
    expect(currentUrl.search.getAll('status')).toEqual(['FAILED']);
    await waitFor(() => expect(lastList().search.get('q')).toBe('job_11'));
    const table = screen.getByTestId('jobs-table');
    expect(within(table).getAllByRole('row').length).toBeGreaterThan(1);
  });
});
