// The page of timeline.html around its data (views/timeline_html.hpp): plain HTML, CSS and
// JavaScript, no library and no network, so the file works offline and from any CI
// artifact store. Why plain JS: the view needs a canvas, a windowed list and a few
// handlers; a bundled framework would add size and a build step without doing any of it.
//
// The data: <script id="bbx-data"> holds one row per event,
//   [t_us, seq, lane, type, flags (1 failed assertion, 2 mark, 4 the scenario's failed end),
//    summary, from, links]
// (links: an assertion's evidence seqs, an http.response's request seq); <script
// id="bbx-meta"> holds the title, this page's number, every page's file and seq range,
// the lanes {name, group, owner}, the type names and the sampled subjects; <script
// id="bbx-resources"> holds the page's resource samples (their plots, below the lanes);
// <script id="bbx-detail"> holds each
// row's tooltip text, a JSON array of strings one per line ("[", then one string and its
// comma per line, then "]"). The details are most of a page's bytes: they come after the
// page's script, so the first screen is drawn while the browser still reads them (a
// tooltip shown before then says they are loading), and the first tooltip after finds its
// line and parses that alone.
//
// For tests and benchmarks the page sets body[data-ready="1"] once the first screen is
// drawn and exposes window.bbxTimeline {positionOf(seq), select(seq), shown(), plots()}.
#include "views/timeline_html.hpp"

