#include "compare/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <unordered_set>

#include "bbx/error.hpp"
#include "compare/lane_noise.hpp"
#include "compare/line_counts.hpp"
#include "compare/run_profile.hpp"
#include "compare/stats.hpp"
#include "util/sha256.hpp"

namespace bbx::compare {

namespace {

using json = nlohmann::json;

const char* kind_name(LaneKind k) {
  switch (k) {
    case LaneKind::sequence: return "sequence";
    case LaneKind::multiset_ordered: return "multiset_ordered";
    case LaneKind::multiset: return "multiset";
  }
  return "sequence";
}

LaneKind kind_of(const std::string& name, const std::string& where) {
  if (name == "sequence") return LaneKind::sequence;
  if (name == "multiset_ordered") return LaneKind::multiset_ordered;
  if (name == "multiset") return LaneKind::multiset;
  fail_input({where}, "unknown lane kind '" + name + "'");
}

Unit unit_of(const std::string& name, const std::string& where) {
  for (Unit u : {Unit::ns, Unit::bytes, Unit::count, Unit::value})
    if (name == unit_name(u)) return u;
  fail_input({where}, "unknown unit '" + name + "'");
}

json item_json(const RunProfile& p, const Item& it) {
  json j = {{"text", p.text(it.hash)}};
  const auto& head = p.head(it.head);
  if (head != j["text"].get_ref<const std::string&>()) j["head"] = head;
  return j;
}

// Every text of every item kept: a baseline writes them all.
void complete_texts(RunProfile& p) {
  if (p.texts_complete) return;
  std::unordered_set<std::uint64_t> want;
  for (const auto& l : p.lanes)
    for (const auto& it : l.items) want.insert(it.hash);
  fetch_texts(p, want);
}

// The text a lane's line stands for once its value noise is masked: the first shape that
// covers it, else itself.
const std::string& canonical(const std::string& text, const std::vector<std::string>& shapes) {
  for (const auto& s : shapes)
    if (shape_covers(s, text)) return s;
  return text;
}

std::string digest(const std::vector<std::string>& texts) {
  util::Sha256 h;
  for (const auto& t : texts) {
    h.update(t);
    h.update("\n");
  }
  return h.hex();
}

// What a baseline keeps of one lane, from its N runs: value noise first (lines), then order
// noise, then what still varies; bounded by max_items (docs/comparing-runs.md).
json learn_lane(const std::vector<RunProfile>& profiles, const Lane& shape, std::size_t max_items) {
  const std::string& name = shape.name;
  LaneKind kind = shape.kind;
  std::vector<std::string> shapes;
  {
    std::vector<std::vector<NoisyItem>> texts;
    for (const auto& p : profiles) {
      texts.emplace_back();
      std::unordered_set<std::uint64_t> distinct;  // value noise is per run and value, not per line printed
      if (const Lane* l = p.lane(name))
        for (const auto& it : l->items)
          if (distinct.insert(it.hash).second) texts.back().push_back({p.text(it.hash), p.head(it.head)});
    }
    shapes = value_noise_shapes(texts);
  }
  // Each run's items as the texts they stand for (value noise masked), by hash.
  std::vector<std::vector<std::uint64_t>> runs;
  std::map<std::uint64_t, json> items;  // hash -> {"text", "head"}
  std::map<std::uint64_t, const std::string*> text_of;
  for (const auto& p : profiles) {
    runs.emplace_back();
    const Lane* l = p.lane(name);
    if (!l) continue;
    std::unordered_map<std::uint64_t, std::uint64_t> canon_hash;  // the shapes tried once per distinct text
    for (const auto& it : l->items) {
      const std::string& text = p.text(it.hash);
      auto known = canon_hash.find(it.hash);
      if (known != canon_hash.end() && items.count(known->second)) {
        runs.back().push_back(known->second);
        continue;
      }
      const std::string& canon = shapes.empty() ? text : canonical(text, shapes);
      std::uint64_t h = &canon == &text ? it.hash : text_hash(canon);
      canon_hash.emplace(it.hash, h);
      runs.back().push_back(h);
      if (!items.count(h)) {
        json j = item_json(p, it);
        j["text"] = canon;
        if (j.contains("head") && j["head"] == canon) j.erase("head");
        items.emplace(h, std::move(j));
        text_of.emplace(h, &items[h]["text"].get_ref<const std::string&>());
      }
    }
  }
  bool same_order = true, same = true;
  auto ref_sorted = runs.front();
  std::sort(ref_sorted.begin(), ref_sorted.end());
  for (const auto& r : runs) {
    same_order = same_order && r == runs.front();
    auto sorted = r;
    std::sort(sorted.begin(), sorted.end());
    same = same && sorted == ref_sorted;
  }
  json lane = {{"kind", kind_name(kind)}, {"lines", shape.lines}};
  if (!shapes.empty()) {
    if (shapes.size() > max_items) shapes.resize(max_items);
    lane["value_noise"] = shapes;
  }
  const auto& first = runs.front();
  if (!same) {
    // What varies: every distinct item seen (sorted by text), the first max_items of them.
    std::map<std::string, const json*> seen;
    for (const auto& [h, j] : items) seen.emplace(*text_of[h], &j);
    json list = json::array();
    for (const auto& [t, j] : seen) {
      if (list.size() == max_items) break;
      list.push_back(*j);
    }
    lane["varies"] = true;
    lane["seen"] = std::move(list);
    if (seen.size() > max_items) lane["seen_rest"] = {{"kinds", seen.size() - max_items}};
    return lane;
  }
  if (kind == LaneKind::sequence && !same_order) {
    // Order noise: the items that moved compare as a multiset, the others in order.
    auto moved = floating_items(runs);
    std::set<std::string> texts;
    for (auto h : moved) texts.insert(*text_of[h]);
    lane["floating"] = std::vector<std::string>(texts.begin(), texts.end());
  }
  if (kind == LaneKind::multiset_ordered && !same_order) lane["kind"] = kind_name(LaneKind::multiset);  // order is noise
  json list = json::array();
  if (kind == LaneKind::sequence || first.size() <= max_items) {
    for (std::size_t k = 0; k < first.size() && k < max_items; ++k) list.push_back(items[first[k]]);
    lane["items"] = std::move(list);
    if (first.size() > max_items) {
      std::vector<std::string> rest;
      for (std::size_t k = max_items; k < first.size(); ++k) rest.push_back(*text_of[first[k]]);
      lane["rest"] = {{"items", rest.size()}, {"sha256", digest(rest)}};
    }
    return lane;
  }
  // A multiset past the cap: each distinct item once with how often, sorted by text.
  std::map<std::string, std::pair<const json*, std::size_t>> counted;
  for (auto h : first) {
    auto [at, fresh] = counted.try_emplace(*text_of[h], &items[h], 0);
    ++at->second.second;
  }
  std::vector<std::string> rest;
  std::size_t rest_items = 0;
  for (const auto& [t, c] : counted) {
    if (list.size() < max_items) {
      json j = *c.first;
      j["n"] = c.second;
      list.push_back(std::move(j));
    } else {
      rest.push_back(t + "\t" + std::to_string(c.second));
      rest_items += c.second;
    }
  }
  lane["counted"] = std::move(list);
  if (!rest.empty()) lane["rest"] = {{"kinds", rest.size()}, {"items", rest_items}, {"sha256", digest(rest)}};
  return lane;
}

json learn_scenario(const ScenarioRuns& runs, std::size_t max_items) {
  std::vector<RunProfile> profiles;
  for (const auto& j : runs.journals) {
    profiles.push_back(build_profile(j));
    complete_texts(profiles.back());
  }
  std::vector<const RunProfile*> all;
  for (const auto& p : profiles) all.push_back(&p);
  TemplateMiner miner;
  const LineClusters clusters = learn_lines(all, miner);
  for (auto& p : profiles) count_lines(p, miner, clusters);

  json out = json::object();
  out["runs"] = profiles.size();

  json outcomes = json::object();
  std::set<std::string> outcome_keys;
  for (const auto& p : profiles)
    for (const auto& [k, v] : p.outcomes) outcome_keys.insert(k);
  for (const auto& k : outcome_keys) {
    std::set<std::string> seen;
    int rank = 1;
    for (const auto& p : profiles) {
      auto it = p.outcomes.find(k);
      seen.insert(it == p.outcomes.end() ? std::string("(absent)") : it->second.value);
      if (it != p.outcomes.end()) rank = it->second.rank;
    }
    if (seen.size() == 1 && *seen.begin() != "(absent)")
      outcomes[k] = {{"value", *seen.begin()}, {"rank", rank}};
    else
      outcomes[k] = {{"varies", json(std::vector<std::string>(seen.begin(), seen.end()))}, {"rank", rank}};
  }
  out["outcomes"] = std::move(outcomes);

  json lanes = json::object();
  std::set<std::string> lane_names;
  std::map<std::string, const Lane*> shape;
  for (const auto& p : profiles)
    for (const auto& l : p.lanes) {
      lane_names.insert(l.name);
      shape.try_emplace(l.name, &l);
    }
  for (const auto& name : lane_names) lanes[name] = learn_lane(profiles, *shape[name], max_items);
  out["lanes"] = std::move(lanes);

  std::set<std::string> templates;
  for (std::size_t i = 0; i < miner.size(); ++i) templates.insert(miner.template_of(i));
  out["templates"] = std::vector<std::string>(templates.begin(), templates.end());

  json counts = json::object();
  std::set<std::string> count_keys;
  for (const auto& p : profiles)
    for (const auto& [k, c] : p.counts) count_keys.insert(k);
  for (const auto& k : count_keys) {
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const auto& p : profiles) {
      auto it = p.counts.find(k);
      std::int64_t n = it == p.counts.end() ? 0 : it->second.n;
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    counts[k] = {{"min", lo}, {"max", hi}};
  }
  out["counts"] = std::move(counts);

  json numbers = json::object();
  std::map<std::string, std::pair<Unit, std::vector<double>>> samples;
  for (const auto& p : profiles)
    for (const auto& [k, n] : p.numbers) {
      auto& s = samples.try_emplace(k, n.unit, std::vector<double>{}).first->second;
      s.second.push_back(n.value);
    }
  for (const auto& [k, s] : samples) {
    Distribution d = describe(s.second);
    numbers[k] = {{"unit", unit_name(s.first)}, {"n", d.n},     {"median", d.median}, {"mad", d.mad},
                  {"q1", d.q1},                 {"q3", d.q3},   {"min", d.min},       {"max", d.max}};
  }
  out["numbers"] = std::move(numbers);

  // How busy the machine was while the runs were learned: durations of a later run on a
  // busier machine are judged with that (judge_run).
  std::vector<double> pressures;
  for (const auto& p : profiles)
    if (p.cpu_pressure) pressures.push_back(*p.cpu_pressure);
  if (!pressures.empty()) {
    Distribution d = describe(pressures);
    out["cpu_pressure"] = {{"n", d.n}, {"median", d.median}, {"max", d.max}};
  }
  return out;
}

// "the interval's high end stretched x2.7 for this run's CPU pressure 64% (the baseline's 3%)"
std::string busier_machine(double run, double learned, double slower, double faster) {
  char text[160];
  if (slower >= faster)
    std::snprintf(text, sizeof text, "the interval's high end stretched x%.1f for this run's CPU pressure %.0f%% (the baseline's %.0f%%)",
                  slower, run * 100, learned * 100);
  else
    std::snprintf(text, sizeof text, "the interval's low end shrunk /%.1f for the baseline's CPU pressure %.0f%% (this run's %.0f%%)",
                  faster, learned * 100, run * 100);
  return text;
}

std::string quote(const std::string& s) {
  std::string t = s.size() > 120 ? s.substr(0, 117) + "..." : s;
  return "\"" + t + "\"";
}

std::string join(const json& list) {
  std::string out;
  for (const auto& v : list) out += (out.empty() ? "" : ", ") + quote(v.get<std::string>());
  return out;
}

const json& member(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) fail_input({where}, std::string("baseline: missing '") + key + "'");
  return *it;
}


Item add_item(RunProfile& a, std::string text, std::string head, std::uint64_t seq = 0) {
  Item item{text_hash(text), text_hash(head), seq};
  a.texts.emplace(item.hash, std::move(text));
  a.heads.emplace(item.head, std::move(head));
  return item;
}

// The items of lane that stand past a baseline's cap, split off into their count and digest.
struct Rest {
  std::size_t kinds = 0, items = 0;
  std::string sha256;
  std::uint64_t seq = 0;  // the first of them
};

std::string rest_text(std::size_t kinds, std::size_t items, bool counted) {
  std::string n = std::to_string(items) + (items == 1 ? " item" : " items");
  return counted ? std::to_string(kinds) + (kinds == 1 ? " kind, " : " kinds, ") + n : n;
}

// Judges this run's lane `name` against the baseline's lane l: a kept lane becomes A's (the
// diff compares it), a varying one is checked here for items never seen; either way this
// run's lane is first masked with the value noise the baseline learned, and what lies past
// the baseline's cap is compared by count and digest.
void judge_lane(const std::string& name, const json& l, RunProfile& a, RunProfile& b, std::size_t runs, const std::string& where,
                std::vector<Difference>& extra, std::vector<std::string>& notes) {
  Lane lane;
  lane.name = name;
  lane.kind = kind_of(member(l, "kind", where).get<std::string>(), where);
  lane.lines = l.value("lines", false);
  Lane* mine = nullptr;
  for (auto& x : b.lanes)
    if (x.name == name) mine = &x;
  if (mine) {
    std::unordered_set<std::uint64_t> want;
    for (const auto& it : mine->items) want.insert(it.hash);
    fetch_texts(b, want);
  }
  if (mine && l.contains("value_noise")) {
    std::vector<std::string> shapes = l["value_noise"].get<std::vector<std::string>>();
    std::unordered_map<std::uint64_t, std::uint64_t> canon_hash;  // the shapes tried once per distinct text
    for (auto& it : mine->items) {
      auto [known, fresh] = canon_hash.try_emplace(it.hash, it.hash);
      if (fresh) {
        const std::string& text = b.text(it.hash);
        const std::string& canon = canonical(text, shapes);
        if (&canon != &text) {
          known->second = text_hash(canon);
          b.texts.try_emplace(known->second, canon);
        }
      }
      it.hash = known->second;
    }
  }
  auto read_item = [&](const json& it) {
    std::string text = member(it, "text", where).get<std::string>();
    std::string head = it.value("head", text);
    return add_item(a, std::move(text), std::move(head));
  };

  if (l.value("varies", false)) {
    if (mine) {
      std::unordered_set<std::string> seen;
      for (const auto& it : member(l, "seen", where)) seen.insert(member(it, "text", where).get<std::string>());
      // A bounded baseline kept the first of the distinct items by text: past the last one kept,
      // an item it does not list may have been seen.
      std::string last;
      bool cut = l.contains("seen_rest");
      if (cut && !member(l, "seen", where).empty()) last = member(l, "seen", where).back()["text"].get<std::string>();
      std::vector<const Item*> novel;
      std::unordered_set<std::uint64_t> reported;
      std::size_t unjudged = 0;
      for (const auto& it : mine->items) {
        const std::string& text = b.text(it.hash);
        if (seen.count(text)) continue;
        if (cut && text > last) {
          ++unjudged;
          continue;
        }
        if (reported.insert(it.hash).second) novel.push_back(&it);
      }
      if (unjudged)
        notes.push_back(name + ": " + std::to_string(unjudged) + (unjudged == 1 ? " item" : " items") +
                        " past the " + std::to_string(seen.size()) + " distinct items the baseline keeps of this lane: not judged");
      if (!novel.empty()) {
        Difference d;
        d.layer = Layer::behaviour;
        d.where = name;
        d.rank = 10;
        d.seq_b = novel.front()->seq;
        d.message = std::to_string(novel.size()) + (novel.size() == 1 ? " item" : " items") + " never seen in the " +
                    std::to_string(runs) + " baseline runs (this lane varies between runs): " + quote(b.text(novel.front()->hash));
        for (const Item* it : novel) d.detail.push_back("+ " + b.text(it->hash));
        extra.push_back(std::move(d));
      }
    }
    std::erase_if(b.lanes, [&](const Lane& x) { return x.name == name; });
    return;
  }

  // Kept: the baseline's items, each counted item as often as it was seen.
  if (l.contains("counted")) {
    lane.kind = LaneKind::multiset;  // its order is not kept past the cap
    for (const auto& it : l["counted"]) {
      Item item = read_item(it);
      for (std::size_t k = member(it, "n", where).get<std::size_t>(); k > 0; --k) lane.items.push_back(item);
    }
  } else {
    for (const auto& it : member(l, "items", where)) lane.items.push_back(read_item(it));
  }
  if (l.contains("rest")) {
    const json& r = l["rest"];
    Rest theirs{r.value("kinds", std::size_t(0)), member(r, "items", where).get<std::size_t>(), member(r, "sha256", where).get<std::string>()};
    Rest ours;
    std::vector<std::string> texts;
    bool counted = l.contains("counted");
    if (mine && counted) {
      // Past the last kept text: tallied by text, digested as the baseline did.
      std::string last = lane.items.empty() ? std::string() : a.text(lane.items.back().hash);
      std::map<std::string, std::size_t> tally;
      std::vector<Item> kept;
      for (const auto& it : mine->items) {
        const std::string& text = b.text(it.hash);
        if (lane.items.empty() || text > last) {
          if (!ours.seq) ours.seq = it.seq;
          ++tally[text];
        } else {
          kept.push_back(it);
        }
      }
      for (const auto& [t, n] : tally) texts.push_back(t + "\t" + std::to_string(n)), ours.items += n;
      ours.kinds = tally.size();
      mine->items = std::move(kept);
    } else if (mine && mine->items.size() > lane.items.size()) {
      for (std::size_t k = lane.items.size(); k < mine->items.size(); ++k) texts.push_back(b.text(mine->items[k].hash));
      ours.seq = mine->items[lane.items.size()].seq;
      ours.items = texts.size();
      mine->items.resize(lane.items.size());
    }
    ours.sha256 = digest(texts);
    if (ours.items != theirs.items || ours.kinds != theirs.kinds || ours.sha256 != theirs.sha256) {
      Difference d;
      d.layer = Layer::behaviour;
      d.where = name;
      d.rank = 10;
      d.seq_b = ours.seq;
      d.message = std::string(counted ? "the items past the first " + std::to_string(lane.items.empty() ? 0 : l["counted"].size()) + " kinds (by text)"
                                      : "the items past the first " + std::to_string(lane.items.size())) +
                  " differ from the baseline's, which keeps only their count and SHA-256: " + rest_text(theirs.kinds, theirs.items, counted) +
                  " in the baseline, " + rest_text(ours.kinds, ours.items, counted) + " in this run";
      extra.push_back(std::move(d));
    }
  }
  if (l.contains("floating")) {
    // Order noise: the items that moved between the baseline's runs, on both sides, compared
    // as a multiset in a lane of their own; the others in order.
    std::unordered_set<std::uint64_t> moving;
    for (const auto& t : l["floating"]) moving.insert(text_hash(t.get<std::string>()));
    auto split = [&](Lane& from) {
      Lane moved{name + ", items whose order varies", LaneKind::multiset, from.lines, {}};
      std::vector<Item> stay;
      for (const auto& it : from.items) (moving.count(it.hash) ? moved.items : stay).push_back(it);
      from.items = std::move(stay);
      return moved;
    };
    a.lanes.push_back(split(lane));
    if (mine) {
      Lane moved = split(*mine);
      b.lanes.push_back(std::move(moved));  // mine may move: not used past here
    }
  }
  a.lanes.push_back(std::move(lane));
}
}  // namespace

