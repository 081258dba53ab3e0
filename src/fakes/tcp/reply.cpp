#include "fakes/tcp/reply.hpp"

#include <stdexcept>

#include "fakes/tcp/framing.hpp"
#include "util/regex.hpp"

namespace bbx::fakes {

std::string fill_reply(std::string_view text, const std::vector<std::string>& groups) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    char next = text[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
    } else if (next >= '0' && next <= '9') {
      auto n = static_cast<std::size_t>(next - '0');
      if (n < groups.size()) out += groups[n];
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

TcpReplier::TcpReplier(const model::TcpFakeSpec& tcp) : tcp_(&tcp) {}

TcpReplyPlan TcpReplier::plan(std::string_view message) const {
  TcpReplyPlan p;
  const auto& replies = tcp_->replies;
  std::vector<std::string> groups;
  for (std::size_t i = 0; i < replies.size() && p.reply < 0; ++i) {
    const auto& r = replies[i];
    groups.assign(1, std::string(message));
    if (r.match) {
      util::RegexCaptures m;
      if (r.match->search(message, m) != util::RegexMatch::yes) continue;  // too complex: not this reply
      for (std::size_t g = 1; g < m.size(); ++g) groups.push_back(m[g] ? std::string(*m[g]) : std::string());
    } else if (!r.contains.empty() && message.find(r.contains) == std::string_view::npos) {
      continue;
    }
    p.reply = static_cast<int>(i);
  }
  if (p.reply < 0) return p;
  const auto& r = replies[static_cast<std::size_t>(p.reply)];
  p.fault = r.fault;
  p.delay = r.delay;
  if (r.fault == model::TcpFault::reset || r.fault == model::TcpFault::never) return p;  // nothing is sent
  p.text = fill_reply(r.reply, groups);
  if (p.text.empty()) return p;
  try {
    p.bytes = frame_outgoing(tcp_->framing, p.text);
  } catch (const std::length_error& e) {
    p.error = e.what();
  }
  return p;
}

const char* tcp_fault_name(model::TcpFault fault) {
  switch (fault) {
    case model::TcpFault::none: return "";
    case model::TcpFault::close: return "close";
    case model::TcpFault::reset: return "reset";
    case model::TcpFault::never: return "never";
  }
  return "";
}

}  // namespace bbx::fakes
