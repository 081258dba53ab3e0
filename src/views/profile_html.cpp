#include "views/profile_html.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace bbx::views {

namespace {

using nlohmann::json;

constexpr std::size_t kTopLines = 5;      // processes drawn beside the tree's total
constexpr std::size_t kMaxPoints = 4000;  // per line; more samples are bucketed

double rounded(double x, double step) {
  return step >= 1 ? std::round(x / step) * step : std::round(x * std::round(1 / step)) / std::round(1 / step);
}

std::vector<double> times(const SubjectProfile& p) {
  std::vector<double> t;
  for (const auto& s : p.samples) t.push_back(std::round(static_cast<double>(s.t_ns - p.start_ns) / 1e6) / 1e3);
  return t;
}

template <typename F>
std::vector<std::optional<double>> column(const SubjectProfile& p, F field) {
  std::vector<std::optional<double>> out;
  for (const auto& s : p.samples) out.push_back(field(s));
  return out;
}

std::optional<double> known(const Maybe& m) { return m ? std::optional<double>(double(*m)) : std::nullopt; }

struct Chart {
  const char* id;
  const char* title;
  const char* unit;
  json lines = json::array();
};

// Adds a line unless it has no known value, its values rounded to `step`. input: whose (its
// colour when several); total: the tree's (drawn thicker than a process's); connect:
// unknown values are samples that did not read it (PSS), drawn across, not gaps (a process
// not alive, no interval yet). More than kMaxPoints samples are drawn a bucket of samples per
// point, each its bucket's highest value (at its time), so no peak is lost.
void add_line(Chart& chart, std::string label, const std::vector<double>& t, const std::vector<std::optional<double>>& v,
              double step, std::size_t input, int style, bool total, bool connect = false) {
  if (std::none_of(v.begin(), v.end(), [](const auto& x) { return x.has_value(); })) return;
  const std::size_t bucket = std::max<std::size_t>(1, (v.size() + kMaxPoints - 1) / kMaxPoints);
  json ts = json::array(), vs = json::array();
  for (std::size_t from = 0; from < v.size(); from += bucket) {
    std::size_t best = v.size();
    for (std::size_t j = from; j < std::min(v.size(), from + bucket); ++j)
      if (v[j] && (best == v.size() || *v[j] > *v[best])) best = j;
    ts.push_back(t[best == v.size() ? from : best]);
    if (best == v.size()) vs.push_back(nullptr);
    else if (step >= 1) vs.push_back(static_cast<std::int64_t>(rounded(*v[best], step)));
    else vs.push_back(rounded(*v[best], step));
  }
  chart.lines.push_back({{"label", std::move(label)}, {"t", std::move(ts)}, {"v", std::move(vs)}, {"input", input},
                         {"style", style}, {"total", total}, {"connect", connect}, {"bucket", bucket}});
}

json group_of(const MatchedSubject& m, const std::vector<CompareInput>& inputs) {
  Chart cpu{"cpu", "CPU", "%"}, mem{"memory", "Memory", "B"}, io{"io", "Disk I/O", "B/s"},
      fds{"fds", "Open file descriptors", "count"}, thr{"threads", "Threads and processes", "count"},
      ctx{"ctx", "Context switches", "per second"};
  const bool several = inputs.size() > 1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto* p = m.per_input[i];
    if (!p) continue;
    auto t = times(*p);
    std::string prefix = several ? inputs[i].label + " " : "";
    const auto& v = p->samples;
    add_line(cpu, several ? inputs[i].label : "total", t, cpu_percent(v), 0.1, i, 0, true);
    add_line(mem, prefix + "RSS", t, column(*p, [](const auto& s) { return std::optional<double>(double(s.rss_bytes)); }), 1, i, 0, true);
    add_line(mem, prefix + "RSS peak", t, column(*p, [](const auto& s) { return known(s.rss_peak_bytes); }), 1, i, 1, true);
    add_line(mem, prefix + "PSS", t, column(*p, [](const auto& s) { return known(s.pss_bytes); }), 1, i, 2, true, true);
    add_line(io, prefix + "read", t, rate_per_second(v, &ProfileSample::read_bytes), 1, i, 0, true);
    add_line(io, prefix + "write", t, rate_per_second(v, &ProfileSample::write_bytes), 1, i, 1, true);
    add_line(fds, several ? inputs[i].label : "fds", t, column(*p, [](const auto& s) { return std::optional<double>(double(s.fds)); }), 1, i, 0, true);
    add_line(thr, prefix + "threads", t, column(*p, [](const auto& s) { return std::optional<double>(double(s.threads)); }), 1, i, 0, true);
    add_line(thr, prefix + "processes", t, column(*p, [](const auto& s) { return std::optional<double>(double(s.processes)); }), 1, i, 1, true);
    add_line(ctx, prefix + "voluntary", t, rate_per_second(v, &ProfileSample::ctx_voluntary), 1, i, 0, true);
    add_line(ctx, prefix + "involuntary", t, rate_per_second(v, &ProfileSample::ctx_involuntary), 1, i, 1, true);
    if (several) continue;
    // One profile: its top processes beside the total.
    auto procs = process_series(v);
    auto top = [&](auto key) {
      std::vector<const ProcessSeries*> order;
      for (const auto& ps : procs) order.push_back(&ps);
      std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return key(*a) > key(*b); });
      if (order.size() > kTopLines) order.resize(kTopLines);
      return order;
    };
    std::size_t colour = 1;
    for (const auto* ps : top([](const ProcessSeries& s) { return s.cpu_ms; }))
      add_line(cpu, ps->comm + " " + std::to_string(ps->pid), t, ps->dense_cpu_pct(v.size()), 0.1, colour++, 0, false);
    colour = 1;
    for (const auto* ps : top([](const ProcessSeries& s) { return s.rss_max; }))
      add_line(mem, ps->comm + " " + std::to_string(ps->pid), t, ps->dense_rss(v.size()), 1, colour++, 0, false);
  }
  json charts = json::array();
  for (auto* c : {&cpu, &mem, &io, &fds, &thr, &ctx})
    charts.push_back({{"id", c->id}, {"title", c->title}, {"unit", c->unit}, {"lines", c->lines}});
  json commands = json::array();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto* p = m.per_input[i];
    std::string cmd;
    for (const auto& a : p ? p->argv : std::vector<std::string>{}) cmd += (cmd.empty() ? "" : " ") + a;
    commands.push_back({{"label", inputs[i].label}, {"path", inputs[i].path}, {"command", cmd},
                        {"exit", p && p->exit ? json(p->exit->describe) : json("-")}});
  }
  return {{"key", m.key},
          {"inputs", commands},
          {"headlines", compare_headlines(m, inputs)},
          {"table", compare_table(m, inputs)},
          {"charts", charts}};
}

