// Opens a profile.html or compare.html (bbx profile) in headless Chromium (chromium.js) and
// reports what its DOM shows, as one JSON object on stdout, for test_profile_html.cpp:
//   node profile_html_check.js NODE_MODULES HTML SCREENSHOT_PNG
// title; charts: each svg.plot's chart id, its lines (label, points drawn, separate pieces) and axis labels;
// not_measured: charts with no data; the table's cells; the headlines; the tooltip over the
// middle of the CPU plot; a full-page screenshot; script errors; requests other than file:.
'use strict';
const path = require('path');
const { checkPage } = require(path.join(__dirname, 'chromium.js'));

const [nodeModules, html, screenshot] = process.argv.slice(2);

checkPage(nodeModules, html, async (page, out) => {
  out.title = await page.textContent('h1');
  out.charts = await page.$$eval('svg.plot', (svgs) => svgs.map((s) => ({
    chart: s.dataset.chart,
    lines: Array.from(s.querySelectorAll('path.line')).map((p) => ({
      label: p.dataset.label, points: Number(p.dataset.points), segments: (p.getAttribute('d').match(/M/g) || []).length,
    })),
    y_labels: Array.from(s.querySelectorAll('text')).map((t) => t.textContent),
  })));
  out.not_measured = await page.$$eval('.nodata', (els) => els.length);
  out.table = await page.$$eval('table.summary tr', (rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)));
  out.headlines = await page.$$eval('.headline', (els) => els.map((e) => e.textContent));
  const box = await page.$eval('svg.plot[data-chart="cpu"]', (s) => {
    const r = s.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  });
  await page.mouse.move(box.x + box.w * 0.6, box.y + box.h / 2);
  out.tooltip = await page.$eval('#tooltip', (t) => ({ hidden: t.hidden, text: t.textContent }));
  await page.screenshot({ path: screenshot, fullPage: true });
}).then((out) => process.stdout.write(JSON.stringify(out) + '\n'))
  .catch((e) => { console.error(e); process.exit(1); });
