#include "compare/diff_html.hpp"

#include "util/html_escape.hpp"

namespace bbx::compare {

namespace {

// JSON inside <script>: "<" written as \u003c so no "</script>" can end the element early.
std::string script_safe(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

constexpr const char* kStyle = R"CSS(
:root { --bg: #fff; --fg: #1d2129; --muted: #6b7280; --line: #e5e7eb; --minus: #fde8e8; --plus: #e6f6ea;
        --behaviour: #b42318; --counts: #b54708; --numbers: #175cd3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 1; }
h1 { font-size: 18px; margin: 0 0 6px; }
.sides { color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; }
.controls { margin-top: 10px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
.controls input[type=search] { padding: 4px 8px; min-width: 260px; }
.summary { margin-left: auto; font-weight: 600; }
main { padding: 8px 24px 40px; }
section.scenario { margin: 16px 0; border: 1px solid var(--line); border-radius: 6px; }
section.scenario > h2 { font-size: 15px; margin: 0; padding: 10px 12px; background: #f9fafb; border-bottom: 1px solid var(--line); cursor: pointer; }
section.scenario.same > h2 { color: var(--muted); }
section.scenario.collapsed .body { display: none; }
.state { font-weight: normal; color: var(--muted); margin-left: 8px; }
.note { padding: 6px 12px; color: var(--counts); }
.difference { padding: 8px 12px; border-top: 1px solid var(--line); }
.difference:first-child { border-top: 0; }
.layer { display: inline-block; min-width: 82px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; font-weight: 700; }
.layer-behaviour { color: var(--behaviour); } .layer-counts { color: var(--counts); } .layer-numbers { color: var(--numbers); }
.where { font-weight: 600; }
.seqs { color: var(--muted); font-size: 12px; margin-left: 6px; }
pre.detail { margin: 6px 0 0 82px; padding: 6px 8px; background: #f9fafb; border-radius: 4px; overflow-x: auto; font-size: 12px; }
pre.detail span { display: block; white-space: pre; }
pre.detail .minus { background: var(--minus); } pre.detail .plus { background: var(--plus); } pre.detail .ctx { color: var(--muted); }
.hidden { display: none !important; }
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  const data = JSON.parse(document.getElementById('bbx-diff').textContent);
  const main = document.querySelector('main');
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  let differ = 0;
  for (const s of data.scenarios) {
    const sec = el('section', 'scenario' + (s.same ? ' same collapsed' : ''));
    sec.dataset.id = s.id;
    const h = el('h2', null, s.id);
    const n = s.differences.length;
    const state = s.only_in ? 'ran only in ' + s.only_in.toUpperCase() : s.same ? 'same' : n + (n === 1 ? ' difference' : ' differences');
    h.appendChild(el('span', 'state', state));
    h.addEventListener('click', () => sec.classList.toggle('collapsed'));
    sec.appendChild(h);
    const body = el('div', 'body');
    for (const note of s.notes) body.appendChild(el('div', 'note', 'note: ' + note));
    for (const d of s.differences) {
      const row = el('div', 'difference layer-row-' + d.layer);
      row.dataset.layer = d.layer;
      row.appendChild(el('span', 'layer layer-' + d.layer, d.layer));
      row.appendChild(el('span', 'where', d.where + ': '));
      row.appendChild(el('span', 'message', d.message));
      const seqs = [];
      if (d.seq_a) seqs.push('A #' + d.seq_a);
      if (d.seq_b) seqs.push('B #' + d.seq_b);
      if (seqs.length) row.appendChild(el('span', 'seqs', '[' + seqs.join(', ') + ']'));
      if (d.detail.length) {
        const pre = el('pre', 'detail');
        for (const line of d.detail) {
          const cls = line.startsWith('- ') ? 'minus' : line.startsWith('+ ') ? 'plus' : 'ctx';
          pre.appendChild(el('span', cls, line));
        }
        row.appendChild(pre);
      }
      body.appendChild(row);
    }
    sec.appendChild(body);
    main.appendChild(sec);
    if (!s.same) differ++;
  }
  document.getElementById('summary').textContent =
    data.scenarios.length + (data.scenarios.length === 1 ? ' scenario' : ' scenarios') + ' compared: ' + differ +
    (differ === 1 ? ' differs, ' : ' differ, ') + (data.scenarios.length - differ) + ' same';
  const filter = () => {
    const layers = new Set([...document.querySelectorAll('input[data-layer]')].filter(i => i.checked).map(i => i.dataset.layer));
    const text = document.getElementById('filter').value.toLowerCase();
    for (const row of document.querySelectorAll('.difference')) {
      const ok = layers.has(row.dataset.layer) && (!text || row.textContent.toLowerCase().includes(text));
      row.classList.toggle('hidden', !ok);
    }
  };
  for (const i of document.querySelectorAll('.controls input')) i.addEventListener('input', filter);
  document.body.dataset.ready = 'true';
})();
)JS";

}  // namespace

std::string diff_html(const std::vector<ScenarioDiff>& diffs, const std::string& a, const std::string& b,
                      const std::string& title) {
  nlohmann::ordered_json j;
  j["format"] = "bbx-diff";
  j["version"] = 1;
  j["a"] = a;
  j["b"] = b;
  bool same = true;
  for (const auto& d : diffs) same = same && d.same();
  j["same"] = same;
  auto& list = j["scenarios"] = nlohmann::ordered_json::array();
  for (const auto& d : diffs) list.push_back(to_json(d));

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + util::html_escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + util::html_escape(title) + "</h1>\n";
  out += "<div class=\"sides\">A: " + util::html_escape(a) + "<br>B: " + util::html_escape(b) + "</div>\n";
  out += "<div class=\"controls\">\n";
  for (const char* layer : {"behaviour", "counts", "numbers"})
    out += std::string("<label><input type=\"checkbox\" checked data-layer=\"") + layer + "\"> " + layer + "</label>\n";
  out += "<input type=\"search\" id=\"filter\" placeholder=\"filter differences\">\n";
  out += "<span class=\"summary\" id=\"summary\"></span>\n</div>\n</header>\n<main></main>\n";
  out += "<script type=\"application/json\" id=\"bbx-diff\">" + script_safe(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
         "</script>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace bbx::compare
