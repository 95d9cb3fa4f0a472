/**
 * What the Kubernetes journeys (playwright.kuberay.config.ts) share with their global setup: where the
 * person may act, and which RayCluster each language project creates.
 */

/** What the tests learn from the setup, besides E2E_ENV's console and Ray head. */
export const KUBERAY_ENV = {
  /** The test kube-apiserver (https://127.0.0.1:PORT, self-signed). */
  server: 'E2E_KUBE_SERVER',
  /** Its administrator's bearer token, for what the scene needs done behind the console's back. */
  adminToken: 'E2E_KUBE_ADMIN_TOKEN',
} as const;

/**
 * The namespace where the person (user `viewer`, the console's kubeconfig) may create, read and delete
 * RayClusters, and read their token Secrets; the console discovers clusters only there.
 */
export const KUBERAY_NAMESPACE = 'team-a';

/** The Kubernetes user whose kubeconfig the console runs with: the person at the keyboard, in local mode. */
export const KUBERAY_PERSON = 'viewer';

/**
 * The RayCluster a project's journey creates from the form (one per language, as both run against the
 * same API server). The console's `kubernetes.dashboardUrls` points it at the run's real Ray head: there is
 * no kubelet, so the head Pod the operator creates never runs.
 */
export const journeyClusterName = (project: string): string => `journey-${project.toLowerCase()}`;
