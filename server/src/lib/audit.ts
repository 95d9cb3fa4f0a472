import type { Request } from 'express';
import type { AuditAction, AuditOutcome, Person, TokenSource } from '@ray-console/shared';

/** What a router reports about one audited action; the recorder adds the time, address and session. */
export interface AuditRecord {
  clusterId: string;
  action: AuditAction;
  outcome: AuditOutcome;
  reason?: string;
  jobId?: string;
  /** Which token the call used, where one was used: the session's, or the console's token file. */
  tokenSource?: TokenSource;
  /** The Kubernetes user a token Secret was read as (`tokenSource: kubernetes-secret`): a name, never a credential. */
  kubernetesUser?: string;
  /** For writes to Kubernetes: the user the API server saw (the person's Kubernetes identity). */
  kubeUser?: string;
  /**
   * Who did it, when the session no longer says (a sign-out records after the session ended). Otherwise
   * the recorder takes the person from the session itself.
   */
  person?: Person;
}

/**
 * A person's sign-in to or sign-out of the console itself (OIDC mode), not of one cluster. `person` is
 * the one signed in (read from `req.session.person` when not given: a sign-out passes it, since the
 * session is gone by then); a failed sign-in has none.
 */
export interface PersonAuditRecord {
  /** `kube-token.*`: a Kubernetes token pasted or forgotten (issue 12); never the token itself. */
  action: 'sign-in' | 'sign-out' | 'kube-token.paste' | 'kube-token.forget';
  outcome: AuditOutcome;
  reason?: string;
  person?: Person;
  /** The Kubernetes user name the API server gave for a pasted token. */
  kubeUser?: string;
}

/**
 * Where routers report sign-ins, sign-outs and job writes (features/audit implements it). Recording
 * never throws and never delays the answer by more than one log write: the trail must not be the reason
 * a user cannot sign out or stop a job.
 */
export interface AuditRecorder {
  record(req: Request, event: AuditRecord): Promise<void>;
  recordPerson(req: Request, event: PersonAuditRecord): Promise<void>;
}
