import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

/** A RayCluster's Kubernetes page (web/src/features/kuberay-cluster): progress, conditions, Pods, delete. */
export class RayClusterPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  private w(key: string, values?: Record<string, string | number>) {
    return this.words('kuberayCluster', key, values);
  }

  heading(name: string) {
    return this.page.getByRole('heading', { level: 1, name: this.w('title', { name }) });
  }

  /** The one sentence of what the cluster waits for. */
  summary(name: string) {
    return this.page.getByRole('region', { name: this.w('title', { name }) }).getByRole('status');
  }

  /** The row of an operator condition (`HeadPodReady`, `RayClusterProvisioned`, ...). */
  condition(type: string) {
    return this.page
      .getByRole('region', { name: this.w('conditions.title') })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: type, exact: true }) });
  }

  /** The head Pod's row (the Pods table names each Pod's role). */
  headPod() {
    return this.page
      .getByRole('region', { name: this.w('pods.title') })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: this.w('pods.head'), exact: true }) });
  }

  /** Deletes the cluster, typing its name to confirm. */
  async delete(name: string): Promise<void> {
    await this.page.getByRole('button', { name: this.w('delete.button') }).click();
    const dialog = this.page.getByRole('dialog', { name: this.w('delete.title', { name }) });
    await dialog.getByLabel(this.w('delete.field', { name })).fill(name);
    await dialog.getByRole('button', { name: this.w('delete.confirm') }).click();
  }
}
