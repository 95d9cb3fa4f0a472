import { createHmac, hkdfSync } from 'node:crypto';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { AuditPage } from '@ray-console/shared';
import '../../session/session-data.js';
import { AppError } from '../../lib/app-error.js';
import type { AuditRecord, AuditRecorder, PersonAuditRecord } from '../../lib/audit.js';
import type { AuditPageOptions, AuditStore, NewAuditEvent } from './audit-store.js';

/**
 * The audit trail. Each event becomes one structured log line (`"audit": true`, for the log shipper)
 * and an entry in the cluster's queryable trail. The log line comes first and cannot fail; the store
 * write is best effort, because a Redis outage must not stop anyone from signing out or stopping a job.
 * Nothing here ever sees a token: events are built from ids, codes and the client's address.
 */
export class AuditLog implements AuditRecorder {
  private readonly log: Logger;
  private readonly sessionKey: Buffer;

  constructor(
    private readonly store: AuditStore,
    logger: Logger,
    secret: string,
  ) {
    this.log = logger.child({ audit: true });
    // A key of its own, so the session reference reveals nothing about the cookie-signing secret.
    this.sessionKey = Buffer.from(hkdfSync('sha256', secret, 'ray-console/audit', 'session reference v1', 32));
  }

  /** A stable, non-reversible reference to a session id: events of one session can be grouped. */
  sessionRef(sessionId: string | undefined): string | undefined {
    if (!sessionId) return undefined;
    return createHmac('sha256', this.sessionKey).update(sessionId).digest('hex').slice(0, 16);
  }

  /**
   * Who acted, from where: the client's address, the session's reference, and the person signed in with
   * OIDC (read from the session, never from the request; a sign-out that has already ended the session
   * passes them in).
   */
  private actor(
    req: Request,
    person: AuditRecord['person'],
  ): Pick<NewAuditEvent, 'clientAddress' | 'session' | 'person'> {
    const session = this.sessionRef(req.sessionID);
    const who = person ?? req.session?.person;
    return {
      // With TRUST_PROXY set, the address the proxy saw; otherwise the socket's peer.
      clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      ...(session ? { session } : {}),
      ...(who ? { person: { subject: who.subject, issuer: who.issuer, name: who.name } } : {}),
    };
  }

  async record(req: Request, record: AuditRecord): Promise<void> {
    const event: NewAuditEvent = {
      time: new Date().toISOString(),
      clusterId: record.clusterId,
      action: record.action,
      outcome: record.outcome,
      ...(record.reason ? { reason: record.reason } : {}),
      ...(record.jobId ? { jobId: record.jobId } : {}),
      ...(record.tokenSource ? { tokenSource: record.tokenSource } : {}),
      ...(record.kubernetesUser ? { kubernetesUser: record.kubernetesUser } : {}),
      ...(record.kubeUser ? { kubeUser: record.kubeUser } : {}),
      ...this.actor(req, record.person),
    };
    // pino writes its own `time` (the same instant, in ms), so the line leaves the ISO copy out.
    const { time: _time, ...line } = event;
    this.log.info({ event: 'audit', ...line }, `audit ${event.action} ${event.outcome}`);
    try {
      await this.store.append(event);
    } catch (err) {
      this.log.warn(
        { event: 'audit-store-failed', clusterId: event.clusterId, action: event.action, err: (err as Error).message },
        'the audit event was logged but could not be kept in the audit store',
      );
    }
  }

  /**
   * A console sign-in or sign-out (OIDC mode). It concerns no cluster, so it goes to the log output (the
   * durable record) only, not into a cluster's trail; the person is named by issuer, subject and name.
   */
  recordPerson(req: Request, record: PersonAuditRecord): Promise<void> {
    this.log.info(
      {
        event: 'audit',
        scope: 'console',
        action: record.action,
        outcome: record.outcome,
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.kubeUser ? { kubeUser: record.kubeUser } : {}),
        ...this.actor(req, record.person),
      },
      `audit console ${record.action} ${record.outcome}`,
    );
    return Promise.resolve();
  }

  async page(clusterId: string, options: AuditPageOptions): Promise<AuditPage> {
    try {
      return await this.store.page(clusterId, options);
    } catch (err) {
      throw new AppError('unavailable', 'The audit trail cannot be read right now; try again in a moment.', undefined, {
        cause: err,
      });
    }
  }
}
