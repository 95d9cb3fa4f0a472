// zod/mini: the browser's first page parses with these schemas (see clusters.ts).
import * as z from 'zod/mini';

/**
 * The person signed in through the company's identity provider (OpenID Connect). Present only when the
 * console runs with OIDC sign-in; in the default anonymous mode there is no person and no roles apply.
 * Everything here comes from the ID token the console validated; nothing from the browser.
 */
export const Person = z
  .object({
    /** The provider's `sub` claim: stable, never reassigned. */
    subject: z.string().check(z.minLength(1), z.maxLength(255)),
    /** The issuer the subject belongs to (a subject is unique only within its issuer). */
    issuer: z.string().check(z.minLength(1), z.maxLength(2048)),
    /** For display: `name`, else `preferred_username`, else `email`, else the subject. */
    name: z.string().check(z.minLength(1), z.maxLength(255)),
    email: z.optional(z.string().check(z.maxLength(320))),
    /** From the configured groups claim (OIDC_GROUPS_CLAIM); empty when the provider sends none. */
    groups: z.array(z.string().check(z.maxLength(255))).check(z.maxLength(500)),
  })
  .register(z.globalRegistry, { id: 'Person' });
export type Person = z.infer<typeof Person>;

/**
 * What a person may do on one cluster. Each role includes the ones before it:
 * - `viewer`: resources, jobs, logs and the debugging pages;
 * - `operator`: also submit jobs, and stop or delete the jobs they submitted;
 * - `admin`: also stop or delete anyone's job, and read the audit trail.
 */
export const Role = z.enum(['viewer', 'operator', 'admin']).register(z.globalRegistry, { id: 'Role' });
export type Role = z.infer<typeof Role>;

const rank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Whether `held` includes everything `needed` allows. */
export function roleAllows(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}

/** Who someone is: a subject within an issuer (a display name may change and be shared). */
type Identity = { issuer: string; subject: string };

/** Whether two references name the same person (a job's submitter and the person signed in, say). */
export function samePerson(a: Identity | undefined, b: Identity | undefined): boolean {
  return a !== undefined && b !== undefined && a.issuer === b.issuer && a.subject === b.subject;
}

/**
 * Whether a role may stop or delete a job: an admin any job, an operator only the jobs whose
 * console-written metadata name them (issuer and subject), nobody else. The BFF enforces it; the web app
 * disables what it would refuse.
 */
export function mayActOnJob(role: Role, person: Identity | undefined, owner: Identity | undefined): boolean {
  if (roleAllows(role, 'admin')) return true;
  return roleAllows(role, 'operator') && samePerson(owner, person);
}

/**
 * The answer to `POST /api/logout` in OIDC mode: where to send the browser so the identity provider ends
 * its session too (RP-initiated logout). Absent when the provider offers no sign-out endpoint. In the
 * anonymous mode the answer is 204 with no body.
 */
export const SignOutResponse = z
  .object({
    signOutUrl: z.optional(z.url({ protocol: /^https?$/ })),
  })
  .register(z.globalRegistry, { id: 'SignOutResponse' });
export type SignOutResponse = z.infer<typeof SignOutResponse>;
