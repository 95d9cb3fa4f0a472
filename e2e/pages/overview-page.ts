import type { Page } from '@playwright/test';

export class OverviewPage {
  constructor(private readonly page: Page) {}

  resourcesHeading() {
    return this.page.getByRole('heading', { name: 'Resources' });
  }

  total(resource: string) {
    return this.page.getByTestId(`total-${resource}`);
  }

  rayVersion() {
    return this.page.getByTestId('ray-version');
  }

  async signOutOfCluster(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out of this cluster' }).click();
  }
}
