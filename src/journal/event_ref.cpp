#include "journal/event_ref.hpp"

#include <charconv>

namespace bbx::journal {

namespace {

// Reads the line's fixed envelope token by token; any surprise ends the reading (nullopt).
class Reader {
 public:
  explicit Reader(std::string_view line) : t_(line) {}

  bool literal(std::string_view s) {
    if (t_.substr(i_, s.size()) != s) return false;
    i_ += s.size();
    return true;
  }
  template <class Int>
  bool integer(Int& out) {
    auto [end, ec] = std::from_chars(t_.data() + i_, t_.data() + t_.size(), out);
    if (ec != std::errc()) return false;
    i_ = static_cast<std::size_t>(end - t_.data());
    return true;
  }
  // A string's content up to its closing quote, the opening quote already read; false when
  // it has an escape (the slow path decodes it).
  bool plain_string(std::string_view& out) {
    auto q = t_.find('"', i_);
    if (q == std::string_view::npos) return false;
    out = t_.substr(i_, q - i_);
    if (out.find('\\') != std::string_view::npos) return false;
    i_ = q + 1;
    return true;
  }
  bool fields(BodyRef& out) {
    std::size_t end = 0;
    auto b = BodyRef::over_prefix(t_.substr(i_), end);
    if (!b) return false;
    out = *b;
    i_ += end;
    return true;
  }
  bool object(std::string_view& out) {
    if (i_ >= t_.size() || t_[i_] != '{') return false;
    auto end = json_text::skip_value(t_, i_);
    if (end == std::string_view::npos) return false;
    out = t_.substr(i_, end - i_);
    i_ = end;
    return true;
  }
  bool at_end() const { return i_ == t_.size(); }

 private:
  std::string_view t_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<EventRef> event_ref_of_line(std::string_view line) {
  EventRef e;
  Reader r(line);
  std::string_view attrs;
  if (!(r.literal("{\"seq\":") && r.integer(e.seq) && r.literal(",\"t_ns\":") && r.integer(e.t_ns) &&
        r.literal(",\"wall\":\"") && r.plain_string(e.wall) && r.literal(",\"source\":{\"kind\":\"") &&
        r.plain_string(e.source.kind) && r.literal(",\"name\":\"") && r.plain_string(e.source.name) &&
        r.literal(",\"pid\":") && r.integer(e.source.pid) && r.literal("},\"type\":\"") && r.plain_string(e.type) &&
        r.literal(",\"body\":") && r.fields(e.body) && r.literal(",\"attrs\":") && r.object(attrs) && r.literal("}") &&
        r.at_end()))
    return std::nullopt;
  e.line = line;
  return e;
}

}  // namespace bbx::journal
