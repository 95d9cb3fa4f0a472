import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { AuditPage, ClusterList } from '@ray-console/shared';
import { answer, fakeBff } from '../../test/fake-bff';
import { renderPage } from '../../test/render-page';
import { AuditPage as AuditTrailPage } from './audit-page';

describe('the audit trail of a Sign in as me', () => {
  it('says the token was read from the cluster’s Secret, and as which Kubernetes user', async () => {
    const bff = fakeBff();
    bff.on('GET', '/api/clusters', () =>
      answer(ClusterList, [{ id: 'prod', displayName: 'Production', authMode: 'token', signedIn: true }]),
    );
    bff.on('GET', '/api/clusters/prod/audit', () =>
      answer(AuditPage, {
        events: [
          {
            id: '2',
            time: '2026-11-30T23:00:00Z',
            clusterId: 'prod',
            action: 'sign-in',
            outcome: 'success',
            tokenSource: 'kubernetes-secret',
            kubernetesUser: 'sub-alice',
            clientAddress: '127.0.0.1',
          },
          {
            id: '1',
            time: '2026-11-30T22:59:00Z',
            clusterId: 'prod',
            action: 'sign-in',
            outcome: 'failure',
            reason: 'kube_forbidden',
            tokenSource: 'kubernetes-secret',
            kubernetesUser: 'sub-bob',
            clientAddress: '127.0.0.1',
          },
        ],
      }),
    );
    renderPage(<AuditTrailPage />, { path: '/clusters/:clusterId/audit', url: '/clusters/prod/audit' });
    expect(await screen.findByText("token read from the cluster's Secret as sub-alice")).toBeTruthy();
    expect(screen.getByText("token read from the cluster's Secret as sub-bob")).toBeTruthy();
    expect(screen.getByText('Kubernetes refused it')).toBeTruthy();
  });
});
