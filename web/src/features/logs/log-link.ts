import type { LogRef } from '@ray-console/shared';

/** A log to open: Ray's LogRef, and for a task's or actor's log which stream (`out` or `err`). */
export type LogTarget = LogRef & { suffix?: 'out' | 'err' | undefined };

/**
 * The console's page for one log (a file on a node, a task attempt's part of its worker's log, an actor's
 * log), as a link: every page that names a log links here, and the URL alone reopens it at the same line
 * or search, so a link can be shared.
 */
export function logPageHref(
  clusterId: string,
  ref: LogTarget,
  at?: { line?: number; find?: string },
  /** Where the task ran, so the page can offer the worker's own files when Ray cannot find the task's part. */
  worker?: { nodeId?: string | undefined; workerId?: string | undefined },
): string {
  const search = new URLSearchParams();
  if (ref.nodeId) search.set('node', ref.nodeId);
  if (ref.filename) search.set('file', ref.filename);
  if (ref.taskId) search.set('task', ref.taskId);
  if (ref.attemptNumber !== undefined) search.set('attempt', String(ref.attemptNumber));
  if (ref.actorId) search.set('actor', ref.actorId);
  if (ref.suffix) search.set('suffix', ref.suffix);
  const find = at?.find ?? ref.highlight;
  if (at?.line !== undefined) search.set('line', String(at.line));
  if (find) search.set('find', find);
  if (worker?.nodeId && worker.workerId) {
    search.set('wnode', worker.nodeId);
    search.set('worker', worker.workerId);
  }
  return `/clusters/${encodeURIComponent(clusterId)}/logs/view?${search.toString()}`;
}

/** The log a log page's URL names, read back; undefined when the URL names none (or a wrong mix). */
export function logRefFromSearch(
  search: URLSearchParams,
): { ref: LogTarget; line?: number; find?: string; worker?: { nodeId: string; workerId: string } } | undefined {
  const ref: LogTarget = {};
  const node = search.get('node');
  const file = search.get('file');
  const task = search.get('task');
  const attempt = search.get('attempt');
  const actor = search.get('actor');
  if (node) ref.nodeId = node;
  if (file) ref.filename = file;
  if (task) ref.taskId = task;
  if (attempt !== null && /^\d+$/.test(attempt)) ref.attemptNumber = Number(attempt);
  if (actor) ref.actorId = actor;
  const suffix = search.get('suffix');
  if (suffix === 'out' || suffix === 'err') ref.suffix = suffix;
  const named = [file, task, actor].filter((v) => v).length;
  if (named !== 1 || (file && !node)) return undefined;
  const lineText = search.get('line');
  const line = lineText && /^\d+$/.test(lineText) ? Number(lineText) : undefined;
  const find = search.get('find') ?? undefined;
  const wnode = search.get('wnode');
  const workerId = search.get('worker');
  return {
    ref,
    ...(line !== undefined ? { line } : {}),
    ...(find ? { find } : {}),
    ...(wnode && workerId ? { worker: { nodeId: wnode, workerId } } : {}),
  };
}

/** The BFF's query for the same log (`GET …/logs/file?…`), from the same parts. */
export function logFileSearch(ref: LogTarget): URLSearchParams {
  const search = new URLSearchParams();
  if (ref.nodeId) search.set('nodeId', ref.nodeId);
  if (ref.filename) search.set('filename', ref.filename);
  if (ref.taskId) search.set('taskId', ref.taskId);
  if (ref.attemptNumber !== undefined) search.set('attemptNumber', String(ref.attemptNumber));
  if (ref.actorId) search.set('actorId', ref.actorId);
  if (ref.suffix && !ref.filename) search.set('suffix', ref.suffix);
  return search;
}

/** The logs browser on one node, its file list filtered (e.g. to one worker's files). */
export function nodeLogsHref(clusterId: string, nodeId: string, filter?: string, find?: string): string {
  const search = new URLSearchParams({ node: nodeId });
  if (filter) search.set('filter', filter);
  // The files listed then open searched for this (the exception the reader came for).
  if (find) search.set('find', find);
  return `/clusters/${encodeURIComponent(clusterId)}/logs?${search.toString()}`;
}
