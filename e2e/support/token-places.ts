import type { Page } from '@playwright/test';

/**
 * Every place the page could keep a token, read from inside the page and from the browser context: the
 * cookies (script-readable and HttpOnly, names and values), localStorage and sessionStorage (keys and
 * values), every IndexedDB database's records, the Cache Storage's entries, and the DOM. Returns the names
 * of the places holding `token` (empty when none does).
 */
export async function browserHoldsToken(page: Page, token: string): Promise<string[]> {
  const places = await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
      });
    const indexedDbRecords: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store, 'readonly');
        indexedDbRecords.push({ db: info.name, store, records: await request(tx.objectStore(store).getAll()) });
      }
      db.close();
    }
    const cacheEntries: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        cacheEntries.push(req.url, res ? await res.text() : '');
      }
    }
    return {
      cookie: document.cookie,
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      indexedDB: JSON.stringify(indexedDbRecords),
      cacheStorage: JSON.stringify(cacheEntries),
      html: document.documentElement.outerHTML,
    };
  });
  const cookies = JSON.stringify(await page.context().cookies());
  return Object.entries({ ...places, cookies })
    .filter(([, v]) => v.includes(token))
    .map(([k]) => k);
}

/**
 * Records every URL the page asks for or navigates to from now on (documents, scripts, API calls, event
 * streams, redirects): a token in any of them would land in history, proxy logs and Referer headers.
 */
export function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  return urls;
}