// The page: styles, the data, and the script that draws it (plain JS, SVG).
constexpr const char* kHead = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bbx profile</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 6px; }
.inputs { color: #555; margin: 0 0 8px; } .inputs code { background: #f3f3f3; padding: 0 3px; }
.headline { font-weight: 600; margin: 2px 0; }
table.summary { border-collapse: collapse; margin: 8px 0 12px; }
table.summary td, table.summary th { padding: 2px 10px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
table.summary td:first-child, table.summary th:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 12px; }
.chart { border: 1px solid #ddd; border-radius: 4px; padding: 6px 8px; }
.chart h3 { font-size: 13px; margin: 0 0 2px; }
.legend { font-size: 12px; margin: 2px 0 0; } .legend span { margin-right: 12px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 4px; }
.note { color: #777; font-size: 11px; }
.nodata { color: #888; font-style: italic; margin: 30px 0; }
svg.plot { display: block; width: 100%; height: 220px; }
svg.plot text { font-size: 11px; fill: #555; }
svg.plot .grid { stroke: #eee; } svg.plot .axis { stroke: #999; }
svg.plot .cursor { stroke: #888; stroke-dasharray: 3 3; }
#tooltip { position: fixed; pointer-events: none; background: rgba(255,255,255,.96); border: 1px solid #bbb;
  border-radius: 3px; padding: 4px 8px; font-size: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.15); white-space: nowrap; }
</style></head>
<body>
<div id="tooltip" hidden></div>
<div id="page"></div>
<script type="application/json" id="profile-data">)HTML";

constexpr const char* kScript = R"HTML(</script>
<script>
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('profile-data').textContent);
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const dashes = ['', '6 3', '2 3'];
  const NS = 'http://www.w3.org/2000/svg';
  const tooltip = document.getElementById('tooltip');
  function el(tag, attrs, parent, ns) {
    const e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(tag, content, parent, cls) {
    const e = el(tag, cls ? { class: cls } : {}, parent);
    e.textContent = content;
    return e;
  }
  function bytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let a = Math.abs(v), u = 0;
    while (a >= 1024 && u < units.length - 1) { a /= 1024; u++; }
    return (v < 0 ? '-' : '') + (u === 0 ? a.toFixed(0) : a.toFixed(a < 10 ? 2 : 1)) + ' ' + units[u];
  }
  function fmt(v, unit) {
    if (v === null || v === undefined) return '-';
    if (unit === '%') return v.toFixed(1) + ' %';
    if (unit === 'B') return bytes(v);
    if (unit === 'B/s') return bytes(v) + '/s';
    return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
  // Round steps: 1, 2, 5 x 10^k of the axis's unit (bytes: of the binary unit of the
  // maximum, so a 2 GiB axis reads 0, 0.5, 1, 1.5, 2 GiB).
  function niceStep(raw, steps) {
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    return (steps.find((s) => s * mag >= raw) || 10) * mag;
  }
  function ticks(max, unit, n) {
    if (!(max > 0)) max = 1;
    let scale = 1, name = '';
    if (unit === 'B' || unit === 'B/s') {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let u = 0;
      while (max / scale >= 1024 && u < units.length - 1) { scale *= 1024; u++; }
      name = ' ' + units[u] + (unit === 'B/s' ? '/s' : '');
    }
    const step = niceStep(max / scale / n, [1, 2, 5, 10]);
    const values = [];
    for (let i = 0; i < 50; i++) {  // up to the first tick at or above max: no line leaves the plot
      values.push(i * step * scale);
      if (i * step * scale >= max * 0.9999) break;
    }
    const label = (v) => {
      if (name) return +(v / scale).toFixed(step < 1 ? 2 : 0) + name;
      if (unit === '%') return +v.toFixed(step < 1 ? 1 : 0) + ' %';
      return String(+v.toFixed(step < 1 ? 1 : 0));
    };
    return { values: values, label: label };
  }
  // Time since the start: seconds, then minutes, then hours, in round steps of each.
  function timeTicks(max, n) {
    const raw = Math.max(max, 0.001) / n;
    let step, label;
    if (raw < 30) {
      step = niceStep(raw, [1, 2, 5, 10]);
      label = (v) => +v.toFixed(step < 0.1 ? 2 : step < 1 ? 1 : 0) + ' s';
    } else if (raw < 1800) {
      step = [60, 120, 300, 600, 900, 1800].find((s) => s >= raw) || 1800;
      label = (v) => +(v / 60).toFixed(0) + ' min';
    } else {
      step = 3600 * niceStep(raw / 3600, [1, 2, 3, 6, 12, 24]);
      label = (v) => +(v / 3600).toFixed(0) + ' h';
    }
    const values = [];
    for (let i = 0; i * step <= max + 1e-9 && values.length < 50; i++) values.push(i * step);
    return { values: values, label: label };
  }
  function nearest(t, x) {
    let lo = 0, hi = t.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid] < x) lo = mid + 1; else hi = mid; }
    if (lo > 0 && Math.abs(t[lo - 1] - x) < Math.abs(t[lo] - x)) lo--;
    return lo;
  }
  function colour(line) { return colours[line.input % colours.length]; }
  function drawChart(chart, parent, several) {
    const box = el('div', { class: 'chart' }, parent);
    text('h3', chart.title + (chart.unit === 'count' ? '' : ' (' + (chart.unit === '%' ? '% of one core' : chart.unit) + ')'), box);
    if (!chart.lines.length) {
      text('div', 'not measured in this journal', box, 'nodata');
      return;
    }
    const bucket = Math.max.apply(null, chart.lines.map((l) => l.bucket || 1));
    if (bucket > 1) text('div', 'each point: the highest of ' + bucket + ' samples', box, 'note');
    const W = 640, H = 220, L = 70, R = 12, T = 10, B = 26;
    const svg = el('svg', { class: 'plot', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', 'data-chart': chart.id }, box, true);
    let tmax = 0, vmax = 0;
    for (const l of chart.lines) {
      tmax = Math.max(tmax, l.t[l.t.length - 1] || 0);
      for (const v of l.v) if (v !== null) vmax = Math.max(vmax, v);
    }
    const yt = ticks(vmax, chart.unit, 4), top = yt.values[yt.values.length - 1] || 1;
    const tt = timeTicks(tmax, 8);
    const x = (t) => L + (tmax > 0 ? t / tmax : 0) * (W - L - R);
    const y = (v) => H - B - (v / top) * (H - T - B);
    for (const v of yt.values) {
      el('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }, svg, true);
      const label = el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, svg, true);
      label.textContent = yt.label(v);
    }
    for (const v of tt.values) {
      el('line', { class: 'grid', x1: x(v), x2: x(v), y1: T, y2: H - B }, svg, true);
      const label = el('text', { x: x(v), y: H - 8, 'text-anchor': 'middle' }, svg, true);
      label.textContent = tt.label(v);
    }
    el('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }, svg, true);
    el('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }, svg, true);
    const legend = el('div', { class: 'legend' }, box);
    for (const l of chart.lines) {
      let d = '', points = 0, pen = false;
      for (let i = 0; i < l.t.length; i++) {
        if (l.v[i] === null) { pen = pen && l.connect; continue; }
        d += (pen ? 'L' : 'M') + x(l.t[i]).toFixed(1) + ' ' + y(l.v[i]).toFixed(1);
        pen = true;
        points++;
      }
      el('path', { class: 'line', d: d, fill: 'none', stroke: colour(l), 'stroke-width': l.total ? 2 : 1.2,
                   'stroke-dasharray': dashes[l.style % dashes.length], 'vector-effect': 'non-scaling-stroke',
                   'data-label': l.label, 'data-points': points }, svg, true);
      const item = el('span', {}, legend);
      el('i', { style: 'border-top-color:' + colour(l) + (l.style ? ';border-top-style:dashed' : '') }, item);
      item.appendChild(document.createTextNode(l.label));
    }
    const cursor = el('line', { class: 'cursor', y1: T, y2: H - B, visibility: 'hidden' }, svg, true);
    svg.addEventListener('mousemove', (ev) => {
      const r = svg.getBoundingClientRect();
      const px = (ev.clientX - r.left) / r.width * W;
      const t = Math.max(0, Math.min(tmax, (px - L) / (W - L - R) * tmax));
      cursor.setAttribute('x1', x(t)); cursor.setAttribute('x2', x(t)); cursor.setAttribute('visibility', 'visible');
      tooltip.textContent = '';
      text('div', chart.title + ' at ' + t.toFixed(2) + ' s', tooltip).style.fontWeight = '600';
      for (const l of chart.lines) {
        let i = nearest(l.t, t);
        if (l.connect) {  // the nearest sample that has it
          let j = i, k = i;
          while (j >= 0 && l.v[j] === null) j--;
          while (k < l.v.length && l.v[k] === null) k++;
          i = j < 0 ? k : k >= l.v.length ? j : (t - l.t[j] <= l.t[k] - t ? j : k);
        }
        const row = text('div', l.label + ': ' + fmt(l.v[i], chart.unit) + ' (' + l.t[i].toFixed(2) + ' s)', tooltip);
        row.style.color = colour(l);
      }
      tooltip.hidden = false;
      tooltip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8) + 'px';
      tooltip.style.top = (ev.clientY + 14) + 'px';
    });
    svg.addEventListener('mouseleave', () => { tooltip.hidden = true; cursor.setAttribute('visibility', 'hidden'); });
  }
  const page = document.getElementById('page');
  document.title = data.title;
  text('h1', data.title, page);
  for (const g of data.groups) {
    if (data.groups.length > 1 || g.inputs.length > 1) text('h2', g.key, page);
    const inputs = el('div', { class: 'inputs' }, page);
    for (const i of g.inputs) {
      const line = el('div', {}, inputs);
      line.appendChild(document.createTextNode((g.inputs.length > 1 ? i.label + ': ' : '') + i.path + ' '));
      text('code', i.command, line);
      line.appendChild(document.createTextNode(' ' + i.exit));
    }
    for (const h of g.headlines) text('div', h, page, 'headline');
    const table = el('table', { class: 'summary' }, page);
    g.table.forEach((row, r) => {
      const tr = el('tr', {}, table);
      for (const c of row) text(r === 0 ? 'th' : 'td', c, tr);
    });
    const charts = el('div', { class: 'charts' }, page);
    for (const c of g.charts) drawChart(c, charts, g.inputs.length > 1);
  }
  document.body.dataset.ready = '1';
})();
</script>
</body></html>
)HTML";

}  // namespace

std::string profile_html(const std::string& title, const std::vector<CompareInput>& inputs,
                         const std::vector<MatchedSubject>& subjects) {
  json groups = json::array();
  for (const auto& m : subjects) groups.push_back(group_of(m, inputs));
  json data = {{"title", title}, {"groups", groups}};
  // Inside <script>: "</" must not end it; JSON allows "<\/".
  std::string text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string safe;
  safe.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') safe += "<\\";
    else safe += text[i];
  }
  return std::string(kHead) + safe + kScript;
}

}  // namespace bbx::views
