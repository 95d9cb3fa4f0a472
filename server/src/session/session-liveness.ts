import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { JobLogClosed, Person, TokenSource } from '@ray-console/shared';
import './session-data.js';

/**
 * Whether a long-lived answer (a live log tail) may still go on for the session that asked for it. The
 * request's own `req.session` is a copy read when the stream began; a sign-out on this replica or on
 * another (the store is shared), a sign-out of the cluster, or the session's expiry changes only the
 * store. So the store is read again, by session id.
 *
 * A store that cannot be reached says nothing either way: the stream goes on, and the next check decides
 * (new requests get a 503 meanwhile, so nobody can sign in or out then either).
 */
export async function sessionStillReads(
  req: Request,
  /** What the stream reads: the cluster, and whose token (`token-file`: the console's, no sign-in needed). */
  stream: { cluster: { id: string }; tokenSource?: TokenSource },
  {
    absoluteMs,
    mayRead = () => true,
  }: {
    absoluteMs: number;
    /** With per-cluster roles: whether the session's person (as the store has it now) may still read the cluster. */
    mayRead?: (person: Person | undefined) => boolean;
  },
): Promise<JobLogClosed | undefined> {
  const clusterId = stream.cluster.id;
  const managed = stream.tokenSource === 'token-file';
  // A managed cluster needs no sign-in: a visitor with no stored session may follow it, and nothing can
  // end that but the stream itself. A stored session that ends still ends its streams, as a sign-out should.
  if (managed && req.session.createdAt === undefined) return undefined;
  const store = req.sessionStore;
  const sid = req.sessionID;
  let data: SessionData | null | undefined;
  try {
    data = await new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(sid, (err, session) => (err ? reject(err as Error) : resolve(session))),
    );
  } catch {
    return undefined;
  }
  if (!data) {
    return {
      reason: 'signed_out',
      message: 'This session has ended (signed out, or idle for too long); sign in again to follow the log.',
    };
  }
  if (data.createdAt !== undefined && Date.now() - data.createdAt > absoluteMs) {
    return { reason: 'session_expired', message: 'This session has expired; sign in again to follow the log.' };
  }
  if (!mayRead(data.person)) {
    return {
      reason: 'forbidden',
      message: 'Your role on this cluster no longer lets you read its logs; ask whoever runs this console for a role.',
    };
  }
  if (managed) return undefined;
  const now = data.clusters?.[clusterId];
  const then = req.session.clusters?.[clusterId];
  // Signed out of the cluster, or signed in to it again (maybe with another token): this tail was opened
  // with the old sign-in.
  if (!now || now.signedInAt !== then?.signedInAt) {
    return {
      reason: 'cluster_signed_out',
      message: 'This session was signed out of the cluster; sign in to it again to follow the log.',
    };
  }
  return undefined;
}
