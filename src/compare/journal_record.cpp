#include "compare/journal_record.hpp"

#include <optional>
#include <type_traits>
#include <vector>

#include "bbx/error.hpp"

namespace bbx::compare {

namespace {

// Reads one line into rec, its body parsed into storage that `mr` owns (valid until mr is
// released). Returns "" or what is wrong with the line.
std::string parse_record(std::string_view text, bj::parser& parser, bj::monotonic_resource& mr, bj::value& root, Record& rec) {
  static const bj::value no_body = bj::object();
  bj::error_code ec;
  parser.reset(bj::storage_ptr(&mr));
  parser.write(text.data(), text.size(), ec);  // the whole document: a cut one is an error
  if (ec) return "not JSON: " + ec.message();
  root = parser.release();
  if (!root.is_object()) return "not a JSON object";
  const auto& o = root.get_object();
  auto integer = [&](const bj::object& in, std::string_view key, auto& into) {
    const bj::value* v = in.if_contains(key);
    if (!v || !(v->is_int64() || v->is_uint64())) return false;
    into = static_cast<std::remove_reference_t<decltype(into)>>(v->is_int64() ? v->get_int64() : std::int64_t(v->get_uint64()));
    return true;
  };
  auto string = [&](const bj::object& in, std::string_view key, std::string& into) {
    const bj::value* v = in.if_contains(key);
    if (!v || !v->is_string()) return false;
    into.assign(v->get_string().data(), v->get_string().size());
    return true;
  };
  const bj::value* source = o.if_contains("source");
  if (!integer(o, "seq", rec.seq) || !integer(o, "t_ns", rec.t_ns) || !string(o, "type", rec.type) || !source ||
      !source->is_object() || !string(source->get_object(), "kind", rec.source.kind) ||
      !string(source->get_object(), "name", rec.source.name) || !integer(source->get_object(), "pid", rec.source.pid))
    return "not an event: seq, t_ns, source (kind, name, pid) and type are required";
  const bj::value* body = o.if_contains("body");
  rec.body = Val(body && body->is_object() ? body : &no_body);
  return "";
}

}  // namespace

journal::TailProblem for_each_record(const std::filesystem::path& path, const std::function<void(const Record&)>& fn) {
  bj::parser parser;
  std::vector<unsigned char> buffer(64 << 10);
  Record rec;
  std::optional<journal::TailProblem> bad;  // held until the next line shows it was not the last
  auto tail = journal::scan_lines(path, {}, [&](std::uint64_t, std::uint64_t line, std::string_view text) {
    if (bad) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    bj::monotonic_resource mr(buffer.data(), buffer.size());
    bj::storage_ptr storage(&mr);
    bj::value root(storage);  // parse_record moves the parsed tree in: the same storage
    if (auto what = parse_record(text, parser, mr, root, rec); !what.empty()) {
      bad = journal::TailProblem{line, what};
      return true;
    }
    fn(rec);
    return true;
  });
  if (bad && tail.line) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
  return bad ? *bad : tail;
}

}  // namespace bbx::compare
