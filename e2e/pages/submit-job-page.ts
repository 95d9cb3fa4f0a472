import type { Page } from '@playwright/test';
import { wordsPattern, type Words } from '../support/words';

export class SubmitJobForm {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  entrypoint() {
    return this.page.getByLabel(this.words('jobs', 'submit.entrypoint'));
  }

  submissionId() {
    return this.page.getByLabel(this.words('jobs', 'submit.submissionId'));
  }

  async addEnvVar(name: string, value: string): Promise<void> {
    const legend = this.words('jobs', 'submit.envVar');
    await this.page
      .getByRole('button', { name: this.words('common', 'kv.add', { legend: legend.toLocaleLowerCase() }) })
      .click();
    const rows = this.page.getByRole('textbox', { name: this.envVarField('name') });
    const index = (await rows.count()) - 1;
    await rows.nth(index).fill(name);
    await this.page
      .getByRole('textbox', { name: this.envVarField('value') })
      .nth(index)
      .fill(value);
  }

  /** The name or value field of an environment variable row (`row` a number, or any row). */
  envVarField(part: 'name' | 'value', row?: number) {
    const legend = this.words('jobs', 'submit.envVar');
    const label = this.words('common', part === 'name' ? 'kv.name' : 'kv.value').toLocaleLowerCase();
    if (row !== undefined) return this.words('common', 'kv.field', { legend, label, row });
    return wordsPattern(this.words, 'common', 'kv.field', { legend, label, row: '(.+)' });
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: this.words('jobs', 'submit.submit') }).click();
  }
}
