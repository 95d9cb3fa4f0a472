import { Person } from '@ray-console/shared';
import { AppError } from '../lib/app-error.js';

/**
 * The person an ID token names: its issuer and subject (the identity), a display name (`name`, else
 * `preferred_username`, else `email`, else the subject), the email, and the groups from the configured
 * claim. A groups claim that is not a list of strings counts as no groups (and is logged by the caller):
 * a provider that sends a single string or objects is misconfigured, and guessing would grant roles.
 */
export function personFromClaims(
  claims: Record<string, unknown>,
  groupsClaim: string,
): { person: Person; groupsClaimIgnored: boolean } {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const rawGroups = claims[groupsClaim];
  const groupsOk = Array.isArray(rawGroups) && rawGroups.every((g) => typeof g === 'string');
  const subject = text(claims.sub);
  const issuer = text(claims.iss);
  const candidate = {
    subject,
    issuer,
    name: (text(claims.name) ?? text(claims.preferred_username) ?? text(claims.email) ?? subject)?.slice(0, 255),
    ...(text(claims.email) ? { email: text(claims.email) } : {}),
    groups: groupsOk ? [...new Set(rawGroups as string[])].slice(0, 500) : [],
  };
  const parsed = Person.safeParse(candidate);
  if (!parsed.success) {
    throw new AppError(
      'bad_request',
      'The identity provider signed you in, but its ID token does not describe a person the console can use (a subject, an issuer, names of at most 255 characters); ask your administrator to check the provider.',
      undefined,
      { params: { reason: 'id_token_claims' } },
    );
  }
  return { person: parsed.data, groupsClaimIgnored: rawGroups !== undefined && !groupsOk };
}
