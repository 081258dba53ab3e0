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
  for (const auto& p : r.resources) {
    nlohmann::json o = {{"max_rss_bytes", p.max_rss_bytes}, {"cpu_ms", p.cpu_ms}, {"max_fds", p.max_fds},
                        {"max_threads", p.max_threads}, {"samples", p.samples}};
    auto put = [&o](const char* key, const auto& v) {
      if (v) o[key] = *v;
    };
    put("rss_peak_bytes", p.rss_peak_bytes);
    put("max_pss_bytes", p.max_pss_bytes);
    put("cpu_user_ms", p.cpu_user_ms);
    put("cpu_system_ms", p.cpu_system_ms);
    put("read_bytes", p.read_bytes);
    put("write_bytes", p.write_bytes);
    put("ctx_voluntary", p.ctx_voluntary);
    put("ctx_involuntary", p.ctx_involuntary);
    put("max_cpu_percent", p.max_cpu_percent);
    put("avg_cpu_percent", p.avg_cpu_percent);
    if (!p.accounting.empty()) o["accounting"] = p.accounting;
    resources[p.subject] = std::move(o);
  }
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
    for (auto p = res->begin(); p != res->end(); ++p) {
      ResourcePeaks peaks;
      peaks.subject = p.key();
      peaks.max_rss_bytes = p->at("max_rss_bytes");
      peaks.cpu_ms = p->at("cpu_ms");
      peaks.max_fds = p->at("max_fds");
      peaks.max_threads = p->at("max_threads");
      peaks.samples = p->at("samples");
      auto get = [&p](const char* key, auto& out) {
        if (auto it = p->find(key); it != p->end() && it->is_number()) out = it->get<typename std::decay_t<decltype(out)>::value_type>();
      };
      get("rss_peak_bytes", peaks.rss_peak_bytes);
      get("max_pss_bytes", peaks.max_pss_bytes);
      get("cpu_user_ms", peaks.cpu_user_ms);
      get("cpu_system_ms", peaks.cpu_system_ms);
      get("read_bytes", peaks.read_bytes);
      get("write_bytes", peaks.write_bytes);
      get("ctx_voluntary", peaks.ctx_voluntary);
      get("ctx_involuntary", peaks.ctx_involuntary);
      get("max_cpu_percent", peaks.max_cpu_percent);
      get("avg_cpu_percent", peaks.avg_cpu_percent);
      peaks.accounting = p->value("accounting", std::string());
      r.resources.push_back(std::move(peaks));
    }
  return r;
}

}  // namespace bbx
