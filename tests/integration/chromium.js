// Headless Chromium for the page checks (*_html_check.js): Debian's chromium driven by
// playwright-core from nodeModules, in a throwaway profile with no network service. Opens
// `html` (a file), waits for `ready` (a selector: the page drawn; default
// body[data-ready="1"]; out.render_ms: the time from navigation to it) after the page's
// load event, or after its navigation commits when `waitUntil` is 'commit' (a page that
// draws before the browser has read all of it), calls
// `check(page, out)` and fills
// out.errors (script errors) and out.network (requests other than file:); the browser and
// its profile are gone when it returns `out`.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

async function checkPage(nodeModules, html, check, ready = 'body[data-ready="1"]', waitUntil = 'load') {
  const { chromium } = require(path.resolve(nodeModules, 'playwright-core'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bbx-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = {};
  try {
    const page = context.pages()[0] || await context.newPage();
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const started = Date.now();
    await page.goto('file://' + path.resolve(html), { waitUntil });
    await page.waitForSelector(ready, { timeout: 60000 });
    out.render_ms = Date.now() - started;
    await check(page, out);
    out.errors = errors;
    out.network = requests;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return out;
}

module.exports = { checkPage };
