#include "compare/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <unordered_set>

#include "bbx/error.hpp"
#include "compare/line_counts.hpp"
#include "compare/run_profile.hpp"
#include "compare/stats.hpp"

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

std::vector<std::uint64_t> hashes(const Lane* l) {
  std::vector<std::uint64_t> h;
  if (l)
    for (const auto& it : l->items) h.push_back(it.hash);
  return h;
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

json learn_scenario(const ScenarioRuns& runs) {
  std::vector<RunProfile> profiles;
  for (const auto& j : runs.journals) {
    profiles.push_back(build_profile(j));
    complete_texts(profiles.back());
  }
  std::vector<const RunProfile*> all;
  for (const auto& p : profiles) all.push_back(&p);
  TemplateMiner miner;
  learn_lines(all, miner);
  for (auto& p : profiles) count_lines(p, miner);
  const RunProfile& first = profiles.front();

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
  for (const auto& name : lane_names) {
    const Lane& s = *shape[name];
    LaneKind kind = s.kind;
    bool same = true, same_order = true;
    auto ref = hashes(first.lane(name));
    auto ref_sorted = ref;
    std::sort(ref_sorted.begin(), ref_sorted.end());
    for (const auto& p : profiles) {
      auto h = hashes(p.lane(name));
      if (h != ref) same_order = false;
      if (kind == LaneKind::sequence) {
        same = same && h == ref;
      } else {
        std::sort(h.begin(), h.end());
        same = same && h == ref_sorted;
      }
    }
    json lane = {{"kind", kind_name(kind)}, {"lines", s.lines}};
    if (same) {
      if (kind == LaneKind::multiset_ordered && !same_order) lane["kind"] = kind_name(LaneKind::multiset);  // order is noise
      json items = json::array();
      if (const Lane* l = first.lane(name))
        for (const auto& it : l->items) items.push_back(item_json(first, it));
      lane["items"] = std::move(items);
    } else {
      std::map<std::string, json> seen;  // by text: a sorted, duplicate-free list
      for (const auto& p : profiles)
        if (const Lane* l = p.lane(name))
          for (const auto& it : l->items) seen.try_emplace(p.text(it.hash), item_json(p, it));
      json list = json::array();
      for (auto& [t, j] : seen) list.push_back(std::move(j));
      lane["varies"] = true;
      lane["seen"] = std::move(list);
    }
    lanes[name] = std::move(lane);
  }
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
  return out;
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

}  // namespace

json learn_baseline(const std::vector<ScenarioRuns>& scenarios) {
  json doc = json::object();
  doc["format"] = "bbx-baseline";
  doc["version"] = kBaselineVersion;
  json list = json::object();
  for (const auto& s : scenarios)
    if (!s.journals.empty()) list[s.id] = learn_scenario(s);
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
  if (doc.value("version", 0) != kBaselineVersion)
    fail_input({file.string()}, "baseline version " + doc.value("version", json()).dump() + " is not supported (this bbx reads version " +
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
    learn_lines({&b}, miner);
    count_lines(b, miner);

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
    std::unordered_set<std::string> varying;
    for (const auto& [name, l] : member(base, "lanes", where).items()) {
      Lane lane;
      lane.name = name;
      lane.kind = kind_of(member(l, "kind", where).get<std::string>(), where);
      lane.lines = l.value("lines", false);
      if (!l.value("varies", false)) {
        for (const auto& it : member(l, "items", where)) {
          std::string text = member(it, "text", where).get<std::string>();
          std::string head = it.value("head", text);
          Item item{text_hash(text), text_hash(head), 0};
          a.texts.emplace(item.hash, std::move(text));
          a.heads.emplace(item.head, std::move(head));
          lane.items.push_back(item);
        }
        a.lanes.push_back(std::move(lane));
        continue;
      }
      varying.insert(name);
      const Lane* mine = b.lane(name);
      if (!mine) continue;
      std::unordered_set<std::string> seen;
      for (const auto& it : member(l, "seen", where)) seen.insert(member(it, "text", where).get<std::string>());
      std::unordered_set<std::uint64_t> want;
      for (const auto& it : mine->items) want.insert(it.hash);
      fetch_texts(b, want);
      std::vector<const Item*> novel;
      std::unordered_set<std::uint64_t> reported;
      for (const auto& it : mine->items)
        if (!seen.count(b.text(it.hash)) && reported.insert(it.hash).second) novel.push_back(&it);
      if (novel.empty()) continue;
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
    std::erase_if(b.lanes, [&](const Lane& l) { return varying.count(l.name) > 0; });

    // Layers 2 and 3 are judged against ranges and distributions, not one run's values.
    auto b_counts = std::move(b.counts);
    auto b_numbers = std::move(b.numbers);
    b.counts.clear();
    b.numbers.clear();
    ScenarioDiff out = diff_profiles(a, b, options.floors, Sides{"the baseline", "this run"});
    out.a = source;
    for (auto& d : extra) out.differences.push_back(std::move(d));

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
      if (n >= lo && n <= hi) continue;
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
        d.message = std::to_string(n) + ", outside the baseline's " + range + " (" + std::to_string(runs) + " runs)";
      }
      out.differences.push_back(std::move(d));
    }

    if (runs < options.min_runs) {
      out.notes.push_back("the baseline has " + std::to_string(runs) + " run" + (runs == 1 ? "" : "s") +
                          " of this scenario, fewer than " + std::to_string(options.min_runs) +
                          ": numbers are not judged (learn with --repeat " + std::to_string(options.min_runs) + " or more)");
    } else {
      const json& numbers = member(base, "numbers", where);
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
        Judgement j = judge(dist, x.value, options.confidence, options.floors.absolute(unit), options.floors.relative,
                            unit != Unit::value);
        if (!j.outside) continue;
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
        d.rank = -int(std::min(1e6, std::fabs(j.effect.value_or(1e3)) * 1000));
        out.differences.push_back(std::move(d));
      }
    }
    out.sort();
    return out;
  } catch (const json::exception& e) {
    fail_input({source}, "baseline of scenario '" + id + "' is malformed: " + e.what());
  }
}

}  // namespace bbx::compare
