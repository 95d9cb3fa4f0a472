import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningBff } from '../support/bff.js';
import { connectKeycloak, REALM } from '../support/keycloak.js';
import { signInAs } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';

const keycloak = connectKeycloak(inject('keycloak'));

interface RealmKeys {
  active: Record<string, string>;
  keys: { kid: string; algorithm: string; providerId: string; status: string }[];
}

const realmKeys = async () => (await (await keycloak.admin('GET', '/keys')).json()) as RealmKeys;
const publishedKids = async () =>
  (
    (await (await fetch(`${keycloak.issuer}/protocol/openid-connect/certs`)).json()) as { keys: { kid: string }[] }
  ).keys.map((k) => k.kid);

describe("the provider's signing keys rotate", () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startOidcConsole(keycloak.issuer);
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('signs people in with the new key at once, the old one withdrawn', async () => {
    // A sign-in with the current key: the console has read the provider's key set.
    await signInAs(bff.url, 'alice');
    const before = await realmKeys();
    const oldKid = before.active.RS256!;
    const oldProvider = before.keys.find((k) => k.kid === oldKid)!.providerId;

    // Rotation as an operator does it in Keycloak: a new RSA key of higher priority, then the old one removed.
    const created = await keycloak.admin('POST', '/components', {
      name: 'rotated-rsa',
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: REALM,
      config: { priority: ['500'], enabled: ['true'], active: ['true'], algorithm: ['RS256'] },
    });
    expect(created.status).toBe(201);
    expect((await keycloak.admin('DELETE', `/components/${oldProvider}`)).status).toBe(204);
    const newKid = (await realmKeys()).active.RS256!;
    expect(newKid).not.toBe(oldKid);
    const published = await publishedKids();
    expect(published).toContain(newKid);
    expect(published).not.toContain(oldKid);

    // Seconds after the console last read the key set, a token signed with a key it has not seen.
    const { bff: bob } = await signInAs(bff.url, 'bob');
    expect((await bob.get('/api/session')).json()).toMatchObject({ person: { name: 'Bob Berg' } });
  });
});
