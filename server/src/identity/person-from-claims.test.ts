import { describe, expect, it } from 'vitest';
import { personFromClaims } from './person-from-claims.js';

const base = { iss: 'https://idp.example.com/realms/acme', sub: 'f1c2' };

describe('personFromClaims', () => {
  it('names the person by name, else preferred_username, else email, else subject', () => {
    expect(personFromClaims({ ...base, name: 'Alice A', email: 'a@x' }, 'groups').person.name).toBe('Alice A');
    expect(personFromClaims({ ...base, preferred_username: 'alice', email: 'a@x' }, 'groups').person.name).toBe(
      'alice',
    );
    expect(personFromClaims({ ...base, email: 'a@x' }, 'groups').person.name).toBe('a@x');
    expect(personFromClaims(base, 'groups').person).toEqual({
      subject: 'f1c2',
      issuer: base.iss,
      name: 'f1c2',
      groups: [],
    });
  });

  it('takes groups from the configured claim only when it is a list of strings', () => {
    expect(personFromClaims({ ...base, roles: ['a', 'b', 'a'] }, 'roles')).toMatchObject({
      person: { groups: ['a', 'b'] },
      groupsClaimIgnored: false,
    });
    // A single string or objects would be a guess; roles granted to groups must not rest on one.
    expect(personFromClaims({ ...base, groups: 'team-a' }, 'groups')).toMatchObject({
      person: { groups: [] },
      groupsClaimIgnored: true,
    });
    expect(personFromClaims({ ...base, groups: [{ name: 'x' }] }, 'groups').groupsClaimIgnored).toBe(true);
  });

  it('refuses a token without a subject or issuer', () => {
    expect(() => personFromClaims({ iss: base.iss }, 'groups')).toThrow(/does not describe a person/);
  });
});
