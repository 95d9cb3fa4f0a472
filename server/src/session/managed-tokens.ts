import type { Logger } from 'pino';
import { readTokenFileSync, type TokenFileProblem } from './token-file.js';
import { TokenFileWatch, type TokenFileWatchOptions } from './token-file-watch.js';

/** A configured cluster whose token the console holds itself. */
export interface ManagedCluster {
  id: string;
  tokenFile?: string | undefined;
}

/**
 * The tokens the console holds for clusters configured with `tokenFile:`. Each file is read at start
 * and again when it changes (see {@link TokenFileWatch}); the token never leaves the server and is not
 * put in any session: every request to such a cluster reads the current one here. Log lines and
 * problems name the cluster and the file, never the content.
 */
export class ManagedTokens {
  private readonly watches = new Map<string, TokenFileWatch>();

  constructor(
    clusters: readonly ManagedCluster[],
    logger: Logger,
    options: Omit<TokenFileWatchOptions, 'onEvent'> = {},
  ) {
    const log = logger.child({ component: 'token-file' });
    for (const c of clusters) {
      if (!c.tokenFile) continue;
      const file = c.tokenFile;
      // loadConfig checked the file a moment ago; a file that broke since stops the start the same way.
      const read = readTokenFileSync(file);
      if (read.problem !== undefined) throw new Error(`Ray Console cannot start: cluster "${c.id}": ${read.problem}`);
      const watch = new TokenFileWatch(file, read.token, {
        ...options,
        onEvent: (event) => {
          const fields = { event: 'token-file', clusterId: c.id, file };
          if (event.kind === 'problem') {
            log.warn(
              { ...fields, state: 'problem' },
              `The token file of cluster "${c.id}" cannot be used (${event.problem}) The console keeps using the token it read before.`,
            );
          } else {
            log.info(
              { ...fields, state: event.kind },
              event.kind === 'changed'
                ? `The token file of cluster "${c.id}" changed; the console uses its new token from now on.`
                : `The token file of cluster "${c.id}" is readable again and holds the same token.`,
            );
          }
        },
      });
      this.watches.set(c.id, watch);
      log.info(
        { event: 'token-file', clusterId: c.id, file, state: 'read' },
        `The cluster "${c.id}" uses the token in its token file; the file is read again whenever it changes.`,
      );
    }
  }

  /** The cluster's current token, or undefined for a cluster without a token file. */
  token(clusterId: string): string | undefined {
    return this.watches.get(clusterId)?.token;
  }

  /**
   * The tokens to try, the current one first: while the file has a new token the head may not have yet
   * (a Secret edited before the head restarted), the one before it too.
   */
  candidates(clusterId: string): string[] {
    const watch = this.watches.get(clusterId);
    if (!watch) return [];
    return watch.previous === undefined ? [watch.token] : [watch.token, watch.previous];
  }

  /** The head accepted this token; once it is the current one, the previous one is dropped. */
  accepted(clusterId: string, token: string): void {
    const watch = this.watches.get(clusterId);
    if (watch?.token === token) watch.forgetPrevious();
  }

  /** Reads a cluster's file now (a head rejected its token: the file may have changed without an event). */
  async reload(clusterId: string): Promise<void> {
    await this.watches.get(clusterId)?.reload();
  }

  /**
   * Clusters whose token file's latest content could not be used, for the readiness answer: the cluster
   * and what is wrong, without the path (that is in the log), so an anonymous visitor learns no mount path.
   */
  problems(): string[] {
    return [...this.watches].flatMap(([id, w]) =>
      w.problem === undefined
        ? []
        : [
            `The token file of cluster "${id}" changed and cannot be used (${problemWords[w.problem.kind]}); the console keeps using the token it read before. The log says more.`,
          ],
    );
  }

  close(): void {
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }
}

const problemWords: Record<TokenFileProblem, string> = {
  missing: 'it is missing',
  unreadable: 'it is not readable',
  folder: 'it is a folder',
  'too-large': 'it is too large',
  empty: 'it is empty',
  invalid: 'it does not hold a valid token',
};
