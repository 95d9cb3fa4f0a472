/**
 * The addresses of a RayCluster's Kubernetes page and API, by namespace and name. A module with no
 * imports: the cluster list and the sign-in prompt (first script) link here without pulling in the page.
 */

/** `/api/kubernetes/rayclusters/<namespace>/<name>`, each part escaped. */
export const rayClusterApiPath = (namespace: string, name: string) =>
  `/api/kubernetes/rayclusters/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/** Where the browser opens a RayCluster's Kubernetes page (outside the cluster's pages: it needs no Ray sign-in). */
export const rayClusterPagePath = (namespace: string, name: string) =>
  `/kubernetes/rayclusters/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
