import type { Page } from '@playwright/test';

export class SubmitJobForm {
  constructor(private readonly page: Page) {}

  entrypoint() {
    return this.page.getByLabel('Entrypoint');
  }

  submissionId() {
    return this.page.getByLabel('Submission id (optional)');
  }

  async addEnvVar(name: string, value: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add environment variable' }).click();
    const rows = this.page.getByRole('textbox', { name: /^Environment variable name/ });
    const index = (await rows.count()) - 1;
    await rows.nth(index).fill(name);
    await this.page
      .getByRole('textbox', { name: /^Environment variable value/ })
      .nth(index)
      .fill(value);
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Submit job' }).click();
  }
}
