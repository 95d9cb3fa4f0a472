import type { Page } from '@playwright/test';

/** A log opened on its own page (a worker's, a task's, a node file). */
export class LogPage {
  constructor(private readonly page: Page) {}

  lines() {
    return this.page.getByTestId('log-lines');
  }

  /** The line the search is on (the log opens searched for the exception). */
  currentLine() {
    return this.page.locator('.log-line-current');
  }

  matchCount() {
    return this.page.getByTestId('match-count');
  }

  unsupported() {
    return this.page.getByTestId('log-unsupported');
  }
}
