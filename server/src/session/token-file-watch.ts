import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { readTokenFile, type TokenFileProblem, type TokenFileRead } from './token-file.js';

/** What a token file watch reports: the token changed, the file went bad, or it was fixed. */
export type TokenFileEvent = { kind: 'changed' } | { kind: 'problem'; problem: string } | { kind: 'recovered' };

/** What is wrong with the file now: the message (names the path) and its kind (names none). */
export interface TokenFileTrouble {
  problem: string;
  kind: TokenFileProblem;
}

export interface TokenFileWatchOptions {
  /** Quiet time after the last file event before the file is read (a Secret update is several renames). */
  debounceMs?: number;
  /** The file is also read this often, for file systems that send no events (NFS, a replaced folder). */
  recheckMs?: number;
  onEvent?: (event: TokenFileEvent) => void;
}

/**
 * One token file, read at start and again whenever it changes, so a rotated Secret reaches the console
 * without a restart. A bad new content (empty, unreadable, not a token) keeps the last good token and
 * reports the problem; the next good content clears it.
 *
 * Built on `fs.watch` of the file's folder rather than of the file, and rather than on chokidar: when
 * Kubernetes updates a mounted Secret, the path (`<mount>/auth_token`) is a symlink into `..data`, and
 * what changes is `..data` itself, swapped atomically for a new timestamped folder; the file the old
 * symlink pointed at is deleted, not written. A watch on the folder sees that rename, a rename of
 * another file over the path, and an in-place write alike, and every event just means "read the path
 * again". chokidar watches the files it resolved, which is how it misses the `..data` swap (its issues
 * say so), and it would be a dependency for one folder. `fs.watch` uses inotify on Linux; a slow
 * periodic re-read covers file systems without events and a folder that is itself replaced.
 */
export class TokenFileWatch {
  private last: string;
  private before: string | undefined;
  private problemNow: TokenFileTrouble | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly recheck: NodeJS.Timeout;
  private reading: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly debounceMs: number;

  constructor(
    readonly file: string,
    /** The token read at start (the start refuses a bad file, so there is always one). */
    initialToken: string,
    private readonly options: TokenFileWatchOptions = {},
  ) {
    this.last = initialToken;
    this.debounceMs = options.debounceMs ?? 200;
    this.watchFolder();
    this.recheck = setInterval(() => {
      // A watch that broke (its folder was removed and made again) is set up anew here.
      if (!this.watcher) this.watchFolder();
      void this.reload();
    }, options.recheckMs ?? 60_000);
    // The watch must not keep a process (a test, a draining replica) alive on its own.
    this.recheck.unref();
  }

  /** The last good token. */
  get token(): string {
    return this.last;
  }

  /**
   * The good token before the last change, until {@link forgetPrevious}: a Secret edited before the head
   * restarts with it reaches the file first, and the head still takes the old token meanwhile.
   */
  get previous(): string | undefined {
    return this.before;
  }

  /** The head took the current token: the one before it is of no more use. */
  forgetPrevious(): void {
    this.before = undefined;
  }

  /** What is wrong with the file's current content, while the last good token stays in use. */
  get problem(): TokenFileTrouble | undefined {
    return this.problemNow;
  }

  /** Reads the file now; overlapping calls are folded into one read after the current one. */
  reload(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        this.apply(await readTokenFile(this.file));
      } while (this.again && !this.closed);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.recheck);
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private apply(read: TokenFileRead): void {
    if (this.closed) return;
    if (read.problem !== undefined) {
      if (read.problem === this.problemNow?.problem) return;
      this.problemNow = { problem: read.problem, kind: read.kind };
      this.options.onEvent?.({ kind: 'problem', problem: read.problem });
      return;
    }
    const hadProblem = this.problemNow !== undefined;
    this.problemNow = undefined;
    const changed = read.token !== this.last;
    if (changed) this.before = this.last;
    this.last = read.token;
    if (changed) this.options.onEvent?.({ kind: 'changed' });
    else if (hadProblem) this.options.onEvent?.({ kind: 'recovered' });
  }

  private watchFolder(): void {
    try {
      const watcher = watch(path.dirname(this.file), { persistent: false }, () => this.schedule());
      watcher.on('error', () => {
        // The folder went away (or the watch failed): read the file now, and watch again at the next recheck.
        watcher.close();
        if (this.watcher === watcher) this.watcher = undefined;
        this.schedule();
      });
      this.watcher = watcher;
    } catch {
      // The folder cannot be watched now; the periodic re-read tries again.
      this.watcher = undefined;
    }
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.debounceMs);
    this.debounce.unref();
  }
}
