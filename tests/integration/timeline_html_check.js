// Opens a timeline.html in headless Chromium (Debian's, driven by playwright-core) and
// reports what its DOM shows, as one JSON object on stdout, for test_timeline_html.cpp:
//   node timeline_html_check.js NODE_MODULES HTML SCREENSHOT_PNG [check|render|plots]
// `check` (default): lanes, failure markers, the tooltip over a failure marker and over a
// request on the canvas, an anchor (#e<seq>), the source filter, search, the sequence view,
// and a screenshot. `render`: only the time from navigation to the first screen drawn
// (body[data-ready]; the page's details are still being read then) and to the page's
// load event (load_ms), for bench/timeline.sh. `plots`: the resource plots (their labels,
// series, samples and lines drawn), the tooltip over the middle of each subject's first
// plot, the plots after zooming in, and a screenshot.
'use strict';
const path = require('path');
const { checkPage } = require(path.join(__dirname, 'chromium.js'));

const [nodeModules, html, screenshot, mode = 'check'] = process.argv.slice(2);
const url = 'file://' + path.resolve(html);

checkPage(nodeModules, html, async (page, out) => {
  if (mode === 'render') {
    out.paging = await page.textContent('#paging');
    const drawn = Date.now();
    await page.waitForLoadState('load');
    out.load_ms = out.render_ms + (Date.now() - drawn);
    if (screenshot) await page.screenshot({ path: screenshot });
    return;
  }
  if (mode === 'plots') {
    out.labels = await page.$$eval('#res-labels .plot-label', (els) => els.map((e) => ({
      subject: e.dataset.subject, metric: e.dataset.metric, text: e.textContent })));
    out.plots = await page.evaluate(() => window.bbxTimeline.plots());
    out.hover = {};
    for (const p of out.plots) {
      const key = p.subject + ':' + p.metric;
      await page.mouse.move(p.rect.left + p.rect.width * 0.6, p.rect.top + p.rect.height / 2);
      out.hover[key] = await page.$eval('#tooltip', (t) => ({ hidden: t.hidden, plot: t.dataset.plot, seq: Number(t.dataset.seq), text: t.textContent }));
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.click('#zoom-in');
    out.zoomed = await page.evaluate(() => window.bbxTimeline.plots());
    return;
  }
  out.lanes = await page.$$eval('#labels .lane', (els) => els.map((e) => e.dataset.lane));
  out.failure_markers = await page.$$eval('.failure-marker', (els) => els.map((e) => Number(e.dataset.seq)));
  out.failure_links = await page.$$eval('#failures a', (els) => els.map((e) => e.getAttribute('href')));
  // The tooltip over a failure marker.
  if (out.failure_markers.length) {
    await page.hover('.failure-marker');
    out.failure_tooltip = await page.$eval('#tooltip', (t) => ({ hidden: t.hidden, seq: Number(t.dataset.seq), text: t.textContent }));
  }
  // The tooltip over a request drawn on the canvas.
  const requestSeq = await page.evaluate(() => {
    const rows = JSON.parse(document.getElementById('bbx-data').textContent);
    const meta = JSON.parse(document.getElementById('bbx-meta').textContent);
    const r = rows.find((r) => meta.types[r[3]] === 'http.request' && r[5].startsWith('GET /api/a'));
    return r ? r[1] : 0;
  });
  await page.click('#fit');
  const pos = await page.evaluate((s) => window.bbxTimeline.positionOf(s), requestSeq);
  out.request_seq = requestSeq;
  if (pos) {
    await page.mouse.move(pos.x, pos.y);
    out.request_tooltip = await page.$eval('#tooltip', (t) => ({ hidden: t.hidden, seq: Number(t.dataset.seq), text: t.textContent }));
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  // An anchor selects its event in the list.
  await page.goto(url + '#e' + requestSeq);
  await page.waitForSelector('body[data-ready="1"]');
  out.anchor_selected = await page.$eval('#e' + requestSeq, (e) => e.classList.contains('selected')).catch(() => false);
  out.sequence_note = await page.textContent('#seq-note');
  // Filters and search.
  out.shown_all = await page.evaluate(() => window.bbxTimeline.shown());
  await page.click('#source-filter summary');
  await page.click('#sources input[value="steps"]');
  out.shown_without_steps = await page.evaluate(() => window.bbxTimeline.shown());
  await page.fill('#search', '#' + requestSeq);
  out.shown_search = await page.evaluate(() => window.bbxTimeline.shown());
  out.paging = await page.textContent('#paging');
}, undefined, mode === 'render' ? 'commit' : 'load').then((out) => process.stdout.write(JSON.stringify(out) + '\n'))
  .catch((e) => { console.error(e); process.exit(1); });
