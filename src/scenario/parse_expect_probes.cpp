// Parsing the probe-backed expectation kinds: log, listening, process, file.
#include <algorithm>
#include <cctype>

#include "scenario/text_matchers.hpp"
#include "scenario/event_windows.hpp"
#include "scenario/expect_kinds.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

namespace {

const model::Count kAtLeastOne{1, INT64_MAX, std::nullopt, ">= 1"};
const model::Count kNone{0, 0, std::nullopt, "0"};

std::string one_of(const MapReader& m, std::string_view key, const std::string& fallback,
                   const std::vector<std::string>& allowed) {
  auto v = m.string(key).value_or(fallback);
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail_input(m.where(key), m.what() + "." + std::string(key) + ": expected one of " + list + ", got '" + v + "'");
  }
  return v;
}

// count / absent (mutually exclusive), default fallback.
model::Count count_or_absent(const MapReader& m, const model::Count& fallback) {
  if (m.has("count") && m.has("absent")) fail_input(m.where("absent"), m.what() + ": give 'count' or 'absent', not both");
  if (m.boolean("absent").value_or(false)) return kNone;
  return m.count("count").value_or(fallback);
}

bool is_hex(const std::string& s, std::size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string digest_at(const MapReader& m, std::string_view key, std::size_t len) {
  auto v = m.string(key);
  if (!v) return "";
  if (!is_hex(*v, len))
    fail_input(m.where(key), m.what() + "." + std::string(key) + ": expected " + std::to_string(len) +
                                 " hex digits, got '" + *v + "'");
  std::string lower = *v;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

// A user or group: a name or a numeric id (YAML may give either as a scalar).
std::string id_at(const MapReader& m, std::string_view key) {
  auto v = m.string(key).value_or("");
  if (m.has(key) && v.empty()) fail_input(m.where(key), m.what() + "." + std::string(key) + ": must not be empty");
  return v;
}

}  // namespace

model::Expectation parse_log(const MapReader& m) {
  model::LogExpectation l;
  l.subject = m.string("subject").value_or("");
  l.file = m.string("file").value_or("");
  if (l.subject.empty() == l.file.empty()) fail_input(m.where(), m.what() + ": give 'subject' or 'file' (one of them)");
  if (!l.file.empty() && m.has("stream"))
    fail_input(m.where("stream"), m.what() + ": 'stream' applies to a subject's output, not to a file");
  l.stream = one_of(m, "stream", "both", {"stdout", "stderr", "both"});
  l.match = text_match(m);
  if (m.has("errors")) l.errors = regex_at(m, "errors");
  if (m.has("only")) {
    if (!l.errors) fail_input(m.where("only"), m.what() + ": 'only' needs 'errors' (the regex that marks error lines)");
    auto node = m.node("only");
    std::string label = m.what() + ".only";
    if (!node.IsSequence()) fail_input(m.where("only"), label + ": expected a list of regexes");
    for (std::size_t i = 0; i < node.size(); ++i)
      l.only.push_back(checked_regex(scalar_string(node[i], m.path(), label), location_of(node[i], m.path()), label));
  }
  if (!l.match && !l.errors) fail_input(m.where(), m.what() + ": give 'matches', 'contains' or 'errors'");
  if (l.errors && (l.match || m.has("count") || m.has("absent")))
    fail_input(m.where("errors"), m.what() + ": 'errors' checks every error line; it takes no 'matches'/'contains'/'count'");
  l.count = count_or_absent(m, kAtLeastOne);
  if (!l.file.empty() && m.has("during")) fail_input(m.where("during"), m.what() + ": 'during' applies to a subject's output, not to a file");
  return {l, m.duration("within"), m.where(), parse_window(m)};
}

model::Expectation parse_listening(const MapReader& m) {
  model::ListeningExpectation l;
  l.subject = m.string("subject").value_or("");
  l.nothing = m.boolean("nothing").value_or(false);
  if (m.has("only")) {
    l.only = m.string_list("only");
    if (l.only.empty()) fail_input(m.where("only"), m.what() + ".only: expected a non-empty list of addresses");
    for (auto& a : l.only)
      if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);  // "[::1]" -> "::1"
  }
  bool whole_subject = l.nothing || !l.only.empty();
  if (l.nothing && !l.only.empty()) fail_input(m.where("only"), m.what() + ": give 'nothing' or 'only', not both");
  if (whole_subject && l.subject.empty())
    fail_input(m.where(), m.what() + ": '" + std::string(l.nothing ? "nothing" : "only") + "' needs 'subject'");
  for (const char* key : {"address", "absent"})
    if (whole_subject && m.has(key))
      fail_input(m.where(key), m.what() + ": '" + key + "' does not go with '" + (l.nothing ? "nothing" : "only") + "'");
  if (!m.has("port") && !whole_subject)
    fail_input(m.where(), m.what() + ": missing 'port' (or 'nothing: true' / 'only: [ADDRESS, ...]' for every port)");
  l.port = m.int_field("port", 1, 65535);
  l.proto = one_of(m, "proto", "tcp", {"tcp", "udp"});
  l.address = m.string("address").value_or("");
  l.listening = !m.boolean("absent").value_or(false);
  return {l, m.duration("within"), m.where(), std::nullopt};
}

