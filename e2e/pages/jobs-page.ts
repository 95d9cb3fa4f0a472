import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

export class JobsPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  async open(clusterId: string): Promise<void> {
    await this.page.goto(`/clusters/${clusterId}/jobs`);
  }

  table() {
    return this.page.getByTestId('jobs-table');
  }

  row(jobId: string) {
    return this.page.locator(`tr[data-job-id="${jobId}"]`);
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: this.words('jobs', 'list.search') }).fill(text);
  }

  submitButton() {
    return this.page.getByRole('link', { name: this.words('jobs', 'list.submit') });
  }
}
