import type { Page } from '@playwright/test';

export class ClusterListPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Clusters' });
  }

  async choose(displayName: string): Promise<void> {
    await this.page.getByRole('link', { name: displayName }).click();
  }
}
