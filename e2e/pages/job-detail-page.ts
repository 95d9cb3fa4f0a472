import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

export class JobDetailPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

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
    await this.page.getByRole('searchbox', { name: this.words('logs', 'viewer.search') }).fill(text);
  }

  matchCount() {
    return this.page.getByTestId('match-count');
  }

  async confirm(buttonName: string, confirmName: string): Promise<void> {
    await this.page.getByRole('button', { name: buttonName, exact: true }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: confirmName }).click();
  }
}
