import { JobSort, JobStatus, JobType } from '@ray-console/shared';
import type { JobListParams } from './api';

/** What the job list shows, as its URL says: filters, search, sort and the page. */
export interface JobListView {
  statuses: JobStatus[];
  type: JobType | '';
  sort: JobSort;
  /** As typed (the URL keeps what the box shows); trimmed when asked for. */
  q: string;
  /**
   * The page, as the trail of `nextCursor`s that led to it (empty on the first page). The BFF pages by
   * cursor (a position in the sort order, so jobs submitted meanwhile neither shift nor repeat a page),
   * so a page number alone could not be asked for; the trail also lets Previous work on a shared link.
   */
  cursors: string[];
  /** Only the jobs the signed-in person submitted (single sign-on only). */
  mine: boolean;
}

export const DEFAULT_SORT: JobSort = '-startTime';
const MAX_QUERY = 500;
/** A cursor as the BFF makes them: base64url, at most 2000 characters (shared JobListQuery). */
const CURSOR = /^[A-Za-z0-9_-]{1,2000}$/;
const MAX_PAGES = 200;

/**
 * Reads the view from the URL. Each value is checked: one that is not valid (a status that does not
 * exist, a sort the BFF does not know, a mangled cursor) falls back to its default instead of failing
 * the page, so a hand-edited or truncated link still opens the list.
 */
export function readJobListView(search: URLSearchParams): JobListView {
  const statuses = [
    ...new Set(
      search
        .getAll('status')
        .flatMap((s) => s.split(','))
        .filter((s): s is JobStatus => JobStatus.safeParse(s).success),
    ),
  ];
  const type = JobType.safeParse(search.get('type'));
  const sort = JobSort.safeParse(search.get('sort'));
  const q = search.get('q') ?? '';
  const cursors = search.getAll('cursor');
  return {
    statuses,
    type: type.success ? type.data : '',
    q: q.length <= MAX_QUERY ? q : '',
    sort: sort.success ? sort.data : DEFAULT_SORT,
    cursors: cursors.length <= MAX_PAGES && cursors.every((c) => CURSOR.test(c)) ? cursors : [],
    mine: search.get('mine') === '1',
  };
}

/** The URL's search for a view; defaults are left out, so the plain list has a plain URL. */
export function jobListSearch(view: JobListView): URLSearchParams {
  const search = new URLSearchParams();
  for (const s of view.statuses) search.append('status', s);
  if (view.type) search.set('type', view.type);
  if (view.q) search.set('q', view.q);
  if (view.sort !== DEFAULT_SORT) search.set('sort', view.sort);
  if (view.mine) search.set('mine', '1');
  for (const c of view.cursors) search.append('cursor', c);
  return search;
}

/** The BFF's query for the page the view shows; "my jobs" only where a person is signed in. */
export function jobListParams(view: JobListView, withPeople = false): JobListParams {
  const q = view.q.trim();
  return {
    ...(view.statuses.length > 0 ? { status: view.statuses } : {}),
    ...(view.type ? { type: [view.type] } : {}),
    ...(q ? { q } : {}),
    ...(view.mine && withPeople ? { mine: true } : {}),
    sort: view.sort,
    ...(view.cursors.length > 0 ? { cursor: view.cursors[view.cursors.length - 1] } : {}),
  };
}
