import type { AuthMode } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { endpointAddress, type RayDashboardClient } from '../../ray/ray-dashboard-client.js';

export interface VerifiedCredential {
  token: string | null;
  authMode: Exclude<AuthMode, 'unknown'>;
  rayVersion: string;
  /** The address the token was checked at (`endpointAddress`); the stored token is bound to it. */
  address: string;
}

/**
 * Checks a token the way the Ray dashboard's own dialog does: ask the head whether it wants one
 * (`/api/authentication_mode`, public), then make an authenticated call (`/api/version`). A head with
 * authentication disabled is signed in to without a token.
 */
export async function verifyToken(ray: RayDashboardClient, token: string): Promise<VerifiedCredential> {
  const address = endpointAddress(ray.endpoint);
  const authMode = await ray.authenticationMode();
  if (authMode === 'disabled') {
    const version = await ray.version(null);
    return { token: null, authMode: 'disabled', rayVersion: version.ray_version, address };
  }
  if (token === '') {
    throw new AppError('validation', 'Paste the cluster token; the field is empty.', {
      token: 'Paste the token this cluster was started with.',
    });
  }
  const version = await ray.version(token);
  return { token, authMode: 'token', rayVersion: version.ray_version, address };
}
