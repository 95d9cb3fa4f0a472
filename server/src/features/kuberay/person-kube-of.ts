import { AppError } from '../../lib/app-error.js';

/** The answer when the console does not act on Kubernetes as its users at all (no `personKubeOf`). */
export function kubeIdentityOff(): AppError {
  return new AppError(
    'conflict',
    'This console does not act on Kubernetes as the people who use it, so it cannot read Kubernetes objects for you. Whoever runs the console can turn it on (KUBERNETES_ACT_AS; see docs/operations.md).',
  );
}
