#include "compare/journal_record.hpp"

#include <optional>
#include <type_traits>

#include "bbx/error.hpp"

namespace bbx::compare {

namespace {

// Reads one line into rec, its body a view into `line` (valid until line parses another).
// Returns "" or what is wrong with the line.
std::string parse_record(std::string_view text, JsonLine& line, Record& rec) {
  static const JsonNode no_body = [] {
    JsonNode n;
    n.kind = JsonNode::Kind::object;
    return n;
  }();
  if (auto what = line.parse(text); !what.empty()) return what;  // the whole document: a cut one is an error
  Val o = line.root();
  if (!o.is_object()) return "not a JSON object";
  auto integer = [&](Val in, std::string_view key, auto& into) {
    Val v = in[key];
    if (!v.is_integer()) return false;
    into = static_cast<std::remove_reference_t<decltype(into)>>(v.integer());
    return true;
  };
  auto string = [&](Val in, std::string_view key, std::string& into) {
    Val v = in[key];
    if (!v.is_string()) return false;
    into.assign(v.text());
    return true;
  };
  Val source = o["source"];
  if (!integer(o, "seq", rec.seq) || !integer(o, "t_ns", rec.t_ns) || !string(o, "type", rec.type) || !source.is_object() ||
      !string(source, "kind", rec.source.kind) || !string(source, "name", rec.source.name) ||
      !integer(source, "pid", rec.source.pid))
    return "not an event: seq, t_ns, source (kind, name, pid) and type are required";
  Val body = o["body"];
  rec.body = body.is_object() ? body : Val(&no_body);
  return "";
}

}  // namespace

journal::TailProblem for_each_record(const std::filesystem::path& path, const std::function<void(const Record&)>& fn) {
  JsonLine line;
  Record rec;
  std::optional<journal::TailProblem> bad;  // held until the next line shows it was not the last
  auto tail = journal::scan_lines(path, {}, [&](std::uint64_t, std::uint64_t number, std::string_view text) {
    if (bad) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    if (auto what = parse_record(text, line, rec); !what.empty()) {
      bad = journal::TailProblem{number, what};
      return true;
    }
    fn(rec);
    return true;
  });
  if (bad && tail.line) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
  return bad ? *bad : tail;
}

}  // namespace bbx::compare
