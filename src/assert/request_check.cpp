#include "assert/request_check.hpp"

#include <strings.h>

#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {
constexpr std::size_t kOthersShown = 5;
}

std::string describe(const model::RequestExpectation& spec) {
  return "request at fake '" + spec.fake + "': " + (spec.method.empty() ? "any method" : spec.method) + " " +
         (spec.path.empty() ? "any path" : spec.path);
}

bool RequestCheck::matches(const model::RequestExpectation& spec, const Event& e) {
  if (e.type != "http.request" || e.source.kind != "fake" || e.source.name != spec.fake) return false;
  const auto& method = e.body.value("method", std::string());
  if (!spec.method.empty() &&
      (method.size() != spec.method.size() || ::strcasecmp(method.c_str(), spec.method.c_str()) != 0))
    return false;
  return spec.path.empty() || util::glob_match(spec.path, e.body.value("path", std::string()));
}

bool RequestCheck::update(const journal::Journal& journal) {
  journal.for_each(next_seq_, [this](const Event& e) {
    next_seq_ = e.seq + 1;
    if (matches(spec_, e)) {
      ++count_;
      evidence_.push_back(e.seq);
    } else if (e.type == "http.request" && e.source.name == spec_.fake) {
      ++other_count_;
      if (others_.size() < kOthersShown)
        others_.push_back(e.body.value("method", std::string()) + " " + e.body.value("target", std::string()));
    }
    return true;
  });
  return spec_.count.contains(count_);
}

CheckResult RequestCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.passed = spec_.count.contains(count_);
  auto range = util::CountRange{spec_.count.min, spec_.count.max, spec_.count.not_equal};
  r.expected = range.describe() + " matching";
  r.actual = std::to_string(count_) + " matching";
  if (other_count_ > 0) {
    r.actual += "; " + std::to_string(other_count_) + " other request" + (other_count_ == 1 ? "" : "s") +
                " at '" + spec_.fake + "': " + util::join(others_, ", ") +
                (other_count_ > std::int64_t(others_.size()) ? ", ..." : "");
  }
  r.where = where;
  r.evidence = evidence_;
  return r;
}

}  // namespace bbx::assertions