json learn_baseline(const std::vector<ScenarioRuns>& scenarios, std::size_t max_items) {
  json doc = json::object();
  doc["format"] = "bbx-baseline";
  doc["version"] = kBaselineVersion;
  json list = json::object();
  for (const auto& s : scenarios)
    if (!s.journals.empty()) list[s.id] = learn_scenario(s, max_items);
  doc["scenarios"] = std::move(list);
  return doc;
}

json read_baseline(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) fail_input({file.string()}, "cannot read this baseline file");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    fail_input({file.string()}, std::string("not a baseline: not JSON (") + e.what() + ")");
  }
  if (!doc.is_object() || doc.value("format", "") != "bbx-baseline")
    fail_input({file.string()}, "not a baseline: expected \"format\": \"bbx-baseline\" (written by bbx run --baseline-out)");
  if (int v = doc.value("version", 0); v != 1 && v != kBaselineVersion)
    fail_input({file.string()}, "baseline version " + doc.value("version", json()).dump() + " is not supported (this bbx reads versions 1 to " +
                                    std::to_string(kBaselineVersion) + "): learn it again with bbx run --baseline-out");
  if (!doc.contains("scenarios") || !doc["scenarios"].is_object())
    fail_input({file.string()}, "not a baseline: 'scenarios' must be an object");
  return doc;
}

