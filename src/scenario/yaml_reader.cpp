#include "scenario/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "util/byte_preview.hpp"
#include "util/text.hpp"
#include "util/units.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::scenario {

SourceLocation location_of(const YAML::Node& node, const std::string& path) {
  if (!node.IsDefined()) return {path, 0, 0};
  auto mark = node.Mark();
  if (mark.is_null()) return {path, 0, 0};
  return {path, mark.line + 1, mark.column + 1};
}

namespace {

// The first byte that is not part of well-formed UTF-8: its offset and its line and column.
struct InvalidByte {
  std::size_t offset;
  SourceLocation at;
};
std::optional<InvalidByte> first_invalid_utf8(const std::string& text, const std::string& path) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = util::utf8_sequence_length(text, i);
    if (n == 0) return InvalidByte{i, SourceLocation{path, line, column}};
    if (text[i] == '\n') {
      ++line;
      column = 0;
    }
    ++column;
    i += n;
  }
  return std::nullopt;
}

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// What a node holds once its aliases are expanded: values and bytes of scalar text, both
// saturating just past their limits.
struct Expanded {
  std::uint64_t values = 0, bytes = 0;
  void add(const Expanded& other) {
    values = std::min<std::uint64_t>(values + other.values, kMaxExpandedValues + 1);
    bytes = std::min<std::uint64_t>(bytes + other.bytes, kMaxExpandedBytes + 1);
  }
};

// An aliased node (`*name`) is the anchored node itself, at the anchor's mark: its totals are
// computed once and reused, so the walk stays linear in the file however the aliases nest.
// Fails at the first (innermost) mapping or list whose expansion is over a limit.
Expanded expanded(const YAML::Node& node, const std::string& path, std::map<std::pair<int, int>, Expanded>& known) {
  Expanded total{1, 0};
  if (node.IsScalar()) {
    total.bytes = node.Scalar().size();
    return total;
  }
  if (!node.IsMap() && !node.IsSequence()) return total;
  auto mark = node.Mark();
  if (!mark.is_null())
    if (auto it = known.find({mark.line, mark.column}); it != known.end()) return it->second;
  if (node.IsMap()) {
    for (const auto& kv : node) {
      total.add(expanded(kv.first, path, known));
      total.add(expanded(kv.second, path, known));
    }
  } else {
    for (const auto& item : node) total.add(expanded(item, path, known));
  }
  if (total.values > kMaxExpandedValues)
    fail_input(location_of(node, path), "more than " + util::grouped(kMaxExpandedValues) +
                                            " values once YAML aliases (*name) are expanded");
  if (total.bytes > kMaxExpandedBytes)
    fail_input(location_of(node, path), "more than " + util::grouped(kMaxExpandedBytes) +
                                            " bytes of text once YAML aliases (*name) are expanded");
  if (!mark.is_null()) known.emplace(std::pair{mark.line, mark.column}, total);
  return total;
}

// Where each document of text starts (its first node), from a parse that builds nothing.
// Not YAML::LoadAll: yaml-cpp 0.7 never gets past a ',' outside brackets (a document that
// starts where the one before it did, again and again), and LoadAll kept building those
// documents until memory ran out (`bbx validate` of a file holding "," ended in bad_alloc,
// exit 3). Such a document is a syntax error at the character it is stuck on.
std::vector<YAML::Mark> document_starts(const std::string& text, const std::string& path) {
  struct Starts final : YAML::EventHandler {
    std::vector<YAML::Mark> docs, nodes;
    bool want_node = false;
    void node(const YAML::Mark& m) {
      if (want_node) nodes.push_back(m);
      want_node = false;
    }
    void OnDocumentStart(const YAML::Mark& m) override {
      docs.push_back(m);
      want_node = true;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { node(m); }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { node(m); }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
      node(m);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
      node(m);
    }
    void OnMapEnd() override {}
  } starts;
  std::istringstream in(text);
  YAML::Parser parser(in);
  while (parser.HandleNextDocument(starts)) {
    const auto& docs = starts.docs;
    if (docs.size() >= 2 && docs.back().pos == docs[docs.size() - 2].pos) {
      const auto& at = docs.back();
      const char c = at.pos >= 0 && static_cast<std::size_t>(at.pos) < text.size() ? text[at.pos] : '?';
      fail_input({path, at.line + 1, at.column + 1}, std::string("YAML syntax: unexpected '") + c + "'");
    }
  }
  return starts.nodes;
}

}  // namespace

