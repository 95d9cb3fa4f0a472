import type { ProgressSummary } from '@ray-console/shared';
import type { T } from '../../i18n/catalogs';

/**
 * The one sentence of what a RayCluster waits for, in the person's language, from the code and the
 * values the BFF built it from. The values quoted from Kubernetes (a scheduler's message, an image name)
 * stay as Kubernetes wrote them.
 */
export function summaryText(summary: ProgressSummary, t: T<'kuberayCluster'>): string {
  const { code, params } = summary;
  if (code === 'provisioning') {
    const detail = params.message || params.reason;
    return detail ? t('summary.provisioning', { detail: String(detail) }) : t('summary.provisioningQuiet');
  }
  return t(`summary.${code}`, params);
}
