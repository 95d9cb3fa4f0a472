import type { Page } from '@playwright/test';

/** The debugging parts of a job's page: first failure, progress, sections (`?tab=`). */
export class JobDebug {
  constructor(private readonly page: Page) {}

  firstFailure() {
    return this.page.getByTestId('first-failure');
  }

  traceback() {
    return this.page.getByTestId('first-failure-detail');
  }

  openLogAtException() {
    return this.page.getByRole('link', { name: 'Open the worker’s log at the exception' });
  }

  taskGroup(name: string) {
    return this.page.getByTestId('task-groups').locator(`tr[data-group="${name}"]`);
  }

  progress() {
    return this.page.getByTestId('progress');
  }

  stuckCallout() {
    return this.page.getByTestId('stuck-callout');
  }

  section(name: 'Overview' | 'Failures' | 'Waiting' | 'Actors') {
    return this.page.getByRole('navigation', { name: 'Job sections' }).getByRole('link', { name });
  }

  waitingTasks() {
    return this.page.getByTestId('waiting-tasks');
  }

  infeasible() {
    return this.page.getByTestId('infeasible');
  }

  actors() {
    return this.page.getByTestId('actors');
  }

  actorRow(className: string) {
    return this.actors().locator('tbody tr', { hasText: className });
  }

  deadActors() {
    return this.page.getByTestId('dead-actors');
  }

  failedTasks() {
    return this.page.getByTestId('failed-tasks');
  }
}
