#include "compare/diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>
#include <unordered_set>

#include <boost/unordered/unordered_flat_map.hpp>

#include "bbx/error.hpp"
#include "compare/line_counts.hpp"
#include "compare/sequence_diff.hpp"
#include "compare/stats.hpp"
#include "util/units.hpp"

namespace bbx::compare {

double Thresholds::absolute(Unit unit) const {
  switch (unit) {
    case Unit::ns: return time_ns;
    case Unit::bytes: return bytes;
    case Unit::count: return count;
    case Unit::value: return value;
  }
  return 0;
}

const char* unit_name(Unit unit) {
  switch (unit) {
    case Unit::ns: return "ns";
    case Unit::bytes: return "bytes";
    case Unit::count: return "count";
    case Unit::value: return "value";
  }
  return "?";
}

void parse_threshold(std::string_view text, Thresholds& t) {
  auto bad = [&] {
    fail_input({}, "--threshold: expected a percentage (25%), a duration (50ms), a size (8MiB) or a count (3), got '" +
                       std::string(text) + "'");
  };
  if (text.empty()) bad();
  if (text.back() == '%') {
    try {
      std::size_t used = 0;
      double v = std::stod(std::string(text.substr(0, text.size() - 1)), &used);
      if (used != text.size() - 1 || v < 0) bad();
      t.relative = v / 100;
    } catch (const std::exception&) {
      bad();
    }
    return;
  }
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    t.count = std::stod(std::string(text));
    return;
  }
  if (auto d = util::parse_duration(text)) {
    t.time_ns = double(d->count());
    return;
  }
  if (auto s = util::parse_size(text)) {
    t.bytes = double(*s);
    return;
  }
  bad();
}

namespace {

std::vector<std::string> split_fields(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto p = text.find(" | ", start);
    out.emplace_back(text.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 3;
  }
  return out;
}

std::vector<std::string> split_list(std::string_view inner) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= inner.size() && !inner.empty()) {
    auto p = inner.find("; ", start);
    out.emplace_back(inner.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 2;
  }
  return out;
}

std::string quote(std::string_view s, std::size_t max = 160) {
  std::string out = "\"";
  if (s.size() > max) {
    out.append(s.substr(0, max));
    out += "…";
  } else {
    out.append(s);
  }
  return out + "\"";
}

std::string plural(std::size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

std::string noun_of(const Lane& l) {
  if (l.lines) return "line";
  auto ends = [&](std::string_view s) { return l.name.size() >= s.size() && l.name.compare(l.name.size() - s.size(), s.size(), s) == 0; };
  if (ends(" requests")) return "request";
  if (ends(" responses")) return "response";
  if (ends(" metrics")) return "sample";
  if (ends(" messages")) return "message";
  if (ends(" upstream exchanges")) return "upstream exchange";
  if (ends(" connections")) return "connection event";
  return "event";
}

}  // namespace

