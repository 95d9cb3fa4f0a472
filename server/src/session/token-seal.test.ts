import { describe, expect, it } from 'vitest';
import { TokenSeal } from './token-seal.js';

const A = 'secret-A-0123456789abcdef0123456789abcdef';
const B = 'secret-B-0123456789abcdef0123456789abcdef';
const TOKEN = 'b919e94624f908483296d7360ad7a611952e67ae5841bbf8c585c9a76e76b5df';

/** Replaces part `index` of a `v1.<iv>.<ct>.<tag>` value. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[index] = change(Buffer.from(parts[index]!, 'base64url')).toString('base64url');
  return parts.join('.');
}

const flipFirstBit = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] = copy[0]! ^ 1;
  return copy;
};

describe('TokenSeal', () => {
  it('opens what it sealed, and the sealed value does not contain the token', () => {
    const seal = new TokenSeal([A]);
    const sealed = seal.seal(TOKEN, 'default');
    expect(sealed).not.toContain(TOKEN);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(seal.open(sealed, 'default')).toBe(TOKEN);
  });

  it('seals the same token differently every time (random IV)', () => {
    const seal = new TokenSeal([A]);
    expect(seal.seal(TOKEN, 'default')).not.toBe(seal.seal(TOKEN, 'default'));
  });

  it('refuses a value whose ciphertext, IV or tag was changed', () => {
    const seal = new TokenSeal([A]);
    const sealed = seal.seal(TOKEN, 'default');
    expect(seal.open(withPart(sealed, 1, flipFirstBit), 'default')).toBeUndefined();
    expect(seal.open(withPart(sealed, 2, flipFirstBit), 'default')).toBeUndefined();
    expect(seal.open(withPart(sealed, 3, flipFirstBit), 'default')).toBeUndefined();
  });

  it('refuses a value whose tag was cut short (GCM accepts short tags unless told not to)', () => {
    const seal = new TokenSeal([A]);
    const sealed = seal.seal(TOKEN, 'default');
    expect(
      seal.open(
        withPart(sealed, 3, (tag) => tag.subarray(0, 4)),
        'default',
      ),
    ).toBeUndefined();
    expect(
      seal.open(
        withPart(sealed, 3, (tag) => tag.subarray(0, 12)),
        'default',
      ),
    ).toBeUndefined();
  });

  it('refuses malformed values instead of throwing', () => {
    const seal = new TokenSeal([A]);
    for (const bad of ['', 'v1', 'v1..', 'v2.a.b.c', TOKEN, 'v1.AAAA.BBBB.CCCC']) {
      expect(seal.open(bad, 'default')).toBeUndefined();
    }
  });

  it('binds the value to its cluster: a token sealed for one cluster does not open for another', () => {
    const seal = new TokenSeal([A]);
    const sealed = seal.seal(TOKEN, 'cluster-a');
    expect(seal.open(sealed, 'cluster-b')).toBeUndefined();
    expect(seal.open(sealed, 'cluster-a')).toBe(TOKEN);
  });

  it('keeps old sessions working across a secret rotation: sealed with A opens with [B, A]', () => {
    const sealedWithA = new TokenSeal([A]).seal(TOKEN, 'default');
    const rotated = new TokenSeal([B, A]);
    expect(rotated.open(sealedWithA, 'default')).toBe(TOKEN);
    // New seals use the first (current) secret only, so they open once A is retired.
    const sealedAfterRotation = rotated.seal(TOKEN, 'default');
    expect(new TokenSeal([B]).open(sealedAfterRotation, 'default')).toBe(TOKEN);
    expect(new TokenSeal([A]).open(sealedAfterRotation, 'default')).toBeUndefined();
  });

  it('cannot open a value once its secret is retired', () => {
    const sealedWithA = new TokenSeal([A]).seal(TOKEN, 'default');
    expect(new TokenSeal([B]).open(sealedWithA, 'default')).toBeUndefined();
  });

  it('needs at least one secret', () => {
    expect(() => new TokenSeal([])).toThrow();
  });
});
