// The generic TCP fake's pure decision: which scripted reply answers a message and the
// bytes it sends. No I/O, so unit tests call it directly.
//
// Replies are tried in written order; the first whose `contains` (substring) or `match`
// (a regex compiled at load, searched anywhere in the raw message bytes) holds wins, a reply with
// neither matches everything, and a message no reply matches is not answered. The reply
// text is a template: $0 is the whole message, $1..$9 the regex's groups (an unmatched
// group gives ""), $$ a literal '$'; any other '$' stays as written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bbx/model/fakes.hpp"

namespace bbx::fakes {

struct TcpReplyPlan {
  int reply = -1;                           // index into TcpFakeSpec::replies; -1 = none matched
  std::string text;                         // the filled template, as the journal shows it
  std::string bytes;                        // what goes on the wire (framed: framing.hpp)
  model::TcpFault fault = model::TcpFault::none;
  model::Duration delay{0};
  std::string error;                        // the reply could not be framed; nothing is sent
};

// Fills $0..$9 and $$ from groups (groups[0] = the whole message).
std::string fill_reply(std::string_view text, const std::vector<std::string>& groups);

// plan() is const and reentrant. Keeps a reference to `tcp`. A message a reply's regex is
// too complex to decide does not select that reply.
class TcpReplier {
 public:
  explicit TcpReplier(const model::TcpFakeSpec& tcp);
  TcpReplyPlan plan(std::string_view message) const;

 private:
  const model::TcpFakeSpec* tcp_;
};

const char* tcp_fault_name(model::TcpFault fault);  // "" | close | reset | never

}  // namespace bbx::fakes
