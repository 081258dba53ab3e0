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
  auto integer = [&](Val v, auto& into) {
    if (!v.is_integer()) return false;
    into = static_cast<std::remove_reference_t<decltype(into)>>(v.integer());
    return true;
  };
  auto string = [&](Val v, std::string& into) {
    if (!v.is_string()) return false;
    into.assign(v.text());
    return true;
  };
  // One pass over the envelope and one over its source (a name given twice reads as its
  // last value, as Val::operator[] does), not a search per field.
  Val seq, t_ns, type, source, body, kind, name, pid;
  o.for_each_member([&](std::string_view key, Val v) {
    if (key == "seq") seq = v;
    else if (key == "t_ns") t_ns = v;
    else if (key == "type") type = v;
    else if (key == "source") source = v;
    else if (key == "body") body = v;
  });
  source.for_each_member([&](std::string_view key, Val v) {
    if (key == "kind") kind = v;
    else if (key == "name") name = v;
    else if (key == "pid") pid = v;
  });
  if (!integer(seq, rec.seq) || !integer(t_ns, rec.t_ns) || !string(type, rec.type) || !source.is_object() ||
      !string(kind, rec.source.kind) || !string(name, rec.source.name) || !integer(pid, rec.source.pid))
    return "not an event: seq, t_ns, source (kind, name, pid) and type are required";
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
