import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { currentUrl, renderPage } from '../test/render-page';
import { NotFoundPage } from './not-found-page';

describe('a URL the console has no page for', () => {
  it('says so in the tab’s title and links back to the cluster list', async () => {
    const user = userEvent.setup();
    renderPage(<NotFoundPage />, { path: '/no/such/page', url: '/no/such/page' });
    expect(document.title).toBe('Page not found · Ray Console');
    await user.click(screen.getByRole('link', { name: 'Go back to the cluster list' }));
    expect(currentUrl.pathname).toBe('/');
  });
});
