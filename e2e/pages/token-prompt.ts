import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

/** The "Token Authentication Required" prompt of a cluster, in the project's language. */
export class TokenPrompt {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  heading() {
    return this.page.getByRole('heading', { name: this.words('clusters', 'prompt.titleToken') });
  }

  field() {
    return this.page.getByLabel(this.words('clusters', 'prompt.fieldToken'));
  }

  submit() {
    return this.page.getByRole('button', { name: this.words('clusters', 'prompt.signIn') });
  }

  /** "Sign in as me": offered when the person may read the cluster's token Secret (issue 12). */
  signInAsMe() {
    return this.page.getByRole('button', { name: this.words('clusters', 'prompt.asMe') });
  }

  alert() {
    return this.page.getByRole('alert');
  }

  /** Types the token and presses Enter, as a user pasting it would. */
  async signIn(token: string): Promise<void> {
    await this.field().fill(token);
    await this.field().press('Enter');
  }
}
