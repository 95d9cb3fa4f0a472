// How the e2e tests and the browser benchmark start Debian's Chromium (Playwright cannot download its
// own browser here). Without the background-networking flags Chromium keeps dialling hosts this
// machine's closed network refuses.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
