#include "report/plain_text.hpp"

#include "util/ansi.hpp"

namespace bbx::report {

std::string plain_text(std::string_view text) { return util::strip_ansi(text); }

ScenarioResult plain_result(const ScenarioResult& r) {
  ScenarioResult out = r;
  out.message = plain_text(r.message);
  for (auto& c : out.checks) {
    c.what = plain_text(c.what);
    c.expected = plain_text(c.expected);
    c.actual = plain_text(c.actual);
  }
  return out;
}

}  // namespace bbx::report
