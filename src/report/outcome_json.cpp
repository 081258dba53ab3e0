#include <stdexcept>

#include "bbx/outcome.hpp"

namespace bbx {

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::passed: return "passed";
    case Verdict::failed: return "failed";
    case Verdict::error: return "error";
    case Verdict::interrupted: return "interrupted";
    case Verdict::flaky: return "flaky";
  }
  return "error";
}

Verdict verdict_from_string(const std::string& s) {
  for (auto v : {Verdict::passed, Verdict::failed, Verdict::error, Verdict::interrupted, Verdict::flaky})
    if (to_string(v) == s) return v;
  throw std::invalid_argument("unknown verdict '" + s + "'");
}

std::string to_string(CheckKind k) {
  switch (k) {
    case CheckKind::expectation: return "expectation";
    case CheckKind::step: return "step";
    case CheckKind::readiness: return "readiness";
    case CheckKind::crash: return "crash";
    case CheckKind::timeout: return "timeout";
    case CheckKind::setup: return "setup";
  }
  return "expectation";
}

CheckKind check_kind_from_string(const std::string& s) {
  for (auto k : {CheckKind::step, CheckKind::readiness, CheckKind::crash, CheckKind::timeout, CheckKind::setup})
    if (to_string(k) == s) return k;
  return CheckKind::expectation;
}

nlohmann::json to_json(const ScenarioResult& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : r.checks)
    checks.push_back({{"what", c.what}, {"passed", c.passed}, {"expected", c.expected},
                      {"actual", c.actual}, {"where", c.where.to_string()}, {"evidence", c.evidence},
                      {"kind", to_string(c.kind)}});
  nlohmann::json resources = nlohmann::json::object();
  for (const auto& p : r.resources)
    resources[p.subject] = {{"max_rss_bytes", p.max_rss_bytes}, {"cpu_ms", p.cpu_ms}, {"max_fds", p.max_fds},
                            {"max_threads", p.max_threads}, {"samples", p.samples}};
  nlohmann::json j = {{"id", r.id}, {"name", r.name}, {"file", r.file}, {"verdict", to_string(r.verdict)},
                      {"isolation", r.isolation}, {"duration_ms", double(r.duration_ns) / 1e6},
                      {"message", r.message}, {"events", r.events}, {"dir", r.dir}, {"checks", checks},
                      {"resources", resources}};
  if (r.attempt != 1) j["attempt"] = r.attempt;
  return j;
}

static SourceLocation parse_location(const std::string& text) {
  // "path:line:col" (path may itself contain ':'; the last two fields are numbers).
  SourceLocation loc{text, 0, 0};
  auto c2 = text.rfind(':');
  if (c2 == std::string::npos || c2 == 0) return loc;
  auto c1 = text.rfind(':', c2 - 1);
  if (c1 == std::string::npos) return loc;
  try {
    loc.line = std::stoi(text.substr(c1 + 1, c2 - c1 - 1));
    loc.column = std::stoi(text.substr(c2 + 1));
    loc.path = text.substr(0, c1);
  } catch (const std::exception&) {
    loc = {text, 0, 0};
  }
  return loc;
}

ScenarioResult scenario_result_from_json(const nlohmann::json& j) {
  ScenarioResult r;
  r.id = j.at("id");
  r.name = j.at("name");
  r.file = j.at("file");
  r.verdict = verdict_from_string(j.at("verdict"));
  r.isolation = j.at("isolation");
  r.duration_ns = static_cast<std::int64_t>(j.at("duration_ms").get<double>() * 1e6);
  r.message = j.at("message");
  r.events = j.at("events");
  r.dir = j.at("dir");
  r.attempt = j.value("attempt", 1);
  for (const auto& c : j.at("checks"))
    r.checks.push_back({c.at("what"), c.at("passed"), c.at("expected"), c.at("actual"),
                        parse_location(c.at("where")), c.at("evidence"),
                        check_kind_from_string(c.value("kind", std::string()))});
  if (auto res = j.find("resources"); res != j.end())
    for (auto p = res->begin(); p != res->end(); ++p)
      r.resources.push_back({p.key(), p->at("max_rss_bytes"), p->at("cpu_ms"), p->at("max_fds"), p->at("max_threads"),
                             p->at("samples")});
  return r;
}

}  // namespace bbx
