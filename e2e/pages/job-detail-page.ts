import type { Page } from '@playwright/test';

export class JobDetailPage {
  constructor(private readonly page: Page) {}

  status() {
    return this.page.getByTestId('job-status');
  }

  logLines() {
    return this.page.getByTestId('log-lines');
  }

  logState() {
    return this.page.getByTestId('log-state');
  }

  async searchLog(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search log' }).fill(text);
  }

  matchCount() {
    return this.page.getByTestId('match-count');
  }

  async confirm(buttonName: string, confirmName: string): Promise<void> {
    await this.page.getByRole('button', { name: buttonName, exact: true }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: confirmName }).click();
  }
}
