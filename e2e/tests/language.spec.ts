import { expect, test } from '../support/fixtures';
import { consoleLanguage, wordsFor } from '../support/words';

test('the console speaks the browser’s language until the switcher picks another, which it remembers', async ({
  page,
  locale,
  words,
}) => {
  const own = consoleLanguage(locale);
  const other = own === 'en' ? 'zh-CN' : 'en';
  const otherWords = wordsFor(other);

  await page.goto('/');
  await expect(page.getByRole('heading', { name: words('clusters', 'list.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', own);

  await page.getByRole('combobox', { name: words('common', 'shell.language') }).selectOption(other);
  await expect(page.getByRole('heading', { name: otherWords('clusters', 'list.title') })).toBeVisible();
  await expect(page.getByRole('button', { name: otherWords('common', 'shell.signOutAll') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', other);

  // Remembered in this browser (a preference, kept in localStorage), so a reload keeps it.
  await page.reload();
  await expect(page.getByRole('heading', { name: otherWords('clusters', 'list.title') })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['ray-console.language']);
});
