/**
 * The Kubernetes pages (issue 12), one chunk for all of them. They are small, a person who opens one
 * usually opens the others next, and each lazy page costs the first script its own loader and list of
 * chunks to preload: seven of them pushed the cluster list over its 120 KB budget.
 */
export { RayClusterPage } from '../features/kuberay-cluster/raycluster-page';
export { RayJobsPage } from '../features/kuberay-jobs/rayjobs-page';
export { RayJobDetailPage } from '../features/kuberay-jobs/rayjob-detail-page';
export { RayServicesPage } from '../features/kuberay-services/rayservices-page';
export { RayServicePage } from '../features/kuberay-services/rayservice-page';
export { KubeIdentityPage } from '../features/kuberay-identity/kube-identity-page';
export { NewClusterPage } from '../features/kuberay-create/new-cluster-page';
