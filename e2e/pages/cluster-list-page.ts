import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

export class ClusterListPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  heading() {
    return this.page.getByRole('heading', { name: this.words('clusters', 'list.title') });
  }

  /** The card of a RayCluster found through Kubernetes, in its namespace's group. */
  discovered(namespace: string, name: string) {
    const group = this.page.getByRole('region', { name: `${this.words('clusters', 'list.namespace')} ${namespace}` });
    return group.getByRole('listitem').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async choose(displayName: string): Promise<void> {
    await this.page.getByRole('link', { name: displayName }).click();
  }
}