YAML::Node load_yaml_text(const std::string& text, const std::string& path) {
  if (auto bad = first_invalid_utf8(text, path)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad->offset]));
    fail_input(bad->at, std::string("invalid UTF-8 (byte ") + byte + "): a scenario file is UTF-8 text");
  }
  try {
    auto documents = document_starts(text, path);
    if (documents.size() > 1) {
      const auto& second = documents[1];
      fail_input({path, second.line + 1, second.column + 1},
                 "a second YAML document: a scenario file holds one document (" + std::to_string(documents.size()) +
                     " found, separated by '---'); put each scenario in a file of its own");
    }
    if (documents.empty()) return YAML::Node();
    YAML::Node document = YAML::Load(text);
    std::map<std::pair<int, int>, Expanded> known;
    expanded(document, path, known);
    return document;
  } catch (const YAML::ParserException& e) {
    // yaml-cpp 0.7 says "bad file" for its nesting limit (it reads text here, not a file).
    if (e.msg == YAML::ErrorMsg::BAD_FILE)
      fail_input({path, e.mark.line + 1, e.mark.column + 1},
                 "YAML nesting too deep: lists and mappings nest at most about 2,000 levels here");
    fail_input({path, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail_input({path}, std::string("cannot read file: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail_input({path}, std::string("cannot read file: it is ") + file_kind(st.st_mode));
  if (static_cast<std::uint64_t>(st.st_size) > kMaxYamlFileBytes)
    fail_input({path}, "file too big: " + util::grouped(static_cast<std::size_t>(st.st_size)) +
                           " bytes (a scenario file is at most " + util::grouped(kMaxYamlFileBytes) + " bytes)");
  std::string text;
  bool read = false;
  errno = 0;
  try {  // libstdc++'s filebuf throws on a read error (EIO from /proc/self/mem) whatever the mask
    std::ifstream in(path, std::ios::binary);
    if (in) {
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      read = !in.bad();
    }
  } catch (const std::exception&) {
  }
  if (!read) fail_input({path}, std::string("cannot read file: ") + std::strerror(errno ? errno : EIO));
  if (text.size() > kMaxYamlFileBytes) fail_input({path}, "file too big (a scenario file is at most " +
                                                              util::grouped(kMaxYamlFileBytes) + " bytes)");
  return load_yaml_text(text, path);
}

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& allowed) {
  std::string guess = util::closest_match(key, allowed);
  if (!guess.empty()) return "unknown key '" + key + "'; did you mean '" + guess + "'?";
  // A huge key is shown by its ends: the message stays readable and small.
  std::string shown = key.size() <= 120 ? "'" + key + "'" : util::byte_preview(key);
  return "unknown key " + shown + " (expected one of: " + util::join(allowed, ", ") + ")";
}

static const char* type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "null";
    default: return "nothing";
  }
}

std::string key_text(const YAML::Node& key, const std::string& path) {
  if (!key.IsScalar())
    fail_input(location_of(key, path), std::string("a key must be a name, got ") + type_name(key) +
                                           " (YAML's `? [...]` and `{...}: ...` keys are not used in scenario files)");
  return key.Scalar();
}

// "expect[0].log" -> "log": the kind of a list entry, as the messages name it.
static std::string kind_of(const std::string& what) { return what.substr(what.rfind('.') + 1); }

MapReader::MapReader(const YAML::Node& node, const std::string& path, std::string what,
                     std::vector<std::string> allowed)
    : node_(node), path_(path), what_(std::move(what)) {
  if (!node.IsMap())
    fail_input(location_of(node, path), what_ + ": expected a mapping, got " + type_name(node));
  std::set<std::string> seen;
  for (const auto& kv : node) {
    auto key = key_text(kv.first, path);
    if (!seen.insert(key).second)
      fail_input(location_of(kv.first, path), what_ + ": duplicate key '" + key + "'");
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known && key == "when" && what_.find('.') != std::string::npos && what_.find('[') != std::string::npos)
      fail_input(location_of(kv.first, path), what_ + ": 'when:' goes on the list entry, beside '" + kind_of(what_) +
                                                  ":', not inside it: `- {" + kind_of(what_) + ": {...}, when: {KEY: VALUE}}`");
    if (!known) fail_input(location_of(kv.first, path), what_ + ": " + unknown_key_message(key, allowed));
  }
}

