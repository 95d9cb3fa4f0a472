import { createHash } from 'node:crypto';

/**
 * A cache key for something read from a cluster with one token: the cluster, what was read, and a hash
 * of the token (never the token itself). Keyed by token, so what one session read is never served to a
 * session whose token the head would refuse (or that belongs to another person).
 */
export function tokenScopedKey(clusterId: string, token: string | null, ...parts: string[]): string {
  const tokenHash = createHash('sha256')
    .update(token ?? '')
    .digest('base64url');
  return [clusterId, ...parts, tokenHash].join('\u0000');
}
