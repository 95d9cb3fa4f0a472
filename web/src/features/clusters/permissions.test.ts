import { describe, expect, it } from 'vitest';
import type { Person } from '@ray-console/shared';
import { permissionsOf } from './permissions';

const alice: Person = { subject: 'sub-alice', issuer: 'https://idp', name: 'Alice', groups: [] };
const own = { submittedBy: { name: 'Alice', issuer: 'https://idp', subject: 'sub-alice' } };
const others = { submittedBy: { name: 'Bob', issuer: 'https://idp', subject: 'sub-bob' } };

describe('permissionsOf', () => {
  it('allows everything without a role (anonymous mode): the BFF decides', () => {
    const p = permissionsOf(undefined, undefined);
    expect(p.may('admin')).toBe(true);
    expect(p.mayActOn(others)).toBe(true);
  });

  it('follows the role: a viewer writes nothing, an operator their own jobs, an admin any', () => {
    expect(permissionsOf('viewer', alice).may('operator')).toBe(false);
    expect(permissionsOf('viewer', alice).mayActOn(own)).toBe(false);
    expect(permissionsOf('operator', alice).may('operator')).toBe(true);
    expect(permissionsOf('operator', alice).may('admin')).toBe(false);
    expect(permissionsOf('operator', alice).mayActOn(own)).toBe(true);
    expect(permissionsOf('operator', alice).mayActOn(others)).toBe(false);
    expect(permissionsOf('operator', alice).mayActOn({})).toBe(false);
    expect(permissionsOf('admin', alice).mayActOn(others)).toBe(true);
  });
});
