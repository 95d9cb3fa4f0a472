import type { Page } from '@playwright/test';

/** A cluster's Audit tab: who signed in and out, and which jobs were submitted, stopped and deleted. */
export class AuditTrailPage {
  constructor(private readonly page: Page) {}

  tab() {
    return this.page.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Audit' });
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Audit trail' });
  }

  /** The table's rows, newest first (the header row excluded). */
  rows() {
    return this.page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') });
  }
}