bool MapReader::has(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return true;
  return false;
}

YAML::Node MapReader::node(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

SourceLocation MapReader::where() const { return location_of(node_, path_); }

SourceLocation MapReader::where(std::string_view key) const {
  auto n = node(key);
  return n.IsDefined() ? location_of(n, path_) : where();
}

std::string scalar_string(const YAML::Node& node, const std::string& path, const std::string& what) {
  if (!node.IsScalar())
    fail_input(location_of(node, path), what + ": expected a string, got " + type_name(node));
  return node.Scalar();
}

model::Template scalar_template(const YAML::Node& node, const std::string& path, const std::string& what) {
  return {scalar_string(node, path, what), location_of(node, path)};
}

std::string MapReader::required_string(std::string_view key) const {
  if (!has(key)) fail_input(where(), what_ + ": missing '" + std::string(key) + "'");
  return *string(key);
}

std::optional<std::string> MapReader::string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return scalar_string(node(key), path_, what_ + "." + std::string(key));
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto range = util::parse_count(*text);
  std::string label = what_ + "." + std::string(key);
  if (!range || range->min != range->max || range->not_equal)
    fail_input(where(key), label + ": expected an integer, got '" + *text + "'");
  if (range->min < min || range->min > max)
    fail_input(where(key), label + ": " + *text + " is out of range " + std::to_string(min) + ".." +
                               std::to_string(max));
  return range->min;
}

std::optional<model::IntField> MapReader::int_field(std::string_view key, std::int64_t min,
                                                    std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  std::string label = what_ + "." + std::string(key);
  auto text = text_template(key);
  if (text->text.find("${") != std::string::npos) return model::IntField{0, std::move(text), min, max, label};
  return model::IntField{*integer(key, min, max), std::nullopt, min, max, label};
}

std::optional<bool> MapReader::boolean(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  fail_input(where(key), what_ + "." + std::string(key) + ": expected true or false, got '" + *text + "'");
}

std::optional<model::Duration> MapReader::duration(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto d = util::parse_duration(*text);
  if (!d)
    fail_input(where(key), what_ + "." + std::string(key) + ": invalid duration '" + *text +
                               "' (use a number with a unit: 250ms, 2s, 1m)");
  return *d;
}

std::optional<model::Count> MapReader::count(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto r = util::parse_count(*text);
  if (!r)
    fail_input(where(key), what_ + "." + std::string(key) + ": invalid count '" + *text +
                               "' (use 3, '>= 1', '< 5' or 1..3)");
  return model::Count{r->min, r->max, r->not_equal, *text};
}

std::optional<model::Template> MapReader::text_template(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return scalar_template(node(key), path_, what_ + "." + std::string(key));
}

std::vector<std::string> MapReader::string_list(std::string_view key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  auto n = node(key);
  std::string label = what_ + "." + std::string(key);
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) fail_input(where(key), label + ": expected a list of strings");
  for (const auto& item : n) out.push_back(scalar_string(item, path_, label));
  return out;
}

}  // namespace bbx::scenario