model::Expectation parse_process(const MapReader& m) {
  model::ProcessExpectation p;
  p.subject = m.required_string("subject");
  p.name = m.string("name").value_or("");
  if (m.has("cmdline")) p.cmdline = regex_at(m, "cmdline");
  if (m.has("count") && m.has("running")) fail_input(m.where("running"), m.what() + ": give 'count' or 'running', not both");
  p.count = m.count("count").value_or(m.boolean("running").value_or(true) ? kAtLeastOne : kNone);
  p.user = id_at(m, "user");
  p.threads = m.count("threads");
  p.zombies = m.count("zombies");
  p.count_set = !p.zombies || m.has("count") || m.has("running") || m.has("user") || m.has("threads");
  return {p, m.duration("within"), m.where(), std::nullopt};
}

model::Expectation parse_file(const MapReader& m) {
  model::FileExpectation f;
  f.path = m.required_string("path");
  f.exists = m.boolean("exists").value_or(true);
  if (auto mode = m.string("mode")) {
    std::size_t used = 0;
    unsigned long v = 0;
    try { v = std::stoul(*mode, &used, 8); } catch (const std::exception&) { used = 0; }
    if (used != mode->size() || v > 07777)
      fail_input(m.where("mode"), m.what() + ".mode: expected octal permission bits such as 0644, got '" + *mode + "'");
    f.mode = static_cast<unsigned>(v);
  }
  f.owner = id_at(m, "owner");
  f.group = id_at(m, "group");
  f.size = m.count("size");
  f.sha256 = digest_at(m, "sha256", 64);
  f.sha1 = digest_at(m, "sha1", 40);
  f.md5 = digest_at(m, "md5", 32);
  f.equals = m.string("equals");
  f.match = text_match(m);
  f.json_path = m.string("json").value_or("");
  f.yaml_path = m.string("yaml").value_or("");
  if (!f.json_path.empty() && !f.yaml_path.empty()) fail_input(m.where("yaml"), m.what() + ": give 'json' or 'yaml', not both");
  f.value = m.string("value");
  if (f.value.has_value() == (f.json_path.empty() && f.yaml_path.empty()))
    fail_input(m.where(), m.what() + ": 'json'/'yaml' (a path in the file) and 'value' go together");
  bool content = f.mode || !f.owner.empty() || !f.group.empty() || f.size || !f.sha256.empty() || !f.sha1.empty() || !f.md5.empty() || f.equals || f.match || f.value;
  if (!f.exists && content) fail_input(m.where("exists"), m.what() + ": a file expected absent has no contents to check");
  return {f, m.duration("within"), m.where(), std::nullopt};
}

}  // namespace bbx::scenario
