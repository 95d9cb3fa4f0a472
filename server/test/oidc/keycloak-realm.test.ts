import { describe, expect, inject, it } from 'vitest';
import { connectKeycloak, TEST_CLIENTS, TEST_USERS } from '../support/keycloak.js';

// The test realm is what the sign-in tests (and the roles and managed-token tests) rely on: its people,
// their groups in the ID token's `groups` claim, and the console's two clients.
describe('the test Keycloak realm', () => {
  const keycloak = connectKeycloak(inject('keycloak'));

  it('publishes discovery with the endpoints the console uses', async () => {
    const res = await fetch(`${keycloak.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(keycloak.issuer);
    expect(doc.end_session_endpoint).toBe(`${keycloak.issuer}/protocol/openid-connect/logout`);
    expect(doc.code_challenge_methods_supported).toContain('S256');
  });

  it("puts each person's name, email and groups in the ID token", async () => {
    for (const user of Object.values(TEST_USERS)) {
      // Password grant on the unrelated app only: the console's clients allow the code flow alone.
      const res = await fetch(`${keycloak.issuer}/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: TEST_CLIENTS.other.clientId,
          username: user.username,
          password: user.password,
          scope: 'openid',
        }),
      });
      expect(res.status).toBe(200);
      const { id_token } = (await res.json()) as { id_token: string };
      const claims = JSON.parse(Buffer.from(id_token.split('.')[1]!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      expect(claims).toMatchObject({ name: user.name, email: user.email, groups: user.groups });
    }
  });
});
