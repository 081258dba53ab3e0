#include "compare/difference.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bbx::compare {

const char* layer_name(Layer layer) {
  switch (layer) {
    case Layer::behaviour: return "behaviour";
    case Layer::counts: return "counts";
    case Layer::numbers: return "numbers";
  }
  return "?";
}

void ScenarioDiff::sort() {
  std::stable_sort(differences.begin(), differences.end(), [](const Difference& x, const Difference& y) {
    if (x.layer != y.layer) return x.layer < y.layer;
    return x.rank < y.rank;
  });
}

nlohmann::ordered_json to_json(const Difference& d) {
  nlohmann::ordered_json j;
  j["layer"] = layer_name(d.layer);
  j["where"] = d.where;
  j["message"] = d.message;
  j["detail"] = d.detail;
  j["seq_a"] = d.seq_a;
  j["seq_b"] = d.seq_b;
  if (d.a) j["a"] = *d.a;
  if (d.b) j["b"] = *d.b;
  if (!d.unit.empty()) j["unit"] = d.unit;
  if (d.effect) j["effect"] = *d.effect;
  return j;
}

nlohmann::ordered_json to_json(const ScenarioDiff& d) {
  nlohmann::ordered_json j;
  j["id"] = d.id;
  j["a"] = d.a;
  j["b"] = d.b;
  j["same"] = d.same();
  if (d.only_in_a) j["only_in"] = "a";
  if (d.only_in_b) j["only_in"] = "b";
  j["notes"] = d.notes;
  auto& list = j["differences"] = nlohmann::ordered_json::array();
  for (const auto& x : d.differences) list.push_back(to_json(x));
  return j;
}

std::string spared_durations(const std::vector<std::string>& keys, const std::string& how) {
  std::string out = std::to_string(keys.size()) + (keys.size() == 1 ? " duration " : " durations ") + how + ": ";
  for (std::size_t i = 0; i < keys.size() && i < 5; ++i) out += (i ? ", " : "") + keys[i];
  if (keys.size() > 5) out += ", ...";
  return out;
}

std::string format_number(double v, const std::string& unit) {
  char buf[64];
  double a = std::fabs(v);
  if (unit == "ns") {
    if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.3gs", v / 1e9);
    else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3gms", v / 1e6);
    else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%.3gus", v / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0fns", v);
  } else if (unit == "bytes") {
    if (a >= 1 << 30) std::snprintf(buf, sizeof buf, "%.3gGiB", v / (1 << 30));
    else if (a >= 1 << 20) std::snprintf(buf, sizeof buf, "%.3gMiB", v / (1 << 20));
    else if (a >= 1 << 10) std::snprintf(buf, sizeof buf, "%.3gKiB", v / (1 << 10));
    else std::snprintf(buf, sizeof buf, "%.0fB", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

}  // namespace bbx::compare
