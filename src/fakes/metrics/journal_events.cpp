#include "fakes/metrics/journal_events.hpp"

#include <nlohmann/json.hpp>

namespace bbx::fakes {

namespace {

journal::Journal::Pending pending(const std::string& fake, const journal::EventType& type, nlohmann::json body, std::uint64_t n) {
  body["n"] = n;
  return {{"fake", fake, 0}, type, std::move(body)};
}

}  // namespace

void datagram_events(const std::string& fake, const DatagramInfo& info, std::string_view raw,
                     const ParsedDatagram& parsed, std::vector<journal::Journal::Pending>& out) {
  nlohmann::json d = nlohmann::json::object();
  d["n"] = info.n;
  d["from"] = info.from;
  d["raw"] = raw;
  auto& samples = d["samples"] = nlohmann::json::array();
  for (const auto& s : parsed.samples) samples.push_back(to_json(s));
  if (!parsed.events.empty()) d["events"] = parsed.events.size();
  if (!parsed.checks.empty()) d["checks"] = parsed.checks.size();
  if (!parsed.errors.empty()) d["errors"] = parsed.errors.size();
  out.push_back({{"fake", fake, 0}, journal::ev::statsd_datagram, std::move(d)});
  for (const auto& e : parsed.events) out.push_back(pending(fake, journal::ev::statsd_event, to_json(e), info.n));
  for (const auto& c : parsed.checks) out.push_back(pending(fake, journal::ev::statsd_service_check, to_json(c), info.n));
  for (const auto& e : parsed.errors) out.push_back(pending(fake, journal::ev::statsd_parse_error, to_json(e), info.n));
}

MetricSample sample_from_json(const nlohmann::json& body) {
  MetricSample s;
  s.name = body.at("name").get<std::string>();
  auto type = parse_type_code(body.at("type").get<std::string>());
  if (!type) throw nlohmann::json::other_error::create(501, "unknown metric type", &body);
  s.type = *type;
  if (s.type == MetricType::set) {
    s.set_value = body.at("value").get<std::string>();
  } else {
    s.value = body.at("value").get<double>();
  }
  s.rate = body.value("rate", 1.0);
  s.gauge_delta = body.value("delta", false);
  s.container = body.value("container", std::string());
  if (body.contains("timestamp")) s.timestamp = body.at("timestamp").get<std::int64_t>();
  for (const auto& t : body.value("tags", nlohmann::json::array())) {
    auto tag = t.get<std::string>();
    auto colon = tag.find(':');
    if (colon == std::string::npos) s.tags.emplace_back(tag, "");
    else s.tags.emplace_back(tag.substr(0, colon), tag.substr(colon + 1));
  }
  return s;
}

MetricAggregates aggregate_from_journal(const journal::EventLog& journal, std::string_view fake,
                                        std::uint64_t from_seq) {
  MetricAggregates out;
  ParsedDatagram errors;
  journal.for_each_of({journal::ev::statsd_datagram, journal::ev::statsd_parse_error}, from_seq, [&](const Event& e) {
    if (e.source.kind != "fake" || e.source.name != fake) return true;
    if (journal::ev::statsd_datagram.is(e.type))
      for (const auto& s : e.body.at("samples")) out.add(sample_from_json(s));
    if (journal::ev::statsd_parse_error.is(e.type)) {
      errors.clear();
      errors.errors.push_back({e.body.value("line", ""), e.body.value("reason", "")});
      out.add(errors);
    }
    return true;
  });
  return out;
}

std::uint64_t dropped_from_journal(const journal::EventLog& journal, std::string_view fake) {
  std::uint64_t total = 0;
  journal.for_each_of({journal::ev::statsd_loss}, 1, [&](const Event& e) {
    if (e.source.kind == "fake" && e.source.name == fake)
      total += e.body.value("dropped", std::uint64_t{0});
    return true;
  });
  return total;
}

}  // namespace bbx::fakes
