import { defineConfig } from 'vitest/config';

// Two kinds of tests: `unit` (fast, no outside processes; a fake Ray server is allowed only here) and
// `integration` (a real Ray head from the project's virtualenv, real session stores, real processes).
// `RAY_VERSION` picks the head's Ray version for the integration run (scripts/test-all.mjs runs both).
export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'scripts/**/*.test.mjs'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          // Components as users meet them: Testing Library in a DOM (happy-dom, which runs on Node 20 and 24;
          // jsdom's current major needs Node 22), the BFF faked at `fetch` (web/src/test/fake-bff.ts).
          name: 'web-dom',
          include: ['web/src/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test/setup.ts'],
          // A journey of clicks and typing with network answers in between: seconds on a loaded machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['server/test/integration/**/*.test.ts'],
          globalSetup: ['server/test/support/ray-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // One Ray head is shared by the whole run; files that start heads of their own run one at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Sign-in with OpenID Connect against one real Keycloak (scripts/lib/keycloak.mjs) started for the
          // whole run; the files that need Ray (roles, managed tokens) start a head of the current version
          // themselves, so it runs once, not per Ray version.
          name: 'oidc',
          include: ['server/test/oidc/**/*.test.ts'],
          globalSetup: ['server/test/support/keycloak-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // A real kube-apiserver and etcd (self-built: scripts/k8s/build-control-plane.sh), the KubeRay
          // operator when it was built, and one real Ray head, each started once for the whole run.
          name: 'kubernetes',
          include: ['server/test/kubernetes/**/*.test.ts'],
          globalSetup: ['server/test/support/ray-global-setup.ts', 'server/test/kubernetes/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
