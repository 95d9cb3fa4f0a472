import type { TestProject } from 'vitest/node';
import { startKeycloak, type KeycloakInfo } from './keycloak.js';

declare module 'vitest' {
  export interface ProvidedContext {
    keycloak: KeycloakInfo;
  }
}

/**
 * Starts one real Keycloak (the `ray-console` realm imported) for the whole run, and stops it afterwards.
 * Test files reach it with `connectKeycloak(inject('keycloak'))`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const keycloak = await startKeycloak({ log: (l: string) => process.stderr.write(`${l}\n`) });
  project.provide('keycloak', keycloak.info());
  return async () => {
    await keycloak.dispose();
  };
}
