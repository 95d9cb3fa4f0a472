import type { Page } from '@playwright/test';

export class JobsPage {
  constructor(private readonly page: Page) {}

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
    await this.page.getByRole('searchbox', { name: 'Search jobs' }).fill(text);
  }

  submitButton() {
    return this.page.getByRole('link', { name: 'Submit a job' });
  }
}
