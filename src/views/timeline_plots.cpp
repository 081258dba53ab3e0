// The resource plots of timeline.html (views/timeline_html.hpp): the part of the page's
// script that draws each sampled subject's CPU, memory, I/O and counts under the lanes, on
// their time axis. It runs inside the page's one function scope, between kTimelinePageTail
// and kTimelinePageEnd (views/timeline_page.cpp), and uses that scope's axis (xOf), search
// (lowerBoundIn) and tooltip helpers; the page calls its drawResources() from draw().
#include "views/timeline_html.hpp"

namespace bbx::views {

const char* const kTimelinePlots = R"BBXPAGE(// Resource plots: per sampled subject, CPU (% of one core, over each interval between
// samples), memory, I/O rates and counts, on the lanes' time axis (zoomed and panned with
// them), with steps (blue), marks (dashed purple) and failures (red) as vertical lines. The
// page holds every sample (bbx-resources: [subject, t_us, seq, cpu %, rss, rss peak, pss,
// read B/s, write B/s, fds, threads, processes], null where unknown); a plot draws per pixel
// column the first, lowest, highest and last value of the samples there, so no peak is lost
// however many samples share a pixel. A series the journal lacks is not drawn.
const resRows = JSON.parse($('bbx-resources').textContent);
const sampled = meta.sampled || [];
const plotH = 84, resAxisH = 18;
function fmtBytes(v) {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let k = 0;
  while (Math.abs(v) >= 1024 && k < u.length - 1) { v /= 1024; k++; }
  return (k ? v.toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0) : String(Math.round(v))) + ' ' + u[k];
}
const fmtPct = (v) => (Math.abs(v) < 10 ? v.toFixed(1) : String(Math.round(v))) + ' %';
const fmtRate = (v) => fmtBytes(v) + '/s';
const fmtCount = (v) => String(Math.round(v * 10) / 10);
const plotKinds = [
  { metric: 'cpu', title: 'CPU (% of one core)', fmt: fmtPct, least: 10, series: [{ col: 3, name: 'cpu', colour: '#d0582a' }] },
  { metric: 'memory', title: 'memory (bytes)', fmt: fmtBytes, nice: niceBytes, least: 1 << 20,
    series: [{ col: 4, name: 'rss', colour: '#2457c5' }, { col: 5, name: 'rss peak', colour: '#8a4bd0' }, { col: 6, name: 'pss', colour: '#0a8a95' }] },
  { metric: 'io', title: 'I/O (bytes/s)', fmt: fmtRate, nice: niceBytes, least: 1024,
    series: [{ col: 7, name: 'read', colour: '#1f8a3b' }, { col: 8, name: 'write', colour: '#c46a00' }] },
  { metric: 'counts', title: 'fds, threads, processes', fmt: fmtCount, least: 4,
    series: [{ col: 9, name: 'fds', colour: '#5b6475' }, { col: 10, name: 'threads', colour: '#2457c5' }, { col: 11, name: 'processes', colour: '#d0182a' }] },
];
// Per subject: the times, seqs and each column as typed arrays (NaN where unknown).
const sampleData = sampled.map(() => ({ n: 0, t: null, seq: null, cols: [] }));
{
  const counts = new Int32Array(sampled.length);
  for (const r of resRows) counts[r[0]]++;
  sampleData.forEach((d, s) => {
    d.t = new Float64Array(counts[s]); d.seq = new Float64Array(counts[s]);
    for (let c = 3; c < 12; c++) d.cols[c] = new Float64Array(counts[s]);
  });
  for (const r of resRows) {
    const d = sampleData[r[0]], k = d.n++;
    d.t[k] = r[1]; d.seq[k] = r[2];
    for (let c = 3; c < 12; c++) d.cols[c][k] = r[c] === null ? NaN : r[c];
  }
}
const plots = [];
sampled.forEach((name, s) => {
  const d = sampleData[s];
  for (const kind of plotKinds) {
    const series = kind.series.filter((se) => d.cols[se.col].some((v) => !Number.isNaN(v)));
    if (series.length) plots.push({ subject: name, s, kind, series, y: resAxisH + plots.length * plotH, drawn: null });
  }
});
const resBox = $('resources'), resPlot = $('res-plot'), resCanvas = $('rescanvas'), rctx = resCanvas.getContext('2d');
if (plots.length) resBox.hidden = false;
plots.forEach((p) => {
  const d = document.createElement('div');
  d.className = 'plot-label'; d.dataset.subject = p.subject; d.dataset.metric = p.kind.metric;
  const b = document.createElement('b');
  b.textContent = p.subject + ' \u00b7 ' + p.kind.title; b.title = b.textContent;
  d.append(b);
  for (const se of p.series) {
    const k = document.createElement('span'), i = document.createElement('i');
    k.className = 'key'; i.style.background = se.colour;
    k.append(i, se.name);
    d.append(k);
  }
  $('res-labels').append(d);
});
const stepRows = [], markRows = [];
for (let i = 0; i < N; i++) {
  if (types[rows[i][TYPE]] === 'step.begin') stepRows.push(i);
  if (rows[i][FLAGS] & 2) markRows.push(i);
}
function lowerBoundIn(ts, n, t) { let lo = 0, hi = n; while (lo < hi) { const m = (lo + hi) >> 1; if (ts[m] < t) lo = m + 1; else hi = m; } return lo; }
function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * 0.999) return m * p;
  return 10 * p;
}
// The same in the unit bytes are shown in (KiB, MiB, ...), so the axis reads 64 MiB, not 47.7 MiB.
function niceBytes(v) { let unit = 1; while (v / unit >= 1000) unit *= 1024; return niceCeil(v / unit) * unit; }
let hoverRes = null;  // { p, k }: the plot and sample under the mouse
function drawPlot(p, w, lines) {
  const d = sampleData[p.s], top = p.y + 8, h = plotH - 18, Y = (v) => top + h - v / p.top * h;
  // The samples in view and one on each side, so the lines reach the edges.
  let lo = lowerBoundIn(d.t, d.n, view0), hi = lowerBoundIn(d.t, d.n, view1);
  if (lo > 0) lo--;
  if (hi < d.n) hi++;
  // Per series, per pixel column: first, min, max, last.
  const cols = p.series.map((se) => {
    const v = d.cols[se.col], px = [], first = [], min = [], max = [], last = [];
    let points = 0, vmax = -Infinity;
    for (let k = lo; k < hi; k++) {
      const x = v[k];
      if (Number.isNaN(x)) continue;
      const c = Math.floor(xOf(d.t[k]));
      if (c >= 0 && c <= w) { points++; if (x > vmax) vmax = x; }
      const j = px.length - 1;
      if (j >= 0 && px[j] === c) { if (x < min[j]) min[j] = x; if (x > max[j]) max[j] = x; last[j] = x; }
      else { px.push(c); first.push(x); min.push(x); max.push(x); last.push(x); }
    }
    return { se, px, first, min, max, last, points, vmax };
  });
  p.top = (p.kind.nice || niceCeil)(Math.max(p.kind.least, ...cols.map((c) => c.vmax)));
  rctx.fillStyle = '#ffffff'; rctx.fillRect(0, p.y, w, plotH);
  rctx.strokeStyle = '#eceef2'; rctx.fillStyle = '#5b6475'; rctx.font = '10px system-ui, sans-serif';
  for (const f of [0, 0.5, 1]) {
    const y = Math.round(Y(p.top * f)) + 0.5;
    rctx.beginPath(); rctx.moveTo(0, y); rctx.lineTo(w, y); rctx.stroke();
    rctx.fillText(p.kind.fmt(p.top * f), 3, f === 0 ? y - 2 : y + 10);
  }
  rctx.strokeStyle = '#d8dce3'; rctx.beginPath(); rctx.moveTo(0, p.y + plotH - 0.5); rctx.lineTo(w, p.y + plotH - 0.5); rctx.stroke();
  rctx.lineWidth = 1.5;
  for (const c of cols) {
    rctx.strokeStyle = c.se.colour; rctx.beginPath();
    for (let j = 0; j < c.px.length; j++) {
      const x = c.px[j] + 0.5;
      if (j === 0) rctx.moveTo(x, Y(c.first[j])); else rctx.lineTo(x, Y(c.first[j]));
      if (c.max[j] !== c.min[j]) { rctx.lineTo(x, Y(c.max[j])); rctx.lineTo(x, Y(c.min[j])); }
      rctx.lineTo(x, Y(c.last[j]));
    }
    rctx.stroke();
  }
  rctx.lineWidth = 1;
  if (hoverRes && hoverRes.p === p) {
    const x = xOf(d.t[hoverRes.k]);
    rctx.strokeStyle = '#1d2330'; rctx.beginPath(); rctx.moveTo(x, p.y); rctx.lineTo(x, p.y + plotH); rctx.stroke();
    for (const c of cols) {
      const v = d.cols[c.se.col][hoverRes.k];
      if (Number.isNaN(v)) continue;
      rctx.fillStyle = c.se.colour; rctx.beginPath(); rctx.arc(x, Y(v), 3, 0, 2 * Math.PI); rctx.fill();
    }
  }
  p.drawn = { top: p.top, lines, series: cols.map((c) => ({ name: c.se.name, points: c.points, max: c.points ? c.vmax : null })) };
}
function drawResources() {
  if (!plots.length) return;
  const dpr = window.devicePixelRatio || 1, w = width, height = resAxisH + plots.length * plotH;
  if (resCanvas.width !== Math.round(w * dpr) || resCanvas.height !== Math.round(height * dpr)) {
    resCanvas.width = Math.round(w * dpr); resCanvas.height = Math.round(height * dpr);
    resCanvas.style.height = height + 'px';
  }
  rctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  rctx.clearRect(0, 0, w, height);
  const lines = { steps: 0, marks: 0, failures: 0, steps_as_ticks: false };
  for (const p of plots) drawPlot(p, w, lines);
  // the time grid, as the lanes'
  rctx.fillStyle = '#5b6475'; rctx.font = '11px system-ui, sans-serif'; rctx.strokeStyle = '#eceef288';
  const step = niceStep(view1 - view0);
  for (let t = Math.ceil(view0 / step) * step; t <= view1; t += step) {
    const x = xOf(t);
    rctx.beginPath(); rctx.moveTo(x + 0.5, resAxisH - 4); rctx.lineTo(x + 0.5, height); rctx.stroke();
    rctx.fillText(fmtTime(t), x + 3, 12);
  }
  // Steps, marks and failures across every plot, one line per pixel column. Steps closer
  // than 6 pixels on average would hide the plots: they are drawn as ticks under the time
  // axis instead, until a zoom parts them.
  const across = (list, colour, dash, widthPx, kind, bottom) => {
    rctx.setLineDash(dash); rctx.strokeStyle = colour; rctx.lineWidth = widthPx;
    let last = -1;
    for (const i of list) {
      const x = xOf(rows[i][T]);
      if (x < 0 || x > w || !shownFlag[i]) continue;
      lines[kind]++;
      if (Math.round(x) === last) continue;
      last = Math.round(x);
      rctx.beginPath(); rctx.moveTo(x, resAxisH - 4); rctx.lineTo(x, bottom); rctx.stroke();
    }
    rctx.setLineDash([]); rctx.lineWidth = 1;
  };
  let stepsInView = 0;
  for (const i of stepRows) { const x = xOf(rows[i][T]); if (x >= 0 && x <= w && shownFlag[i]) stepsInView++; }
  lines.steps_as_ticks = stepsInView > w / 6;
  across(stepRows, '#7f9fdc', [], 1, 'steps', lines.steps_as_ticks ? resAxisH + 2 : height);
  across(markRows, '#8a4bd0', [4, 3], 1, 'marks', height);
  across(failures, '#d0182a', [], 1.5, 'failures', height);
}
function plotTooltip(p, k, cx, cy) {
  const d = sampleData[p.s];
  let text = p.subject + ' \u00b7 ' + p.kind.title + '\n' + fmtTime(d.t[k]) + '  #' + d.seq[k] + '  resource.sample\n';
  for (const se of p.series) {
    const v = d.cols[se.col][k];
    text += '\n' + se.name + ': ' + (Number.isNaN(v) ? 'unknown' : p.kind.fmt(v));
  }
  if (p.kind.metric === 'cpu' || p.kind.metric === 'io') text += '\n(over the interval since the previous sample)';
  tooltip.textContent = text;
  tooltip.dataset.seq = d.seq[k];
  tooltip.dataset.plot = p.subject + ':' + p.kind.metric;
  tooltip.hidden = false;
  tooltip.style.left = Math.max(4, Math.min(cx + 14, window.innerWidth - 360)) + 'px';
  tooltip.style.top = Math.min(cy + 14, window.innerHeight - 140) + 'px';
}
function plotHit(cx, cy) {
  const rect = resCanvas.getBoundingClientRect(), x = cx - rect.left, y = cy - rect.top;
  const p = plots.find((q) => y >= q.y && y < q.y + plotH);
  if (!p) return null;
  const d = sampleData[p.s], t = tOf(x);
  let k = lowerBoundIn(d.t, d.n, t);
  if (k >= d.n || (k > 0 && t - d.t[k - 1] < d.t[k] - t)) k--;
  return k >= 0 ? { p, k } : null;
}
resCanvas.addEventListener('mousemove', (ev) => {
  if (drag) return;
  hoverRes = plotHit(ev.clientX, ev.clientY);
  if (hoverRes) plotTooltip(hoverRes.p, hoverRes.k, ev.clientX, ev.clientY); else hideTooltip();
  drawResources();
});
resCanvas.addEventListener('mouseleave', () => { hoverRes = null; hideTooltip(); drawResources(); });

)BBXPAGE";

}  // namespace bbx::views