namespace bbx::views {

const char* const kTimelinePageHead = R"BBXPAGE(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@ · bbx timeline</title>
<style>
:root { --lane-h: 22px; --label-w: 210px; font: 13px/1.35 system-ui, sans-serif; color: #1d2330; }
body { margin: 0; background: #fafbfc; }
header { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #d8dce3; padding: 8px 12px; }
h1 { font-size: 16px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 14px 12px 6px; }
#paging { color: #5b6475; margin-bottom: 4px; }
#paging.paged { color: #8a4b00; font-weight: 600; }
#controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
#controls input { width: 260px; padding: 3px 6px; }
details { position: relative; }
details > div { position: absolute; z-index: 6; background: #fff; border: 1px solid #c7ccd6; padding: 6px; max-height: 320px; overflow: auto; min-width: 220px; box-shadow: 0 2px 8px #0002; }
details label { display: block; white-space: nowrap; }
#failures { margin-top: 4px; color: #b3121f; }
#failures a { color: #b3121f; margin-right: 10px; }
#timeline { display: flex; margin: 8px 12px; border: 1px solid #d8dce3; background: #fff; }
#labels { width: var(--label-w); flex: none; border-right: 1px solid #d8dce3; padding-top: 24px; }
.lane { height: var(--lane-h); line-height: var(--lane-h); padding: 0 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-bottom: 1px solid #f0f1f4; }
.lane.g-subject { color: #0a6b74; } .lane.g-fake { color: #6a2c91; } .lane.g-bbx { color: #1f4fa8; }
#plot { position: relative; flex: 1; min-width: 0; cursor: grab; }
#plot.dragging { cursor: grabbing; }
#canvas { display: block; width: 100%; }
#markers { position: absolute; inset: 0; pointer-events: none; }
.failure-marker { position: absolute; top: 0; width: 9px; margin-left: -4px; height: 16px; background: #d0182a; border-radius: 0 0 4px 4px; pointer-events: auto; cursor: pointer; }
#tooltip { position: fixed; z-index: 10; max-width: 640px; background: #1d2330; color: #f4f6fa; padding: 6px 8px; border-radius: 4px; font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; pointer-events: none; }
#sequence { position: relative; height: 280px; overflow: auto; margin: 0 12px; border: 1px solid #d8dce3; background: #fff; }
#seqcanvas { position: sticky; top: 0; left: 0; display: block; }
#list { position: relative; height: 340px; overflow: auto; margin: 0 12px 16px; border: 1px solid #d8dce3; background: #fff; font: 12px/18px ui-monospace, monospace; }
#list-rows { position: absolute; left: 0; right: 0; top: 0; }
.row { height: 18px; white-space: pre; overflow: hidden; text-overflow: ellipsis; padding: 0 6px; cursor: pointer; }
.row:hover { background: #eef3fb; }
.row.failure { color: #b3121f; font-weight: 600; }
.row.selected { background: #ffe9a8; }
.row.evidence { background: #ffd9c2; }
.note { color: #5b6475; margin: 0 12px; }
#resources { display: flex; margin: 0 12px 8px; border: 1px solid #d8dce3; background: #fff; }
#resources[hidden] { display: none; }
#res-labels { width: var(--label-w); flex: none; border-right: 1px solid #d8dce3; padding-top: 18px; }
.plot-label { height: 84px; box-sizing: border-box; padding: 4px 6px; border-bottom: 1px solid #f0f1f4; overflow: hidden; font-size: 12px; }
.plot-label b { display: block; color: #0a6b74; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.plot-label .key { display: inline-block; margin-right: 8px; }
.plot-label .key i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 3px; }
#res-plot { position: relative; flex: 1; min-width: 0; cursor: crosshair; }
#rescanvas { display: block; width: 100%; }
</style></head>
<body>
<header>
<h1 id="title">@TITLE@</h1>
<div id="paging"></div>
<div id="controls">
<input id="search" type="search" placeholder="search text, or #seq (Enter: next match)">
<span id="matches"></span>
<details id="source-filter"><summary>sources</summary><div id="sources"></div></details>
<details id="type-filter"><summary>types</summary><div id="types"></div></details>
<button id="fit" title="show the whole page">fit</button>
<button id="zoom-in" title="zoom in (or the mouse wheel)">+</button>
<button id="zoom-out" title="zoom out">&minus;</button>
<span class="note">drag to pan, wheel to zoom, click an event to select it (its link: #e&lt;seq&gt;)</span>
</div>
<div id="failures"></div>
</header>
<div id="timeline"><div id="labels"></div><div id="plot"><canvas id="canvas"></canvas><div id="markers"></div></div></div>
<div id="resources" hidden><div id="res-labels"></div><div id="res-plot"><canvas id="rescanvas"></canvas></div></div>
<div id="tooltip" hidden></div>
<h2>Who called whom</h2>
<p class="note" id="seq-note"></p>
<div id="sequence"><canvas id="seqcanvas"></canvas><div id="seq-spacer"></div></div>
<h2>Events</h2>
<div id="list"><div id="list-spacer"></div><div id="list-rows"></div></div>
)BBXPAGE";

// The script up to the resource plots: the events' lanes, canvas, filters and tooltips.
const char* const kTimelinePageTail = R"BBXPAGE(<script>
(function () {
'use strict';
const meta = JSON.parse(document.getElementById('bbx-meta').textContent);
const rows = JSON.parse(document.getElementById('bbx-data').textContent);
const T = 0, SEQ = 1, LANE = 2, TYPE = 3, FLAGS = 4, SUM = 5, FROM = 6, LINKS = 7;
const N = rows.length;
const types = meta.types, lanes = meta.lanes;
const firstSeq = N ? rows[0][SEQ] : 1;
const $ = (id) => document.getElementById(id);
function indexOfSeq(s) { const i = s - firstSeq; return i >= 0 && i < N && rows[i][SEQ] === s ? i : -1; }
function fmtTime(us) { return (us >= 0 ? '+' : '') + (us / 1e6).toFixed(3) + 's'; }
function lineOf(r) { return fmtTime(r[T]) + '  #' + r[SEQ] + '  [' + lanes[r[LANE]].name + ']  ' + r[SUM]; }

// Paging, said on screen.
const paging = $('paging');
if (meta.pages.length > 1) {
  paging.classList.add('paged');
  let html = 'This journal has ' + meta.total + ' events, split into ' + meta.pages.length + ' pages; this is page ' + meta.page +
    ' (events #' + meta.pages[meta.page - 1].first + ' to #' + meta.pages[meta.page - 1].last + '). Pages: ';
  html += meta.pages.map((p, i) => i + 1 === meta.page ? '<b>' + (i + 1) + '</b>' :
    '<a href="' + encodeURI(p.file) + '">' + (i + 1) + '</a>').join(' ');
  paging.innerHTML = html;
} else {
  paging.textContent = 'All ' + meta.total + ' events of the journal.';
}

// Lanes: bbx's first, then each subject's, then the fakes, in order of appearance.
const groupRank = { bbx: 0, subject: 1, fake: 2 };
const bbxRank = (n) => n === 'scenario' ? 0 : n === 'steps' ? 1 : n === 'assertions' ? 2 : 3;
const order = lanes.map((l, i) => i).sort((a, b) => {
  const la = lanes[a], lb = lanes[b];
  if (la.group !== lb.group) return groupRank[la.group] - groupRank[lb.group];
  if (la.group === 'bbx' && bbxRank(la.name) !== bbxRank(lb.name)) return bbxRank(la.name) - bbxRank(lb.name);
  return a - b;
});
const row_of_lane = new Int32Array(lanes.length);
order.forEach((lane, i) => { row_of_lane[lane] = i; });

// Spans: steps (begin to end) and HTTP requests (request to response).
const spanEnd = new Float64Array(N).fill(-1);
let maxSpan = 0, openStep = -1;
for (let i = 0; i < N; i++) {
  const r = rows[i], type = types[r[TYPE]];
  if (type === 'step.begin') { if (openStep >= 0) spanEnd[openStep] = r[T]; openStep = i; }
  else if (type === 'step.end' && openStep >= 0) { spanEnd[openStep] = r[T]; openStep = -1; }
  else if (type === 'http.request') spanEnd[i] = Infinity;
  else if (type === 'http.response' && r[LINKS].length) { const j = indexOfSeq(r[LINKS][0]); if (j >= 0) spanEnd[j] = r[T]; }
}
const tEnd = N ? rows[N - 1][T] : 1, tStart = N ? rows[0][T] : 0;
if (openStep >= 0) spanEnd[openStep] = tEnd;
for (let i = 0; i < N; i++) {
  if (spanEnd[i] === Infinity) spanEnd[i] = tEnd;  // never answered within the page
  if (spanEnd[i] >= 0) maxSpan = Math.max(maxSpan, spanEnd[i] - rows[i][T]);
}

// Filters: sources (lanes), types, search.
const laneOn = new Uint8Array(lanes.length).fill(1), typeOn = new Uint8Array(types.length).fill(1);
let query = '', shown = new Int32Array(0), shownFlag = new Uint8Array(N);
function checkboxes(el, names, onChange) {
  names.forEach((name, i) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.checked = true; box.value = name;
    box.addEventListener('change', () => { onChange(i, box.checked); refilter(); });
    label.append(box, ' ' + name);
    el.append(label);
  });
}
checkboxes($('sources'), order.map((l) => lanes[l].name), (k, on) => { laneOn[order[k]] = on ? 1 : 0; });
checkboxes($('types'), types, (i, on) => { typeOn[i] = on ? 1 : 0; });
function refilter() {
  const q = query.toLowerCase();
  const seqQuery = /^#\d+$/.test(q) ? Number(q.slice(1)) : 0;
  const out = [];
  for (let i = 0; i < N; i++) {
    const r = rows[i];
    let ok = laneOn[r[LANE]] && typeOn[r[TYPE]];
    if (ok && q) ok = seqQuery ? r[SEQ] === seqQuery : (r[SUM].toLowerCase().includes(q) || lanes[r[LANE]].name.toLowerCase().includes(q));
    shownFlag[i] = ok ? 1 : 0;
    if (ok) out.push(i);
  }
  shown = Int32Array.from(out);
  $('matches').textContent = q || shown.length !== N ? shown.length + ' of ' + N + ' events shown' : '';
  renderList(); draw(); drawSequence();
}

// Labels.
const labels = $('labels');
order.forEach((lane) => {
  const d = document.createElement('div');
  d.className = 'lane g-' + lanes[lane].group;
  d.textContent = lanes[lane].name;
  d.title = lanes[lane].name;
  d.dataset.lane = lanes[lane].name;
  labels.append(d);
});

// Failures, linked to the events they cite.
const failures = [];
for (let i = 0; i < N; i++) if (rows[i][FLAGS] & 1) failures.push(i);
const failBox = $('failures');
if (failures.length) {
  failBox.append(failures.length + ' failure' + (failures.length > 1 ? 's' : '') + ': ');
  failures.forEach((i) => {
    const a = document.createElement('a');
    a.href = '#e' + rows[i][SEQ];
    a.textContent = '#' + rows[i][SEQ] + ' ' + rows[i][SUM].slice(0, 90);
    a.className = 'failure-link';
    failBox.append(a);
  });
}

// The time axis and canvas.
const canvas = $('canvas'), ctx = canvas.getContext('2d');
const plot = $('plot'), markers = $('markers'), tooltip = $('tooltip');
const laneH = 22, axisH = 24;
// The whole page, with a margin so the first and last events are not on the edges.
const pad = Math.max((tEnd - tStart) * 0.02, 1);
const fit0 = tStart - pad, fit1 = Math.max(tEnd, tStart + 1) + pad;
let view0 = fit0, view1 = fit1, selected = -1, evidence = new Set();
let width = 0;
function xOf(t) { return (t - view0) / (view1 - view0) * width; }
function tOf(x) { return view0 + x / width * (view1 - view0); }
function lowerBound(t) { let lo = 0, hi = N; while (lo < hi) { const m = (lo + hi) >> 1; if (rows[m][T] < t) lo = m + 1; else hi = m; } return lo; }
function colour(i) {
  const r = rows[i], lane = lanes[r[LANE]], type = types[r[TYPE]];
  if (r[FLAGS] & 5) return '#d0182a';
  if (type === 'assert.pass') return '#1f8a3b';
  if (lane.group === 'fake') return '#7b3fa8';
  if (lane.group === 'subject') return lane.name.endsWith(':stderr') ? '#c46a00' : lane.name.includes(':') ? '#0a8a95' : '#5b6475';
  return '#2457c5';
}
function niceStep(span) {
  const raw = span / 8, p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
function draw() {
  const dpr = window.devicePixelRatio || 1;
  width = plot.clientWidth;
  const height = axisH + order.length * laneH;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
    canvas.style.height = height + 'px';
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  // axis
  ctx.fillStyle = '#5b6475'; ctx.font = '11px system-ui, sans-serif'; ctx.strokeStyle = '#eceef2';
  const step = niceStep(view1 - view0);
  for (let t = Math.ceil(view0 / step) * step; t <= view1; t += step) {
    const x = xOf(t);
    ctx.beginPath(); ctx.moveTo(x + 0.5, axisH - 4); ctx.lineTo(x + 0.5, height); ctx.stroke();
    ctx.fillText(fmtTime(t), x + 3, 12);
  }
  for (let k = 0; k < order.length; k++) { ctx.fillStyle = k % 2 ? '#fbfbfd' : '#ffffff'; ctx.fillRect(0, axisH + k * laneH, width, laneH); }
  // events in view (spans that began before it too); one tick per pixel and lane
  const lastX = new Float64Array(order.length).fill(-2);
  const from = lowerBound(view0 - maxSpan), to = lowerBound(view1 + 1);
  const marks = [];
  for (let i = from; i < to && i < N; i++) {
    if (!shownFlag[i]) continue;
    const r = rows[i], k = row_of_lane[r[LANE]], y = axisH + k * laneH;
    const x = xOf(r[T]);
    if (r[FLAGS] & 2) marks.push(i);
    if (spanEnd[i] >= 0) {
      const x2 = xOf(spanEnd[i]);
      if (x2 < 0 || x > width) continue;
      ctx.fillStyle = types[r[TYPE]] === 'step.begin' ? '#c9d8f5' : '#e3d3f0';
      ctx.fillRect(Math.max(x, 0), y + 4, Math.max(x2 - Math.max(x, 0), 1.5), laneH - 8);
    }
    if (x < 0 || x > width) continue;
    const px = Math.floor(x);
    if (px === lastX[k] && !(r[FLAGS] & 1)) continue;
    lastX[k] = px;
    ctx.fillStyle = colour(i);
    ctx.fillRect(px, y + 3, (r[FLAGS] & 1) ? 3 : 2, laneH - 6);
  }
  // marks and failures across every lane
  ctx.setLineDash([4, 3]); ctx.strokeStyle = '#8a4bd0';
  for (const i of marks) { const x = xOf(rows[i][T]); ctx.beginPath(); ctx.moveTo(x, axisH); ctx.lineTo(x, height); ctx.stroke(); ctx.fillStyle = '#8a4bd0'; ctx.fillText(rows[i][SUM], x + 3, axisH + 10); }
  ctx.setLineDash([]);
  markers.replaceChildren();
  let lastMarker = -1e9;
  for (const i of failures) {
    const x = xOf(rows[i][T]);
    if (x < 0 || x > width) continue;
    ctx.strokeStyle = '#d0182a'; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(x, axisH); ctx.lineTo(x, height); ctx.stroke(); ctx.lineWidth = 1;
    if (x - lastMarker < 10) continue;  // markers never overlap: the others are listed above (zoom in to part them)
    lastMarker = x;
    const m = document.createElement('div');
    m.className = 'failure-marker'; m.style.left = x + 'px'; m.dataset.seq = rows[i][SEQ];
    m.title = lineOf(rows[i]);
    m.addEventListener('mouseenter', (ev) => showTooltip(i, ev.clientX, ev.clientY));
    m.addEventListener('mouseleave', hideTooltip);
    m.addEventListener('click', () => select(i, true));
    markers.append(m);
  }
  // the selection and the events a selected failure cites
  const ring = (i, c) => {
    const x = xOf(rows[i][T]), y = axisH + row_of_lane[rows[i][LANE]] * laneH + laneH / 2;
    ctx.strokeStyle = c; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.stroke(); ctx.lineWidth = 1;
  };
  for (const s of evidence) { const j = indexOfSeq(s); if (j >= 0) ring(j, '#f07a1a'); }
  if (selected >= 0) ring(selected, '#111');
  drawResources();
}

)BBXPAGE";

// After the resource plots (views/timeline_plots.cpp), in the same function scope.
const char* const kTimelinePageEnd = R"BBXPAGE(// Row i's detail: its line of bbx-detail (where each line starts is found once, when the
// first tooltip is shown), parsed alone.
let detailText = null, detailAt = null;
function detailOf(i) {
  if (document.readyState === 'loading') return '(the details are still loading)';
  if (!detailAt) {
    detailText = document.getElementById('bbx-detail').textContent;
    detailAt = new Float64Array(N + 1);
    let p = detailText.indexOf('\n') + 1;  // after "["
    for (let k = 0; k < N; k++) { detailAt[k] = p; p = detailText.indexOf('\n', p) + 1; }
  }
  let line = detailText.slice(detailAt[i], detailText.indexOf('\n', detailAt[i]));
  if (line.endsWith(',')) line = line.slice(0, -1);
  return JSON.parse(line);
}

// Tooltip: the event, whole (bodies longer than the page keeps say where the rest is).
function showTooltip(i, cx, cy) {
  const r = rows[i];
  tooltip.textContent = lineOf(r) + '\n' + types[r[TYPE]] + (r[FROM] ? '  (sent by ' + r[FROM] + ')' : '') + '\n\n' + detailOf(i);
  tooltip.dataset.seq = r[SEQ];
  tooltip.hidden = false;
  const w = Math.min(640, window.innerWidth - 20);
  tooltip.style.left = Math.max(4, Math.min(cx + 14, window.innerWidth - w - 8)) + 'px';
  tooltip.style.top = Math.min(cy + 14, window.innerHeight - 120) + 'px';
}
function hideTooltip() { tooltip.hidden = true; }
function hit(cx, cy) {
  const rect = canvas.getBoundingClientRect();
  const x = cx - rect.left, y = cy - rect.top - axisH;
  if (y < 0) return -1;
  const k = Math.floor(y / laneH);
  if (k < 0 || k >= order.length) return -1;
  const lane = order[k];
  const from = lowerBound(tOf(x - 5)), to = lowerBound(tOf(x + 5) + 1);
  let best = -1, bestD = 1e9;
  for (let i = from; i < to && i < N; i++) {
    if (!shownFlag[i] || rows[i][LANE] !== lane) continue;
    const d = Math.abs(xOf(rows[i][T]) - x);
    if (d < bestD) { bestD = d; best = i; }
  }
  if (best >= 0) return best;
  // inside a span?
  for (let i = lowerBound(tOf(x) - maxSpan); i < N && rows[i][T] <= tOf(x); i++)
    if (shownFlag[i] && rows[i][LANE] === lane && spanEnd[i] >= tOf(x)) best = i;
  return best;
}
canvas.addEventListener('mousemove', (ev) => {
  if (drag) return;
  const i = hit(ev.clientX, ev.clientY);
  if (i >= 0) showTooltip(i, ev.clientX, ev.clientY); else hideTooltip();
});
canvas.addEventListener('mouseleave', hideTooltip);

// Zoom and pan.
let drag = null;
function zoom(factor, atX) {
  const t = tOf(atX), span = Math.max((view1 - view0) * factor, 5);
  view0 = t - (atX / width) * span; view1 = view0 + span; draw();
}
for (const el of [plot, resPlot]) {
  el.addEventListener('wheel', (ev) => { ev.preventDefault(); zoom(ev.deltaY > 0 ? 1.25 : 0.8, ev.clientX - el.getBoundingClientRect().left); }, { passive: false });
  el.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, v0: view0, v1: view1, moved: false }; plot.classList.add('dragging'); });
}
window.addEventListener('mousemove', (ev) => {
  if (!drag) return;
  const dx = ev.clientX - drag.x;
  if (Math.abs(dx) > 2) drag.moved = true;
  const dt = dx / width * (drag.v1 - drag.v0);
  view0 = drag.v0 - dt; view1 = drag.v1 - dt; draw();
});
window.addEventListener('mouseup', (ev) => {
  if (!drag) return;
  const moved = drag.moved; drag = null; plot.classList.remove('dragging');
  if (!moved && ev.target === canvas) { const i = hit(ev.clientX, ev.clientY); if (i >= 0) select(i, false); }
  if (!moved && ev.target === resCanvas) {
    const h = plotHit(ev.clientX, ev.clientY), i = h ? indexOfSeq(sampleData[h.p.s].seq[h.k]) : -1;
    if (i >= 0) select(i, false);
  }
});
$('fit').addEventListener('click', () => { view0 = fit0; view1 = fit1; draw(); });
$('zoom-in').addEventListener('click', () => zoom(0.5, width / 2));
$('zoom-out').addEventListener('click', () => zoom(2, width / 2));
window.addEventListener('resize', () => { draw(); drawSequence(); });

// Selection and anchors (#e<seq>).
function select(i, center) {
  selected = i;
  evidence = new Set(rows[i][FLAGS] & 1 || types[rows[i][TYPE]].startsWith('assert.') ? rows[i][LINKS] : []);
  if (center) {
    const span = view1 - view0;
    if (rows[i][T] < view0 || rows[i][T] > view1) { view0 = rows[i][T] - span / 2; view1 = view0 + span; }
  }
  if (location.hash !== '#e' + rows[i][SEQ]) history.replaceState(null, '', '#e' + rows[i][SEQ]);
  scrollListTo(i); draw(); renderList();
}
function followHash() {
  const m = /^#e(\d+)$/.exec(location.hash);
  if (!m) return;
  const seq = Number(m[1]), i = indexOfSeq(seq);
  if (i >= 0) return select(i, true);
  const page = meta.pages.find((p) => seq >= p.first && seq <= p.last);
  if (page && page.file) location.href = encodeURI(page.file) + '#e' + seq;
}
window.addEventListener('hashchange', followHash);

// The event list: only the rows in view exist.
const list = $('list'), listRows = $('list-rows'), rowH = 18;
function renderList() {
  $('list-spacer').style.height = shown.length * rowH + 'px';
  const first = Math.floor(list.scrollTop / rowH), count = Math.ceil(list.clientHeight / rowH) + 2;
  listRows.style.top = first * rowH + 'px';
  listRows.replaceChildren();
  for (let k = first; k < Math.min(shown.length, first + count); k++) {
    const i = shown[k], r = rows[i];
    const d = document.createElement('div');
    d.className = 'row' + (r[FLAGS] & 5 ? ' failure' : '') + (i === selected ? ' selected' : '') + (evidence.has(r[SEQ]) ? ' evidence' : '');
    d.id = 'e' + r[SEQ];
    d.textContent = lineOf(r);
    d.addEventListener('click', () => select(i, true));
    d.addEventListener('mouseenter', (ev) => showTooltip(i, ev.clientX, ev.clientY));
    d.addEventListener('mouseleave', hideTooltip);
    listRows.append(d);
  }
}
function scrollListTo(i) {
  let lo = 0, hi = shown.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (shown[m] < i) lo = m + 1; else hi = m; }
  const top = lo * rowH;
  if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - rowH) list.scrollTop = Math.max(0, top - list.clientHeight / 2);
}
list.addEventListener('scroll', renderList);

// Who called whom: every HTTP request, from the process that sent it (bbx for its own
// steps) to the fake, one row each in time order (only the rows in view are drawn).
const seqBox = $('sequence'), seqCanvas = $('seqcanvas'), sctx = seqCanvas.getContext('2d');
const parts = ['bbx'];
lanes.forEach((l) => { if (l.group === 'subject' && !parts.includes(l.owner)) parts.push(l.owner); });
lanes.forEach((l) => { if (l.group === 'fake' && !parts.includes('fake ' + l.owner)) parts.push('fake ' + l.owner); });
let messages = [];
function collectMessages() {
  messages = [];
  for (let i = 0; i < N; i++) if (types[rows[i][TYPE]] === 'http.request' && shownFlag[i]) messages.push(i);
  let unknown = 0;
  for (const i of messages) if (!rows[i][FROM]) unknown++;
  if (unknown && !parts.includes('?')) parts.push('?');
  $('seq-note').textContent = messages.length + ' request' + (messages.length === 1 ? '' : 's') +
    (unknown ? '; ' + unknown + ' from a process bbx could not name (column ?)' : '') + '.';
}
function drawSequence() {
  collectMessages();
  const dpr = window.devicePixelRatio || 1, w = seqBox.clientWidth, h = seqBox.clientHeight, rowHeight = 22, headH = 24;
  $('seq-spacer').style.height = Math.max(0, messages.length * rowHeight + headH - h) + 'px';
  seqCanvas.width = Math.round(w * dpr); seqCanvas.height = Math.round(h * dpr);
  seqCanvas.style.width = w + 'px'; seqCanvas.style.height = h + 'px';
  sctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  sctx.clearRect(0, 0, w, h);
  const colW = w / (parts.length + 0.5), colX = (p) => colW * (parts.indexOf(p) + 0.75);
  sctx.font = '12px system-ui, sans-serif'; sctx.textAlign = 'center';
  parts.forEach((p) => { sctx.fillStyle = '#1d2330'; sctx.fillText(p, colX(p), 14); sctx.strokeStyle = '#d8dce3'; sctx.beginPath(); sctx.moveTo(colX(p), headH); sctx.lineTo(colX(p), h); sctx.stroke(); });
  const first = Math.floor(seqBox.scrollTop / rowHeight);
  for (let k = first; k < messages.length && (k - first) * rowHeight < h - headH; k++) {
    const i = messages[k], r = rows[i], y = headH + (k - first) * rowHeight + 12;
    const src = r[FROM] || '?', dst = 'fake ' + lanes[r[LANE]].owner;
    const x1 = colX(src), x2 = colX(dst);
    sctx.strokeStyle = sctx.fillStyle = i === selected ? '#111' : '#7b3fa8';
    sctx.beginPath(); sctx.moveTo(x1, y); sctx.lineTo(x2, y); sctx.stroke();
    const dir = x2 >= x1 ? 1 : -1;
    sctx.beginPath(); sctx.moveTo(x2, y); sctx.lineTo(x2 - 7 * dir, y - 4); sctx.lineTo(x2 - 7 * dir, y + 4); sctx.fill();
    sctx.fillStyle = '#1d2330'; sctx.textAlign = 'left';
    sctx.fillText(fmtTime(r[T]) + ' #' + r[SEQ] + ' ' + r[SUM].split(' from ')[0], Math.min(x1, x2) + 6, y - 3);
    sctx.textAlign = 'center';
  }
}
seqBox.addEventListener('scroll', drawSequence);
seqCanvas.addEventListener('click', (ev) => {
  const k = Math.floor((ev.clientY - seqCanvas.getBoundingClientRect().top - 24) / 22) + Math.floor(seqBox.scrollTop / 22);
  if (k >= 0 && k < messages.length) select(messages[k], true);
});

// Search.
const search = $('search');
let nextMatch = 0;
search.addEventListener('input', () => { query = search.value.trim(); nextMatch = 0; refilter(); });
search.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter' || !shown.length) return;
  select(shown[nextMatch % shown.length], true); nextMatch++;
});

window.bbxTimeline = {
  positionOf(seq) {
    const i = indexOfSeq(seq);
    if (i < 0) return null;
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + xOf(rows[i][T]), y: rect.top + axisH + row_of_lane[rows[i][LANE]] * laneH + laneH / 2 };
  },
  select(seq) { const i = indexOfSeq(seq); if (i >= 0) select(i, true); return i >= 0; },
  shown() { return shown.length; },
  // The resource plots as last drawn: subject, metric, the series with their samples in
  // view and highest value, the vertical lines drawn, and where the plot is on screen.
  plots() {
    const rect = resCanvas.getBoundingClientRect();
    return plots.map((p) => ({ subject: p.subject, metric: p.kind.metric, title: p.kind.title, top: p.drawn && p.drawn.top,
      series: p.drawn ? p.drawn.series : [], lines: p.drawn ? p.drawn.lines : null,
      rect: { left: rect.left, top: rect.top + p.y, width: rect.width, height: plotH } }));
  },
};

refilter();
followHash();
requestAnimationFrame(() => { document.body.dataset.ready = '1'; });
})();
</script>
)BBXPAGE";

}  // namespace bbx::views
