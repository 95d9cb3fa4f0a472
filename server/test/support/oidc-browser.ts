import { BffClient } from './bff-client.js';
import { TEST_USERS, type TestUser, type TestUserName } from './keycloak.js';

export interface BrowserResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

const decodeEntities = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!,
  );

/**
 * A browser stand-in for sign-in journeys: one cookie jar per origin, redirects followed one hop at a
 * time, Keycloak's real login form read and submitted. Like a real browser with a provider on another
 * site, it leaves the console's SameSite=Strict cookie behind on the provider's redirect back (and says
 * `Sec-Fetch-Site: cross-site`), and follows the console's `<meta http-equiv="refresh">`.
 */
export class TestBrowser {
  readonly jars = new Map<string, Map<string, string>>();
  /** Every URL opened, in order. */
  readonly visited: string[] = [];

  jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  /** One request, no redirect followed. `crossSiteFrom`: the origin of the page that navigated here. */
  async open(
    url: string,
    init: { method?: string; form?: Record<string, string>; crossSiteFrom?: string } = {},
  ): Promise<BrowserResponse> {
    const target = new URL(url);
    // Every other origin counts as another site, as a provider on its own domain would be (on loopback the
    // provider differs from the console only by its port, which browsers would call the same site).
    const crossSite = init.crossSiteFrom !== undefined && init.crossSiteFrom !== target.origin;
    const headers: Record<string, string> = { accept: 'text/html' };
    const jar = this.jar(target.origin);
    // SameSite=Strict: not sent on a navigation that comes from another site.
    const cookies = [...jar].filter(([name]) => !(crossSite && name.includes('ray-console')));
    if (cookies.length > 0) headers.cookie = cookies.map(([k, v]) => `${k}=${v}`).join('; ');
    if (crossSite) headers['sec-fetch-site'] = 'cross-site';
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    this.visited.push(url);
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      if (/max-age=0|expires=thu, 01[- ]jan[- ]1970/i.test(set) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return { url, status: res.status, headers: res.headers, text: await res.text() };
  }

  /**
   * Opens `url` and follows redirects (and the console's meta refresh) until a page that is none, at
   * most 20 hops; `stopAt` stops before opening a URL it accepts (returned as a 0-status response).
   */
  async navigate(
    url: string,
    init: { method?: string; form?: Record<string, string>; stopAt?: (url: string) => boolean } = {},
  ): Promise<BrowserResponse> {
    let res = await this.open(url, init);
    for (let hop = 0; hop < 20; hop++) {
      const next = nextUrl(res);
      if (!next) return res;
      if (init.stopAt?.(next)) return { url: next, status: 0, headers: new Headers(), text: '' };
      const from = new URL(res.url).origin;
      res = await this.open(next, { crossSiteFrom: from });
    }
    throw new Error(`More than 20 redirects from ${url}: ${this.visited.slice(-20).join(' -> ')}`);
  }

  /** Fills Keycloak's login form on `page` and submits it; follows what comes after. */
  async submitKeycloakLogin(
    page: BrowserResponse,
    user: TestUser,
    options: { stopAt?: (url: string) => boolean } = {},
  ): Promise<BrowserResponse> {
    const action = loginFormAction(page);
    return this.navigate(action, {
      form: { username: user.username, password: user.password, credentialId: '' },
      ...options,
    });
  }
}

/** The action URL of Keycloak's login form, or an error that shows what the page was instead. */
export function loginFormAction(page: BrowserResponse): string {
  const form = /<form[^>]*id="kc-form-login"[^>]*>/.exec(page.text)?.[0];
  const action = form ? /action="([^"]+)"/.exec(form)?.[1] : undefined;
  if (!action) throw new Error(`Not Keycloak's login page (${page.status} ${page.url}):\n${page.text.slice(0, 500)}`);
  return new URL(decodeEntities(action), page.url).href;
}

export const isKeycloakLoginPage = (page: BrowserResponse) =>
  page.status === 200 && /id="kc-form-login"/.test(page.text);

function nextUrl(res: BrowserResponse): string | undefined {
  if ([301, 302, 303, 307, 308].includes(res.status)) {
    const location = res.headers.get('location');
    return location ? new URL(location, res.url).href : undefined;
  }
  const refresh = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(res.text)?.[1];
  return refresh ? new URL(decodeEntities(refresh), res.url).href : undefined;
}

/**
 * Signs `user` in to the console at `consoleUrl` through Keycloak's real login page and returns a
 * BffClient holding the signed-in session (and the browser, whose Keycloak cookies keep the provider
 * session). Fails with what it saw when the journey does not end signed in.
 */
export async function signInAs(
  consoleUrl: string,
  user: TestUser | TestUserName,
  browser = new TestBrowser(),
): Promise<{ bff: BffClient; browser: TestBrowser }> {
  const person = typeof user === 'string' ? TEST_USERS[user] : user;
  const loginPage = await browser.navigate(`${consoleUrl}/auth/login`);
  const landed = isKeycloakLoginPage(loginPage) ? await browser.submitKeycloakLogin(loginPage, person) : loginPage;
  const bff = new BffClient(consoleUrl);
  for (const [k, v] of browser.jar(new URL(consoleUrl).origin)) bff.cookies.set(k, v);
  const session = await bff.session();
  if (session.status !== 200) {
    throw new Error(
      `Signing in as ${person.username} did not end signed in (last page ${landed.status} ${landed.url}; /api/session ${session.status} ${session.text}):\n${landed.text.slice(0, 500)}`,
    );
  }
  return { bff, browser };
}
