import type { Page } from '@playwright/test';

/** The "Token Authentication Required" prompt of a cluster. */
export class TokenPrompt {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { name: 'Token Authentication Required' });
  }

  field() {
    return this.page.getByLabel('Authentication Token');
  }

  submit() {
    return this.page.getByRole('button', { name: 'Sign in' });
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