std::string describe_change(std::string_view a, std::string_view b) {
  auto fa = split_fields(a), fb = split_fields(b);
  std::map<std::string, std::string> ma, mb;
  std::vector<std::string> order;
  auto index = [&](const std::vector<std::string>& f, std::map<std::string, std::string>& m) {
    for (std::size_t i = 1; i < f.size(); ++i) {
      auto eq = f[i].find('=');
      std::string key = eq == std::string::npos ? f[i] : f[i].substr(0, eq);
      if (!m.count(key) && std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
      m[key] = eq == std::string::npos ? "" : f[i].substr(eq + 1);
    }
  };
  index(fa, ma);
  index(fb, mb);
  std::vector<std::string> parts;
  if (fa[0] != fb[0]) parts.push_back(quote(fa[0]) + " -> " + quote(fb[0]));
  for (const auto& key : order) {
    auto ia = ma.find(key), ib = mb.find(key);
    if (ia == ma.end()) {
      parts.push_back(key + ": new, " + ib->second);
      continue;
    }
    if (ib == mb.end()) {
      parts.push_back(key + ": gone, was " + ia->second);
      continue;
    }
    if (ia->second == ib->second) continue;
    const auto& va = ia->second;
    const auto& vb = ib->second;
    if (va.size() >= 2 && vb.size() >= 2 && va.front() == '[' && vb.front() == '[' && va.back() == ']' && vb.back() == ']') {
      auto la = split_list(std::string_view(va).substr(1, va.size() - 2));
      auto lb = split_list(std::string_view(vb).substr(1, vb.size() - 2));
      std::vector<std::string> changes;
      for (const auto& x : lb)
        if (std::find(la.begin(), la.end(), x) == la.end()) changes.push_back("+ " + x);
      for (const auto& x : la)
        if (std::find(lb.begin(), lb.end(), x) == lb.end()) changes.push_back("- " + x);
      if (changes.empty()) changes.push_back("reordered");
      std::string joined;
      for (const auto& c : changes) joined += (joined.empty() ? "" : ", ") + c;
      parts.push_back(key + ": " + joined);
    } else {
      parts.push_back(key + ": " + va + " -> " + vb);
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out.empty() ? "identical texts" : out;
}

namespace {

// Differences found on hashes, rendered once the texts they need are at hand.
struct Hunk {
  const Lane* lane;
  std::vector<Item> minus, plus;
  std::optional<Item> context;  // the last equal item before, in A
  bool aligned = true;
};
struct Change {  // multiset: one key's count differs
  const Lane* lane;
  Item item;  // from A when count_a > 0, else from B
  std::size_t count_a = 0, count_b = 0;
  std::uint64_t seq_a = 0, seq_b = 0;
};
struct Pair {  // multiset: an item of A and one of B with the same head, as often on each side
  const Lane* lane;
  Item a, b;
  std::size_t times = 1;
};
struct Reorder {
  const Lane* lane;
  std::size_t position;
  std::vector<Item> a, b;  // a window of each order from position on
};

class Differ {
 public:
  Differ(RunProfile& a, RunProfile& b, const Thresholds& t, const Sides& sides) : a_(a), b_(b), t_(t), sides_(sides) {}

  ScenarioDiff run() {
    ScenarioDiff out;
    out.id = a_.id;
    out.a = a_.journal.string();
    out.b = b_.journal.string();
    if (!a_.cut_tail.empty()) out.notes.push_back(sides_.a + "'s journal ends in a cut line (" + a_.cut_tail + "): compared without it");
    if (!b_.cut_tail.empty()) out.notes.push_back(sides_.b + "'s journal ends in a cut line (" + b_.cut_tail + "): compared without it");
    outcomes(out);
    lanes();
    fetch();
    render(out);
    counts(out);
    numbers(out);
    out.sort();
    return out;
  }

 private:
  void outcomes(ScenarioDiff& out) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a_.outcomes) keys.insert(k);
    for (const auto& [k, v] : b_.outcomes) keys.insert(k);
    for (const auto& k : keys) {
      auto ia = a_.outcomes.find(k), ib = b_.outcomes.find(k);
      Difference d;
      d.layer = Layer::behaviour;
      d.where = k;
      if (ia != a_.outcomes.end() && ib != b_.outcomes.end()) {
        if (ia->second.value == ib->second.value) continue;
        d.message = ia->second.value + " -> " + ib->second.value;
        d.seq_a = ia->second.seq;
        d.seq_b = ib->second.seq;
        d.rank = ia->second.rank;
      } else if (ia != a_.outcomes.end()) {
        d.message = ia->second.value + " in " + sides_.a + ", absent in " + sides_.b;
        d.seq_a = ia->second.seq;
        d.rank = ia->second.rank;
      } else {
        d.message = "absent in " + sides_.a + ", " + ib->second.value + " in " + sides_.b;
        d.seq_b = ib->second.seq;
        d.rank = ib->second.rank;
      }
      out.differences.push_back(std::move(d));
    }
  }

  void lanes() {
    std::vector<std::string> names;
    for (const auto& l : a_.lanes) names.push_back(l.name);
    for (const auto& l : b_.lanes)
      if (!a_.lane(l.name)) names.push_back(l.name);
    static const Lane empty;
    for (const auto& name : names) {
      const Lane* la = a_.lane(name);
      const Lane* lb = b_.lane(name);
      const Lane& shape = la ? *la : *lb;
      const Lane& x = la ? *la : empty;
      const Lane& y = lb ? *lb : empty;
      if (shape.kind == LaneKind::sequence)
        sequence(shape, x, y);
      else
        multiset(shape, x, y);
    }
  }

  static std::vector<std::uint64_t> hashes(const Lane& l) {
    std::vector<std::uint64_t> h;
    h.reserve(l.items.size());
    for (const auto& it : l.items) h.push_back(it.hash);
    return h;
  }

  void sequence(const Lane& shape, const Lane& x, const Lane& y) {
    auto ha = hashes(x), hb = hashes(y);
    if (ha == hb) return;
    auto script = diff_sequences(ha, hb);
    Hunk* open = nullptr;
    std::optional<Item> last_equal;
    for (const auto& e : script.edits) {
      if (e.kind == Edit::equal) {
        open = nullptr;
        last_equal = x.items[e.a + e.n - 1];
        continue;
      }
      if (!open) {
        hunks_.push_back(Hunk{&shape, {}, {}, last_equal, script.aligned});
        open = &hunks_.back();
      }
      for (std::size_t k = 0; k < e.n; ++k) {
        if (e.kind == Edit::remove)
          open->minus.push_back(x.items[e.a + k]);
        else
          open->plus.push_back(y.items[e.b + k]);
      }
    }
  }

  void multiset(const Lane& shape, const Lane& x, const Lane& y) {
    struct Entry {  // 16 bytes: lanes of 100k+ distinct items
      std::uint32_t a = 0, b = 0;              // how often on each side
      std::uint32_t first_a = 0, first_b = 0;  // 1 + the index of its first item on each side, 0: none
    };
    boost::unordered_flat_map<std::uint64_t, Entry> entries;  // no node per item
    std::vector<std::uint64_t> order;  // first appearance, A then B: a stable report order
    for (std::size_t k = 0; k < x.items.size(); ++k) {
      auto [e, fresh] = entries.try_emplace(x.items[k].hash);
      if (fresh) order.push_back(x.items[k].hash);
      if (!e->second.a++) e->second.first_a = std::uint32_t(k + 1);
    }
    for (std::size_t k = 0; k < y.items.size(); ++k) {
      auto [e, fresh] = entries.try_emplace(y.items[k].hash);
      if (fresh) order.push_back(y.items[k].hash);
      if (!e->second.b++) e->second.first_b = std::uint32_t(k + 1);
    }
    // Items only in A or only in B, paired by head as changed items first.
    std::vector<Change> changes;
    for (auto h : order) {
      const auto& e = entries.find(h)->second;
      if (e.a == e.b) continue;
      const Item* first_a = e.first_a ? &x.items[e.first_a - 1] : nullptr;
      const Item* first_b = e.first_b ? &y.items[e.first_b - 1] : nullptr;
      Change c{&shape, first_a ? *first_a : *first_b, e.a, e.b, first_a ? first_a->seq : 0, first_b ? first_b->seq : 0};
      changes.push_back(c);
    }
    if (changes.empty()) {
      if (shape.kind == LaneKind::multiset_ordered) reorder(shape, x, y);
      return;
    }
    std::vector<bool> used(changes.size(), false);
    for (std::size_t i = 0; i < changes.size(); ++i) {
      auto& ci = changes[i];
      if (used[i] || ci.count_a <= ci.count_b) continue;  // a surplus in A ...
      for (std::size_t j = 0; j < changes.size(); ++j) {
        auto& cj = changes[j];
        if (used[j] || cj.count_b <= cj.count_a || cj.item.head != ci.item.head) continue;  // ... meets one in B
        if (ci.count_a - ci.count_b == cj.count_b - cj.count_a) {
          Item from_b = cj.item;
          if (cj.count_a > 0) {  // first_b is what we need: find it among B's items
            for (const auto& it : y.items)
              if (it.hash == cj.item.hash) {
                from_b = it;
                break;
              }
          }
          pairs_.push_back(Pair{&shape, ci.item, from_b, ci.count_a - ci.count_b});
          used[i] = used[j] = true;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < changes.size(); ++i)
      if (!used[i]) changes_.push_back(changes[i]);
  }

  void reorder(const Lane& shape, const Lane& x, const Lane& y) {
    std::size_t i = 0;
    while (i < x.items.size() && x.items[i].hash == y.items[i].hash) ++i;
    if (i == x.items.size()) return;
    Reorder r{&shape, i, {}, {}};
    for (std::size_t k = i; k < std::min(x.items.size(), i + 5); ++k) {
      r.a.push_back(x.items[k]);
      r.b.push_back(y.items[k]);
    }
    reorders_.push_back(std::move(r));
  }

  void fetch() {
    std::unordered_set<std::uint64_t> want_a, want_b;
    for (const auto& h : hunks_) {
      for (const auto& it : h.minus) want_a.insert(it.hash);
      for (const auto& it : h.plus) want_b.insert(it.hash);
      if (h.context) want_a.insert(h.context->hash);
    }
    for (const auto& c : changes_) (c.count_a ? want_a : want_b).insert(c.item.hash);
    for (const auto& p : pairs_) want_a.insert(p.a.hash), want_b.insert(p.b.hash);
    for (const auto& r : reorders_) {
      for (const auto& it : r.a) want_a.insert(it.hash);
      for (const auto& it : r.b) want_b.insert(it.hash);
    }
    fetch_texts(a_, want_a);
    fetch_texts(b_, want_b);
  }

  const std::string& text_a(const Item& it) const { return a_.text(it.hash); }
  const std::string& text_b(const Item& it) const { return b_.text(it.hash); }

  void render(ScenarioDiff& out) {
    for (const auto& h : hunks_) out.differences.push_back(render(h));
    for (const auto& p : pairs_) {
      Difference d;
      d.layer = Layer::behaviour;
      d.where = p.lane->name;
      d.rank = 10;
      d.seq_a = p.a.seq;
      d.seq_b = p.b.seq;
      d.message = noun_of(*p.lane) + " " + quote(a_.head(p.a.head)) + " changed" +
                  (p.times > 1 ? " (" + std::to_string(p.times) + " of them)" : "") + ": " +
                  describe_change(text_a(p.a), text_b(p.b));
      d.detail = {"- " + text_a(p.a), "+ " + text_b(p.b)};
      out.differences.push_back(std::move(d));
    }
    for (const auto& c : changes_) {
      Difference d;
      d.layer = Layer::behaviour;
      d.where = c.lane->name;
      d.rank = 10;
      d.seq_a = c.seq_a;
      d.seq_b = c.seq_b;
      const std::string& text = c.count_a ? text_a(c.item) : text_b(c.item);
      const std::string& head = c.count_a ? a_.head(c.item.head) : b_.head(c.item.head);
      std::string noun = noun_of(*c.lane);
      if (c.count_b > c.count_a)
        d.message = "+" + std::to_string(c.count_b - c.count_a) + " " + noun + " " + quote(head) + " (" + in_sides(c) + ")";
      else
        d.message = "-" + std::to_string(c.count_a - c.count_b) + " " + noun + " " + quote(head) + " (" + in_sides(c) + ")";
      d.detail = {(c.count_b > c.count_a ? "+ " : "- ") + text};
      out.differences.push_back(std::move(d));
    }
    for (const auto& r : reorders_) {
      Difference d;
      d.layer = Layer::behaviour;
      d.where = r.lane->name;
      d.rank = 11;
      d.seq_a = r.a.front().seq;
      d.seq_b = r.b.front().seq;
      std::string noun = noun_of(*r.lane);
      d.message = plural(r.lane->items.size(), noun) + " in another order from #" + std::to_string(r.position + 1) +
                  ": " + quote(b_.head(r.b.front().head)) + " now comes before " + quote(a_.head(r.a.front().head));
      for (std::size_t k = 0; k < r.a.size(); ++k)
        d.detail.push_back("- #" + std::to_string(r.position + k + 1) + " " + text_a(r.a[k]));
      for (std::size_t k = 0; k < r.b.size(); ++k)
        d.detail.push_back("+ #" + std::to_string(r.position + k + 1) + " " + text_b(r.b[k]));
      out.differences.push_back(std::move(d));
    }
  }

  std::string in_sides(const Change& c) const {
    return std::to_string(c.count_a) + " in " + sides_.a + ", " + std::to_string(c.count_b) + " in " + sides_.b;
  }

  Difference render(const Hunk& h) {
    Difference d;
    d.layer = Layer::behaviour;
    d.where = h.lane->name;
    d.rank = 10;
    std::string noun = noun_of(*h.lane);
    if (!h.minus.empty()) d.seq_a = h.minus.front().seq;
    if (!h.plus.empty()) d.seq_b = h.plus.front().seq;
    if (h.context) {
      if (!d.seq_a) d.seq_a = h.context->seq;
      d.detail.push_back("  " + text_a(*h.context));
    }
    for (const auto& it : h.minus) d.detail.push_back("- " + text_a(it));
    for (const auto& it : h.plus) d.detail.push_back("+ " + text_b(it));
    std::string after = h.context ? " after " + quote(text_a(*h.context), 80) : " at the start";
    bool paired = h.minus.size() == h.plus.size();
    for (std::size_t k = 0; paired && k < h.minus.size(); ++k) paired = h.minus[k].head == h.plus[k].head;
    if (paired && h.minus.size() == 1) {
      const auto& ta = text_a(h.minus[0]);
      const auto& tb = text_b(h.plus[0]);
      d.message = h.lane->lines ? "line changed: " + quote(ta) + " -> " + quote(tb)
                                : noun + " " + quote(a_.head(h.minus[0].head)) + " changed: " + describe_change(ta, tb);
    } else if (paired) {
      d.message = plural(h.minus.size(), noun) + " changed from " + quote(text_a(h.minus[0]), 80) + " on";
    } else if (h.minus.empty()) {
      d.message = h.plus.size() == 1 ? "new " + noun + " " + quote(text_b(h.plus[0])) + after
                                     : plural(h.plus.size(), "new " + noun) + after + ", from " + quote(text_b(h.plus[0]), 80);
    } else if (h.plus.empty()) {
      d.message = h.minus.size() == 1 ? noun + " " + quote(text_a(h.minus[0])) + " missing" + after
                                      : plural(h.minus.size(), noun) + " missing" + after + ", from " + quote(text_a(h.minus[0]), 80);
    } else {
      d.message = plural(h.minus.size(), noun) + " replaced by " + std::to_string(h.plus.size()) + after + ": " +
                  quote(text_a(h.minus[0]), 80) + " -> " + quote(text_b(h.plus[0]), 80);
    }
    if (!h.aligned) d.message += " (over 1000 differences in this lane: not aligned item by item)";
    return d;
  }

  void counts(ScenarioDiff& out) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a_.counts) keys.insert(k);
    for (const auto& [k, v] : b_.counts) keys.insert(k);
    for (const auto& k : keys) {
      auto ia = a_.counts.find(k), ib = b_.counts.find(k);
      std::int64_t na = ia == a_.counts.end() ? 0 : ia->second.n;
      std::int64_t nb = ib == b_.counts.end() ? 0 : ib->second.n;
      if (na == nb) continue;
      Difference d;
      d.layer = Layer::counts;
      d.where = k;
      d.seq_a = ia == a_.counts.end() ? 0 : ia->second.seq;
      d.seq_b = ib == b_.counts.end() ? 0 : ib->second.seq;
      d.a = double(na);
      d.b = double(nb);
      d.unit = "count";
      bool tmpl = k.find(kLinesLike) != std::string::npos;
      std::string delta = (nb > na ? "+" : "") + std::to_string(nb - na);
      if (tmpl && (na == 0 || nb == 0)) {
        d.rank = 0;
        auto at = k.find(kLinesLike);
        d.where = k.substr(0, at);
        std::string tmpl_text = k.substr(at + std::string(kLinesLike).size());
        d.message = na == 0 ? "new kind of line " + tmpl_text + " (" + plural(std::size_t(nb), "line") + ")"
                            : "kind of line gone: " + tmpl_text + " (" + plural(std::size_t(na), "line") + " in " + sides_.a + ")";
      } else {
        d.rank = k.find(kLinesAtLevel) != std::string::npos ? 1 : 2;
        d.message = std::to_string(na) + " -> " + std::to_string(nb) + " (" + delta + ")";
      }
      out.differences.push_back(std::move(d));
    }
  }

  // Whether b differs from a by more than both thresholds.
  bool beyond(double a, double b, Unit unit) const {
    double delta = b - a;
    double rel = a != 0 ? delta / std::fabs(a) : (delta == 0 ? 0 : INFINITY);
    return std::fabs(delta) > t_.absolute(unit) && std::fabs(rel) > t_.relative;
  }

  void numbers(ScenarioDiff& out) {
    // A side run on a busier machine (scenario.end's cpu_pressure) may take longer by the
    // ratio of the expected slowdowns (stats.hpp slowdown()): durations are judged so.
    double slower = 1, faster = 1;
    if (a_.cpu_pressure && b_.cpu_pressure && t_.use_cpu_pressure) {
      slower = slowdown(*b_.cpu_pressure, *a_.cpu_pressure);
      faster = slowdown(*a_.cpu_pressure, *b_.cpu_pressure);
    }
    auto stretched = [&] {
      char text[160];
      if (slower >= faster)
        std::snprintf(text, sizeof text, "%s's durations may be x%.1f for its CPU pressure %.0f%% (%s's %.0f%%)", sides_.b.c_str(),
                      slower, *b_.cpu_pressure * 100, sides_.a.c_str(), *a_.cpu_pressure * 100);
      else
        std::snprintf(text, sizeof text, "%s's durations may be x%.1f for its CPU pressure %.0f%% (%s's %.0f%%)", sides_.a.c_str(),
                      faster, *a_.cpu_pressure * 100, sides_.b.c_str(), *b_.cpu_pressure * 100);
      return std::string(text);
    };
    std::vector<std::string> spared;  // durations within the thresholds only so
    for (const auto& [k, na] : a_.numbers) {
      auto ib = b_.numbers.find(k);
      if (ib == b_.numbers.end()) continue;  // the event measured is missing: layer 1 says so
      const Number& nb = ib->second;
      double delta = nb.value - na.value;
      double rel = na.value != 0 ? delta / std::fabs(na.value) : (delta == 0 ? 0 : INFINITY);
      if (!beyond(na.value, nb.value, na.unit)) continue;
      const bool duration = nb.elapsed && (slower > 1 || faster > 1);
      if (duration) {  // against what the shorter side would have taken on the busier side's machine
        double expected = delta > 0 ? na.value * slower : na.value / faster;
        bool inside = delta > 0 ? nb.value <= expected || !beyond(expected, nb.value, na.unit)
                                : nb.value >= expected || !beyond(expected, nb.value, na.unit);
        if (inside) {
          spared.push_back(k);
          continue;
        }
      }
      Difference d;
      d.layer = Layer::numbers;
      d.where = k;
      d.seq_a = na.seq;
      d.seq_b = nb.seq;
      d.a = na.value;
      d.b = nb.value;
      d.unit = unit_name(na.unit);
      char pct[32];
      std::snprintf(pct, sizeof pct, std::isfinite(rel) ? "%+.0f%%" : "from 0", rel * 100);
      d.message = format_number(na.value, d.unit) + " -> " + format_number(nb.value, d.unit) + " (" +
                  (delta >= 0 ? "+" : "-") + format_number(std::fabs(delta), d.unit) + ", " + pct + ")";
      if (duration && std::max(slower, faster) > 1.05) d.message += "; " + stretched();
      d.rank = -int(std::min(1e6, std::fabs(rel) * 1000));
      out.differences.push_back(std::move(d));
    }
    if (!spared.empty()) out.notes.push_back(stretched() + ": " + spared_durations(spared, "within the thresholds only so"));
  }

  RunProfile& a_;
  RunProfile& b_;
  const Thresholds& t_;
  const Sides& sides_;
  std::vector<Hunk> hunks_;
  std::vector<Change> changes_;
  std::vector<Pair> pairs_;
  std::vector<Reorder> reorders_;
};

}  // namespace

ScenarioDiff diff_profiles(RunProfile& a, RunProfile& b, const Thresholds& thresholds, const Sides& sides) {
  return Differ(a, b, thresholds, sides).run();
}

namespace {

// Runs on_other on a second thread and here_fn on this one (the two sides of a diff: the
// machine's cores); rethrows what either threw once both are done, this thread's first.
template <class F, class G>
void on_two_threads(F on_other, G here_fn) {
  std::exception_ptr failed;
  std::thread other([&] {
    try {
      on_other();
    } catch (...) {
      failed = std::current_exception();
    }
  });
  try {
    here_fn();
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failed) std::rethrow_exception(failed);
}

}  // namespace

ScenarioDiff diff_journals(const std::filesystem::path& a, const std::filesystem::path& b, const Thresholds& thresholds) {
  RunProfile pa, pb;
  on_two_threads([&] { pb = build_profile(b); }, [&] { pa = build_profile(a); });
  TemplateMiner miner;
  const LineClusters clusters = learn_lines({&pa, &pb}, miner);
  on_two_threads([&] { count_lines(pb, miner, clusters); }, [&] { count_lines(pa, miner, clusters); });
  return diff_profiles(pa, pb, thresholds);
}

}  // namespace bbx::compare
