// Opens a diff.html in headless Chromium (chromium.js) and reports
// what its DOM shows, as one JSON object on stdout, for test_compare_html.cpp:
//   node diff_html_check.js NODE_MODULES HTML SCREENSHOT_PNG
// The scenarios and their states, the differences (layer, where, message, detail lines),
// the rows left after unticking the behaviour layer and after a text filter, script errors
// and requests that left the page (none expected: the page is self-contained).
'use strict';
const path = require('path');
const { checkPage } = require(path.join(__dirname, 'chromium.js'));

const [nodeModules, html, screenshot] = process.argv.slice(2);

checkPage(nodeModules, html, async (page, out) => {
  out.summary = await page.textContent('#summary');
  out.scenarios = await page.$$eval('section.scenario', (els) => els.map((e) => ({
    id: e.dataset.id, state: e.querySelector('h2 .state').textContent })));
  out.differences = await page.$$eval('.difference', (els) => els.map((e) => ({
    layer: e.dataset.layer,
    where: e.querySelector('.where').textContent,
    message: e.querySelector('.message').textContent,
    detail: [...e.querySelectorAll('pre.detail span')].map((s) => ({ cls: s.className, text: s.textContent })),
  })));
  const visible = () => page.$$eval('.difference', (els) => els.filter((e) => !e.classList.contains('hidden')).length);
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.uncheck('input[data-layer="behaviour"]');
  out.visible_without_behaviour = await visible();
  await page.check('input[data-layer="behaviour"]');
  await page.fill('#filter', 'level');
  out.visible_filtered = await visible();
}, 'body[data-ready="true"]').then((out) => process.stdout.write(JSON.stringify(out) + '\n'))
  .catch((e) => { console.error(e); process.exit(1); });
