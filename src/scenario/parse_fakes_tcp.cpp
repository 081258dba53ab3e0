// Parsing the generic TCP fake: `tcp: {port, host, framing, max_message}` and the fake's
// `greeting:` and `replies:` (see docs/scenario-language.md, "Generic TCP").
#include "scenario/parse_fakes_tcp.hpp"

#include "scenario/choices.hpp"
#include "scenario/yaml_reader.hpp"
#include "scenario/patterns.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

const char* kFramingHelp = "expected 'line', {delimiter: TEXT} or {length_prefix: 1|2|4, endian: big|little}";

model::TcpFraming parse_framing(const MapReader& k) {
  auto node = k.node("framing");
  std::string what = k.what() + ".framing";
  model::TcpFraming f;
  if (node.IsScalar()) {
    auto text = node.as<std::string>();
    if (text != "line") {
      bool close = !util::closest_match(text, {"line"}).empty();
      fail_input(k.where("framing"), what + ": unknown framing '" + text + "'; " +
                                         (close ? std::string("did you mean 'line'?") : kFramingHelp));
    }
    return f;
  }
  if (!node.IsMap()) fail_input(k.where("framing"), what + ": " + kFramingHelp);
  MapReader m(node, k.path(), what, {"delimiter", "length_prefix", "endian"});
  if (m.has("delimiter") == m.has("length_prefix"))
    fail_input(m.where(), what + ": give 'delimiter' or 'length_prefix', not both or neither");
  if (m.has("delimiter")) {
    if (m.has("endian")) fail_input(m.where("endian"), what + ".endian: only with 'length_prefix'");
    f.kind = model::TcpFramingKind::delimiter;
    f.delimiter = *m.string("delimiter");
    if (f.delimiter.empty()) fail_input(m.where("delimiter"), what + ".delimiter: must not be empty");
    return f;
  }
  f.kind = model::TcpFramingKind::length_prefix;
  auto bytes = *m.integer("length_prefix", 1, 4);
  if (bytes == 3) fail_input(m.where("length_prefix"), what + ".length_prefix: expected 1, 2 or 4 (bytes), got 3");
  f.prefix_bytes = static_cast<int>(bytes);
  auto endian = m.string("endian").value_or("big");
  if (endian != "big" && endian != "little")
    fail_input(m.where("endian"), what + ".endian: expected 'big' or 'little', got '" + endian + "'");
  f.big_endian = endian == "big";
  return f;
}

model::TcpFault parse_tcp_fault(const MapReader& m) {
  static const std::vector<std::pair<std::string, model::TcpFault>> names = {
      {"close", model::TcpFault::close}, {"reset", model::TcpFault::reset}, {"never", model::TcpFault::never}};
  return parse_choice(m, "fault", names);
}

// The highest $N a reply template uses (0 when none).
unsigned highest_group(const std::string& reply) {
  unsigned high = 0;
  for (std::size_t i = 0; i + 1 < reply.size(); ++i) {
    if (reply[i] != '$') continue;
    if (reply[i + 1] == '$') ++i;
    else if (reply[i + 1] >= '0' && reply[i + 1] <= '9') high = std::max(high, unsigned(reply[i + 1] - '0'));
  }
  return high;
}

model::TcpReply parse_reply(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"match", "contains", "reply", "delay", "fault"});
  model::TcpReply r;
  r.where = m.where();
  if (m.has("match") && m.has("contains")) fail_input(m.where(), what + ": give 'match' or 'contains', not both");
  r.contains = m.string("contains").value_or("");
  if (auto re = m.string("match")) r.match = compile_pattern(*re, m.where("match"), what + ".match");
  r.reply = m.string("reply").value_or("");
  r.delay = m.duration("delay").value_or(model::Duration(0));
  if (m.has("fault")) r.fault = parse_tcp_fault(m);
  if (!m.has("reply") && !m.has("fault"))
    fail_input(m.where(), what + ": missing 'reply' (the bytes to send) or 'fault'");
  unsigned groups = r.match ? static_cast<unsigned>(r.match->group_count()) : 0;
  if (auto high = highest_group(r.reply); high > groups)
    fail_input(m.where("reply"), what + ".reply: uses $" + std::to_string(high) + " but 'match' has " +
                                     std::to_string(groups) + " group" + (groups == 1 ? "" : "s"));
  return r;
}

}  // namespace

void parse_tcp_options(const MapReader& k, model::TcpFakeSpec& tcp) {
  if (k.has("framing")) tcp.framing = parse_framing(k);
  if (auto b = k.string("max_message")) {
    auto bytes = util::parse_size(*b);
    if (!bytes || *bytes < 1 || *bytes > (64ull << 20))
      fail_input(k.where("max_message"), k.what() + ".max_message: expected a size between 1 and 64MiB, got '" + *b + "'");
    tcp.max_message = static_cast<std::size_t>(*bytes);
  }
}

void parse_tcp_script(const MapReader& m, model::TcpFakeSpec& tcp) {
  tcp.greeting = m.string("greeting").value_or("");
  const auto& framing = tcp.framing;
  if (framing.kind == model::TcpFramingKind::length_prefix) {
    const std::uint64_t limit = (std::uint64_t(1) << (8 * framing.prefix_bytes)) - 1;
    if (tcp.greeting.size() > limit)
      fail_input(m.where("greeting"), m.what() + ".greeting: " + std::to_string(tcp.greeting.size()) +
                                          " bytes do not fit a " + std::to_string(framing.prefix_bytes) +
                                          "-byte length prefix");
  }
  if (!m.has("replies")) return;
  auto replies = m.node("replies");
  if (!replies.IsSequence()) fail_input(m.where("replies"), m.what() + ".replies: expected a list");
  for (std::size_t i = 0; i < replies.size(); ++i)
    tcp.replies.push_back(parse_reply(replies[i], m.path(), m.what() + ".replies[" + std::to_string(i) + "]"));
}

}  // namespace bbx::scenario
