#include "fakes/metrics/journal_events.hpp"

#include <nlohmann/json.hpp>

#include "journal/deferred_body.hpp"
#include "util/json_text.hpp"

namespace bbx::fakes {

namespace {

journal::Journal::Pending pending(const std::string& fake, const journal::EventType& type, nlohmann::json body, std::uint64_t n) {
  body["n"] = n;
  return {{"fake", fake, 0}, type, std::move(body)};
}

}  // namespace

namespace {

// A number as nlohmann writes it (shortest round trip; "1.0" for an integral double), so the
// text parses back to the tree's value.
void append_double(util::TextBuffer& out, double v) { out.append(nlohmann::json(v).dump()); }

// statsd.datagram's body, kept as parsed (the receive thread's hot path builds no tree): its
// text is written in the tree's key order (nlohmann's, sorted), so a line is byte for byte
// what dumping tree() gives.
class DatagramBody final : public journal::DeferredBody {
 public:
  DatagramBody(const DatagramInfo& info, std::string_view raw, ParsedDatagram& parsed)
      : n_(info.n),
        from_(info.from),
        raw_(raw),
        samples_(std::move(parsed.samples)),
        events_(parsed.events.size()),
        checks_(parsed.checks.size()),
        errors_(parsed.errors.size()) {}

  nlohmann::json tree() const override {
    nlohmann::json d = nlohmann::json::object();
    d["n"] = n_;
    d["from"] = from_;
    d["raw"] = raw_;
    auto& samples = d["samples"] = nlohmann::json::array();
    for (const auto& s : samples_) samples.push_back(to_json(s));
    if (events_) d["events"] = events_;
    if (checks_) d["checks"] = checks_;
    if (errors_) d["errors"] = errors_;
    return d;
  }

  void append_text(util::TextBuffer& out) const override {
    out.push_back('{');
    auto count = [&](const char* key, std::uint64_t v) {
      if (!v) return;
      out.push_back('"');
      out.append(key);
      out.literal("\":");
      util::append_json_number(out, v);
      out.push_back(',');
    };
    count("checks", checks_);
    count("errors", errors_);
    count("events", events_);
    out.literal("\"from\":");
    util::append_json_string(out, from_);
    out.literal(",\"n\":");
    util::append_json_number(out, n_);
    out.literal(",\"raw\":");
    util::append_json_string(out, raw_);
    out.literal(",\"samples\":[");
    for (std::size_t i = 0; i < samples_.size(); ++i) {
      if (i) out.push_back(',');
      append_sample(out, samples_[i]);
    }
    out.literal("]}");
  }

 private:
  // to_json(MetricSample)'s object (parse.cpp), keys sorted.
  static void append_sample(util::TextBuffer& out, const MetricSample& s) {
    out.push_back('{');
    if (!s.container.empty()) {
      out.literal("\"container\":");
      util::append_json_string(out, s.container);
      out.push_back(',');
    }
    if (s.gauge_delta) out.literal("\"delta\":true,");
    out.literal("\"name\":");
    util::append_json_string(out, s.name);
    out.literal(",\"rate\":");
    append_double(out, s.rate);
    if (tags_need_pairs(s.tags)) {
      out.literal(",\"tag_pairs\":[");
      for (std::size_t i = 0; i < s.tags.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('[');
        util::append_json_string(out, s.tags[i].first);
        out.push_back(',');
        util::append_json_string(out, s.tags[i].second);
        out.push_back(']');
      }
      out.push_back(']');
    }
    out.literal(",\"tags\":[");
    for (std::size_t i = 0; i < s.tags.size(); ++i) {
      if (i) out.push_back(',');
      const auto& [k, v] = s.tags[i];
      util::append_json_string(out, v.empty() ? k : k + ':' + v);
    }
    out.push_back(']');
    if (s.timestamp) {
      out.literal(",\"timestamp\":");
      util::append_json_number(out, std::int64_t{*s.timestamp});
    }
    out.literal(",\"type\":");
    util::append_json_string(out, type_code(s.type));
    out.literal(",\"value\":");
    if (s.type == MetricType::set) util::append_json_string(out, s.set_value);
    else append_double(out, s.value);
    out.push_back('}');
  }

  std::uint64_t n_;
  std::string from_, raw_;
  std::vector<MetricSample> samples_;
  std::uint64_t events_, checks_, errors_;
};

}  // namespace

void datagram_events(const std::string& fake, const DatagramInfo& info, std::string_view raw, ParsedDatagram&& parsed,
                     std::vector<journal::Journal::Pending>& out) {
  auto body = std::make_shared<const DatagramBody>(info, raw, parsed);
  out.push_back({EventSource{"fake", fake, 0}, journal::ev::statsd_datagram, nullptr, nullptr, std::move(body)});
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
  if (auto pairs = body.find("tag_pairs"); pairs != body.end()) {  // a key holds ':'
    for (const auto& t : *pairs) s.tags.emplace_back(t.at(0).get<std::string>(), t.at(1).get<std::string>());
    return s;
  }
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
