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

  async choose(displayName: string): Promise<void> {
    await this.page.getByRole('link', { name: displayName }).click();
  }
}
