#include "report/plain_text.hpp"

#include "util/ansi.hpp"

namespace bbx::report {

std::string plain_text(std::string_view text) { return util::strip_ansi(text); }

CheckResult plain_check(const CheckResult& c) {
  CheckResult out = c;
  out.what = plain_text(c.what);
  out.expected = plain_text(c.expected);
  out.actual = plain_text(c.actual);
  return out;
}

ScenarioResult plain_result(const ScenarioResult& r) {
  ScenarioResult out = r;
  out.message = plain_text(r.message);
  for (auto& c : out.checks) c = plain_check(c);
  return out;
}

}  // namespace bbx::report
