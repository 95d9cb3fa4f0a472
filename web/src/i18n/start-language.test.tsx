import { afterEach, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';

// Which catalog files the first load asks for (a loader per file, as the build makes them).
const asked: string[] = [];
vi.mock('./catalog-files', () => ({
  catalogFiles: new Proxy(
    {},
    {
      get: (_target, file: string) => () => {
        asked.push(file);
        return Promise.resolve({ default: {} });
      },
    },
  ),
}));

const { startI18n } = await import('./i18n');
const { preloadPageAt } = await import('../app/route-pages');

afterEach(() => {
  vi.unstubAllGlobals();
});

it("fetches a Chinese reader's deep link in Chinese only: the page's catalogs are not fetched in English first", async () => {
  vi.stubGlobal('navigator', { ...navigator, languages: ['zh-CN', 'zh'], language: 'zh-CN' });
  vi.stubGlobal('fetch', () => new Promise<Response>(() => undefined));
  const ready = startI18n();
  preloadPageAt('/clusters/c1/jobs/raysubmit_1', new QueryClient());
  await ready;
  expect(asked).toContain('./locales/zh-CN/jobs.json');
  expect(asked).toContain('./locales/zh-CN/common.json');
  expect(asked.filter((file) => file.startsWith('./locales/en/'))).toEqual([]);
});
