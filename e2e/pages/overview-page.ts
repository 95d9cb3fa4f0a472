import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

export class OverviewPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  resourcesHeading() {
    return this.page.getByRole('heading', { name: this.words('resources', 'overview.resources') });
  }

  total(resource: string) {
    return this.page.getByTestId(`total-${resource}`);
  }

  rayVersion() {
    return this.page.getByTestId('ray-version');
  }

  async signOutOfCluster(): Promise<void> {
    await this.page.getByRole('button', { name: this.words('clusters', 'layout.signOut') }).click();
  }
}
