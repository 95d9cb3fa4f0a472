import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts cluster tokens before they reach the session store (AES-256-GCM), so a leaked SQLite file or
 * Redis dump holds nothing useful. Keys are derived from the session secrets with HKDF; the first secret
 * encrypts, every secret decrypts, so a secret can be rotated without signing anybody out.
 */
export class TokenSeal {
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('TokenSeal needs at least one secret');
    this.keys = secrets.map((s) =>
      Buffer.from(hkdfSync('sha256', s, 'ray-console/token-seal', 'cluster-token AES-256-GCM v1', 32)),
    );
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, base64url; `aad` binds the ciphertext to one cluster. */
  seal(token: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return ['v1', iv, ct, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The token, or `undefined` when no key opens it (a secret was retired, or the value was tampered with). */
  open(sealed: string, aad: string): string | undefined {
    const [version, iv, ct, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !ct || !tag) return undefined;
    for (const key of this.keys) {
      try {
        // Without authTagLength, GCM also accepts a tag cut down to 4 bytes, which makes forgery easier.
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
        decipher.setAAD(Buffer.from(aad));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // Not this key; try the next one.
      }
    }
    return undefined;
  }
}
