import { describe, expect, it } from 'vitest';
import type { Person } from '@ray-console/shared';
import { testPerson } from '../../test/support/person-session.js';
import type { AccessConfig } from '../config.js';
import { mayActOnJob, RolePolicy } from './role-policy.js';

const grant = (role: 'viewer' | 'operator' | 'admin', who: { users?: string[]; groups?: string[] }) => ({
  role,
  users: who.users ?? [],
  groups: who.groups ?? [],
});

const access: AccessConfig = {
  clusters: {
    prod: [grant('viewer', { groups: ['team-a'] }), grant('operator', { users: ['sub-alice'] })],
    dev: [grant('admin', { groups: ['team-a'] }), grant('viewer', { groups: ['team-a'] })],
  },
  discovered: {
    all: [grant('viewer', { groups: ['platform'] })],
    namespaces: {
      'team-a': [grant('operator', { groups: ['team-a'] })],
      ops: [grant('admin', { groups: ['platform'] })],
    },
  },
};
const policy = new RolePolicy(access);
const configured = (id: string) => ({ id, source: 'config' as const });
const discovered = (namespace: string) => ({
  id: `k8s~${namespace}~ray`,
  source: 'kubernetes' as const,
  kubernetes: { namespace },
});

const alice = testPerson('alice', ['team-a']);
const bob = testPerson('bob', ['team-b']);
const pat = testPerson('pat', ['platform']);

describe('RolePolicy', () => {
  it('gives the highest role of every grant that matches, by subject or by group', () => {
    expect(policy.roleOf(alice, configured('prod'))).toBe('operator');
    expect(policy.roleOf(testPerson('ann', ['team-a']), configured('prod'))).toBe('viewer');
    expect(policy.roleOf(alice, configured('dev'))).toBe('admin');
  });

  it('gives no role to a person no grant names, and none on a cluster without grants', () => {
    expect(policy.roleOf(bob, configured('prod'))).toBeUndefined();
    expect(policy.roleOf(alice, configured('unlisted'))).toBeUndefined();
  });

  it('never matches a user grant by email or name, only by subject', () => {
    const impostor: Person = { ...bob, name: 'sub-alice', email: 'sub-alice' };
    expect(policy.roleOf(impostor, configured('prod'))).toBeUndefined();
  });

  it('gives discovered clusters the grants for all of them plus those of their namespace', () => {
    expect(policy.roleOf(pat, discovered('team-a'))).toBe('viewer');
    expect(policy.roleOf(pat, discovered('ops'))).toBe('admin');
    expect(policy.roleOf(alice, discovered('team-a'))).toBe('operator');
    expect(policy.roleOf(alice, discovered('ops'))).toBeUndefined();
    // Configured grants never apply to a discovered cluster of the same id, nor the other way round.
    expect(policy.roleOf(alice, { id: 'prod', source: 'kubernetes', kubernetes: { namespace: 'x' } })).toBeUndefined();
  });
});

describe('mayActOnJob', () => {
  const own = { issuer: alice.issuer, subject: alice.subject };
  it('lets an admin act on any job, an operator on their own only, a viewer on none', () => {
    expect(mayActOnJob('admin', bob, own)).toBe(true);
    expect(mayActOnJob('admin', bob, undefined)).toBe(true);
    expect(mayActOnJob('operator', alice, own)).toBe(true);
    expect(mayActOnJob('operator', bob, own)).toBe(false);
    expect(mayActOnJob('operator', alice, undefined)).toBe(false);
    expect(mayActOnJob('viewer', alice, own)).toBe(false);
  });

  it('needs the same issuer as well as the same subject (a subject is unique only within its issuer)', () => {
    expect(mayActOnJob('operator', alice, { issuer: 'https://other.example', subject: alice.subject })).toBe(false);
  });
});