ScenarioDiff judge_run(const json& baseline, const std::string& source, const std::string& id,
                       const std::filesystem::path& journal, const BaselineOptions& options) {
  const json& scenarios = baseline.at("scenarios");
  auto found = scenarios.find(id);
  if (found == scenarios.end()) {
    ScenarioDiff d;
    d.id = id;
    d.a = source;
    d.b = journal.string();
    d.only_in_b = true;
    d.notes.push_back("the baseline has no runs of this scenario: learn it again with bbx run --repeat N --baseline-out");
    return d;
  }
  const json& base = *found;
  const std::string where = source + ": scenario '" + id + "'";
  try {
    const std::size_t runs = member(base, "runs", where).get<std::size_t>();
    RunProfile b = build_profile(journal);
    TemplateMiner miner;
    for (const auto& t : member(base, "templates", where)) miner.add_template(t.get<std::string>());
    const LineClusters clusters = learn_lines({&b}, miner);
    count_lines(b, miner, clusters);

    std::vector<Difference> extra;
    RunProfile a;
    a.id = id;
    a.journal = source;

    // Outcomes: kept ones compared by the diff, varying ones here.
    for (const auto& [k, o] : member(base, "outcomes", where).items()) {
      int rank = o.value("rank", 1);
      if (o.contains("value")) {
        a.outcomes[k] = Outcome{o["value"].get<std::string>(), 0, rank};
        continue;
      }
      auto it = b.outcomes.find(k);
      if (it == b.outcomes.end()) continue;
      const json& seen = member(o, "varies", where);
      if (std::find(seen.begin(), seen.end(), json(it->second.value)) == seen.end()) {
        Difference d;
        d.layer = Layer::behaviour;
        d.where = k;
        d.rank = rank;
        d.seq_b = it->second.seq;
        d.message = it->second.value + ", never seen in the " + std::to_string(runs) + " baseline runs (they saw " + join(seen) + ")";
        extra.push_back(std::move(d));
      }
      b.outcomes.erase(it);
    }

    // Lanes: kept ones rebuilt as A's, varying ones checked for items never seen.
    std::vector<std::string> notes;
    for (const auto& [name, l] : member(base, "lanes", where).items()) judge_lane(name, l, a, b, runs, where, extra, notes);

    // Layers 2 and 3 are judged against ranges and distributions, not one run's values.
    auto b_counts = std::move(b.counts);
    auto b_numbers = std::move(b.numbers);
    b.counts.clear();
    b.numbers.clear();
    ScenarioDiff out = diff_profiles(a, b, options.floors, Sides{"the baseline", "this run"});
    out.a = source;
    for (auto& d : extra) out.differences.push_back(std::move(d));
    for (auto& n : notes) out.notes.push_back(std::move(n));

    const json& counts = member(base, "counts", where);
    std::set<std::string> keys;
    for (const auto& [k, v] : counts.items()) keys.insert(k);
    for (const auto& [k, c] : b_counts) keys.insert(k);
    for (const auto& k : keys) {
      std::int64_t lo = 0, hi = 0;
      if (auto it = counts.find(k); it != counts.end()) {
        lo = member(*it, "min", where).get<std::int64_t>();
        hi = member(*it, "max", where).get<std::int64_t>();
      }
      auto mine = b_counts.find(k);
      std::int64_t n = mine == b_counts.end() ? 0 : mine->second.n;
      // A count that varied between the runs by k may vary by k more either way: a new run
      // falls outside the range of N runs by chance alone up to 2 times in N + 1.
      const std::int64_t slack = hi - lo;
      if (n >= lo - slack && n <= hi + slack) continue;
      Difference d;
      d.layer = Layer::counts;
      d.where = k;
      d.seq_b = mine == b_counts.end() ? 0 : mine->second.seq;
      d.a = double(n > hi ? hi : lo);
      d.b = double(n);
      d.unit = "count";
      std::string range = lo == hi ? std::to_string(lo) : std::to_string(lo) + ".." + std::to_string(hi);
      auto at = k.find(kLinesLike);
      if (at != std::string::npos && (hi == 0 || n == 0)) {
        d.rank = 0;
        d.where = k.substr(0, at);
        std::string t = k.substr(at + std::string(kLinesLike).size());
        d.message = hi == 0 ? "new kind of line " + t + " (" + std::to_string(n) + (n == 1 ? " line" : " lines") + ")"
                            : "kind of line gone: " + t + " (" + range + " in the baseline)";
      } else {
        d.rank = k.find(kLinesAtLevel) != std::string::npos ? 1 : 2;
        d.message = std::to_string(n) + ", outside the baseline's " + range + " (" + std::to_string(runs) + " runs" +
                    (slack ? ", give or take " + std::to_string(slack) : "") + ")";
      }
      out.differences.push_back(std::move(d));
    }

    if (runs < options.min_runs) {
      out.notes.push_back("the baseline has " + std::to_string(runs) + " run" + (runs == 1 ? "" : "s") +
                          " of this scenario, fewer than " + std::to_string(options.min_runs) +
                          ": numbers are not judged (learn with --repeat " + std::to_string(options.min_runs) + " or more)");
    } else {
      const json& numbers = member(base, "numbers", where);
      // A run on a busier (or idler) machine than the baseline's: its durations may stretch
      // (or shrink) by the ratio of the expected slowdowns (stats.hpp slowdown()).
      double slower = 1, faster = 1, learned_pressure = 0;
      if (auto it = base.find("cpu_pressure"); it != base.end() && b.cpu_pressure && options.floors.use_cpu_pressure) {
        learned_pressure = member(*it, "median", where).get<double>();
        slower = slowdown(*b.cpu_pressure, learned_pressure);
        faster = slowdown(learned_pressure, *b.cpu_pressure);
      }
      std::vector<std::string> spared;  // durations inside only with the interval stretched
      for (const auto& [k, x] : b_numbers) {
        auto it = numbers.find(k);
        if (it == numbers.end()) continue;  // what it measures is new: layer 1 says so
        Distribution dist;
        dist.n = member(*it, "n", where).get<std::size_t>();
        if (dist.n < 2) continue;
        dist.median = member(*it, "median", where).get<double>();
        dist.mad = member(*it, "mad", where).get<double>();
        dist.q1 = member(*it, "q1", where).get<double>();
        dist.q3 = member(*it, "q3", where).get<double>();
        dist.min = it->value("min", dist.median);
        dist.max = it->value("max", dist.median);
        Unit unit = unit_of(member(*it, "unit", where).get<std::string>(), where);
        // Durations, sizes and counts cannot be negative; a metric's value (Unit::value) can.
        const bool duration = unit == Unit::ns && x.elapsed;
        Judgement j = judge(dist, x.value, options.confidence, options.floors.absolute(unit), options.floors.relative,
                            unit != Unit::value, duration ? slower : 1, duration ? faster : 1);
        if (!j.outside) {
          if (j.outside_unwidened) spared.push_back(k);
          continue;
        }
        Difference d;
        d.layer = Layer::numbers;
        d.where = k;
        d.seq_b = x.seq;
        d.a = dist.median;
        d.b = x.value;
        d.unit = unit_name(unit);
        d.effect = j.effect;
        std::string u = d.unit;
        char conf[16], extra_text[96] = "";
        std::snprintf(conf, sizeof conf, "%g%%", options.confidence * 100);
        if (j.relative) std::snprintf(extra_text, sizeof extra_text, ", %+.0f%%", *j.relative * 100);
        std::string effect = j.effect ? ", effect " + [&] {
          char z[32];
          std::snprintf(z, sizeof z, "%+.1f", *j.effect);
          return std::string(z);
        }() + " sigma" : ", the baseline runs were all equal";
        d.message = format_number(x.value, u) + ", outside the " + conf + " interval " + format_number(j.low, u) + " .. " +
                    format_number(j.high, u) + " of " + std::to_string(dist.n) + " baseline runs (median " +
                    format_number(dist.median, u) + "; " + (j.delta >= 0 ? "+" : "-") + format_number(std::fabs(j.delta), u) +
                    extra_text + effect + ")";
        if (duration && (slower > 1.05 || faster > 1.05))
          d.message += "; " + busier_machine(*b.cpu_pressure, learned_pressure, slower, faster);
        d.rank = -int(std::min(1e6, std::fabs(j.effect.value_or(1e3)) * 1000));
        out.differences.push_back(std::move(d));
      }
      if (!spared.empty())
        out.notes.push_back(busier_machine(*b.cpu_pressure, learned_pressure, slower, faster) + ": " +
                            spared_durations(spared, "inside the interval only so"));
    }
    out.sort();
    return out;
  } catch (const json::exception& e) {
    fail_input({source}, "baseline of scenario '" + id + "' is malformed: " + e.what());
  }
}

}  // namespace bbx::compare
