// A scenario's own comparison rules (`compare:`): what `bbx diff` and baselines leave out
// and what they redact, applied after bbx's own normalisation (docs/comparing-runs.md).
// The runner journals them in scenario.begin, so a comparison uses the rules a run had.
#pragma once

#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// Leaves out of every comparison the events (or, with `field`, one field of them) that
// match every criterion given; at least one is given.
struct CompareIgnore {
  std::string type;     // event type, a glob ("output.line", "http.*"); "" any
  std::string source;   // source name (subject, fake, step label), a glob; "" any
  std::string field;    // a body field ("body", "headers.X-Request-Id"): only it is left out; "" the whole event
  std::string matches;  // regex searched in the event's normalised text; "" none
  SourceLocation where;
};

// Replaces every match of `pattern` (a regex) in compared text by `replace`, in which $0..$9
// are the match and its groups. Must be idempotent: the replacement must not match again.
struct CompareRedact {
  std::string pattern;
  std::string replace;
  SourceLocation where;
};

struct CompareRules {
  std::vector<CompareIgnore> ignore;
  std::vector<CompareRedact> redact;
  bool empty() const { return ignore.empty() && redact.empty(); }
};

}  // namespace bbx::model
