/**
 * The few pages the sign-in routes answer with themselves (the web app is not signed in yet when they
 * show). Plain HTML with no script (the console's CSP allows only its own scripts); every value is escaped.
 */

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escapeHtml(title)} · Ray Console</title>${head}</head>` +
  `<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">${body}</body></html>`;

/**
 * The provider's redirect back is a cross-site navigation, on which browsers do not send the console's
 * SameSite=Strict session cookie. This page, served for such a request, asks the browser to open the same
 * callback again from the console's own page: that navigation is same-site, so the cookie goes along and
 * the pending sign-in (state, nonce, PKCE verifier) is found.
 */
export function sameSiteHopPage(target: string): string {
  const url = escapeHtml(target);
  return page(
    'Signing in',
    `<p>Signing you in… <a href="${url}">Continue</a> if nothing happens.</p>`,
    `<meta http-equiv="refresh" content="0;url=${url}">`,
  );
}

export function signInFailedPage(message: string, retry: string): string {
  return page(
    'Sign-in did not complete',
    `<h1>Sign-in did not complete</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(retry)}">Sign in again</a></p>`,
  );
}

export function signedOutPage(): string {
  return page(
    'Signed out',
    `<h1>You are signed out</h1><p>Your console session and your session at the identity provider have ended.</p>` +
      `<p><a href="/auth/login">Sign in again</a></p>`,
  );
}
