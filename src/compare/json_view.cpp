#include "compare/json_view.hpp"

#include <algorithm>
#include <limits>

#include <boost/json/basic_parser_impl.hpp>
#include <nlohmann/json.hpp>

namespace bbx::compare {

namespace {

namespace bj = boost::json;
using Kind = JsonNode::Kind;

// The handler Boost.JSON's parser reports a line's values to: laid out flat in document order.
class Layout {
 public:
  static constexpr std::size_t max_object_size = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t max_array_size = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t max_key_size = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t max_string_size = std::numeric_limits<std::uint32_t>::max();

  void reset(std::vector<JsonNode>& nodes, std::string& chars, std::string_view input) {
    nodes_ = &nodes;
    chars_ = &chars;
    input_ = input;
    open_.clear();
    key_ = {};
    parts_ = 0;
  }

  bool on_document_begin(bj::error_code&) { return true; }
  bool on_document_end(bj::error_code&) { return true; }
  bool on_object_begin(bj::error_code&) { return open(Kind::object); }
  bool on_object_end(std::size_t n, bj::error_code&) { return close(n); }
  bool on_array_begin(bj::error_code&) { return open(Kind::array); }
  bool on_array_end(std::size_t n, bj::error_code&) { return close(n); }
  bool on_key_part(bj::string_view s, std::size_t, bj::error_code& ec) { return part(s, ec); }
  bool on_key(bj::string_view s, std::size_t n, bj::error_code& ec) { return whole(s, n, key_, ec); }
  bool on_string_part(bj::string_view s, std::size_t, bj::error_code& ec) { return part(s, ec); }
  bool on_string(bj::string_view s, std::size_t n, bj::error_code& ec) {
    std::string_view text;
    if (!whole(s, n, text, ec)) return false;
    push(Kind::string).text = text;
    return true;
  }
  bool on_number_part(bj::string_view, bj::error_code&) { return true; }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code&) {
    push(Kind::int64).int64 = i;
    return true;
  }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code&) {
    push(Kind::uint64).uint64 = u;
    return true;
  }
  bool on_double(double d, bj::string_view, bj::error_code&) {
    push(Kind::number).number = d;
    return true;
  }
  bool on_bool(bool b, bj::error_code&) {
    push(Kind::boolean).boolean = b;
    return true;
  }
  bool on_null(bj::error_code&) {
    push(Kind::null);
    return true;
  }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

 private:
  JsonNode& push(Kind kind) {
    JsonNode& n = nodes_->emplace_back();
    n.kind = kind;
    n.key = key_;
    key_ = {};
    return n;
  }
  bool open(Kind kind) {
    push(kind);
    open_.push_back(std::uint32_t(nodes_->size() - 1));
    return true;
  }
  bool close(std::size_t n) {
    JsonNode& c = (*nodes_)[open_.back()];
    c.size = std::uint32_t(n);
    c.span = std::uint32_t(nodes_->size() - open_.back());
    open_.pop_back();
    return true;
  }
  // A key or string that is all in one piece inside the line (no escapes: the parser hands
  // it over from the input itself) is viewed there, without a copy; one decoded from escapes
  // (in the parser's own buffer) or given in parts is copied into chars_.
  bool part(bj::string_view s, bj::error_code& ec) {
    parts_ += s.size();
    return append(s, ec);
  }
  bool whole(bj::string_view s, std::size_t n, std::string_view& into, bj::error_code& ec) {
    if (parts_ == 0 && s.data() >= input_.data() && s.data() + s.size() <= input_.data() + input_.size()) {
      into = std::string_view(s.data(), s.size());
      return true;
    }
    parts_ = 0;
    if (!append(s, ec)) return false;
    into = std::string_view(chars_->data() + chars_->size() - n, n);
    return true;
  }
  // Decoded text is never longer than its JSON, and chars_ holds the line's size: it does
  // not move, so the views into it stay valid. Were it ever to, the line fails to parse.
  bool append(bj::string_view s, bj::error_code& ec) {
    if (chars_->size() + s.size() > chars_->capacity()) {
      ec = bj::error::exception;
      return false;
    }
    chars_->append(s.data(), s.size());
    return true;
  }

  std::vector<JsonNode>* nodes_ = nullptr;
  std::string* chars_ = nullptr;
  std::string_view input_;           // the line: strings without escapes are viewed there
  std::vector<std::uint32_t> open_;  // the containers not yet closed
  std::string_view key_;             // the key of the next value
  std::size_t parts_ = 0;            // bytes of the key or string being given in parts
};

nlohmann::json tree(Val v) {
  if (v.absent()) return nullptr;
  if (v.is_string()) return std::string(v.text());
  if (v.is_bool()) return v.boolean();
  if (v.is_integer()) return v.integer();
  if (v.is_number()) return v.number();
  if (v.is_array()) {
    nlohmann::json a = nlohmann::json::array();
    for (Val e : v.elements()) a.push_back(tree(e));
    return a;
  }
  if (v.is_object()) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [key, value] : v.members()) o[std::string(key)] = tree(value);
    return o;
  }
  return nullptr;
}

}  // namespace

struct JsonLine::Parser {
  bj::basic_parser<Layout> p{bj::parse_options{}};
};

JsonLine::JsonLine() : parser_(std::make_unique<Parser>()) {}
JsonLine::~JsonLine() = default;

std::string JsonLine::parse(std::string_view text) {
  nodes_.clear();
  chars_.clear();
  chars_.reserve(text.size());
  parser_->p.reset();
  parser_->p.handler().reset(nodes_, chars_, text);
  bj::error_code ec;
  std::size_t n = parser_->p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = bj::error::extra_data;  // as boost::json::parser::write
  if (ec) {
    nodes_.clear();
    return "not JSON: " + ec.message();
  }
  return "";
}

namespace {

// The order members() gives: indices of the members (in document order) sorted by name,
// equal names in document order, only the last of equal names kept. Keys are short and
// mostly differ in their first bytes: compared inline, not by memcmp.
std::vector<std::uint32_t> member_order(const std::vector<const JsonNode*>& members) {
  std::vector<std::uint32_t> order(members.size());
  for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  auto before = [&](std::uint32_t x, std::uint32_t y) {
    std::string_view a = members[x]->key, b = members[y]->key;
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    return a.size() != b.size() ? a.size() < b.size() : x < y;
  };
  std::sort(order.begin(), order.end(), before);
  std::size_t kept = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (k + 1 == order.size() || members[order[k + 1]]->key != members[order[k]]->key) order[kept++] = order[k];
  order.resize(kept);
  return order;
}

// Objects of one kind repeat their names in one order (every http.request body), so the
// order is worked out once per shape: the last kShapes shapes of up to kShapeSize names,
// per thread (members() is called from both sides of a diff at once).
struct Shape {
  std::vector<std::string> keys;  // in document order
  std::vector<std::uint32_t> order;
};
constexpr std::size_t kShapes = 32, kShapeSize = 64;

const std::vector<std::uint32_t>& order_of(const std::vector<const JsonNode*>& members) {
  thread_local std::vector<Shape> shapes;
  thread_local std::size_t next = 0;  // the shape replaced when all are taken
  thread_local std::vector<std::uint32_t> uncached;
  for (const auto& shape : shapes) {
    if (shape.keys.size() != members.size()) continue;
    std::size_t k = 0;
    while (k < members.size() && shape.keys[k] == members[k]->key) ++k;
    if (k == members.size()) return shape.order;
  }
  if (members.size() > kShapeSize) return uncached = member_order(members);
  Shape shape;
  for (const auto* m : members) shape.keys.emplace_back(m->key);
  shape.order = member_order(members);
  if (shapes.size() < kShapes) return shapes.emplace_back(std::move(shape)).order;
  Shape& replaced = shapes[next++ % kShapes];
  replaced = std::move(shape);
  return replaced.order;
}

}  // namespace

std::vector<std::pair<std::string_view, Val>> Val::members() const {
  std::vector<std::pair<std::string_view, Val>> out;
  if (!is_object()) return out;
  thread_local std::vector<const JsonNode*> members;  // in document order
  members.clear();
  const JsonNode* c = v_ + 1;
  for (std::uint32_t k = 0; k < v_->size; ++k, c += c->span) members.push_back(c);
  const auto& order = order_of(members);
  out.reserve(order.size());
  for (auto k : order) out.emplace_back(members[k]->key, Val(members[k]));
  return out;
}

std::string Val::dump() const {
  if (!v_ || v_->kind == Kind::null) return "null";
  if (v_->kind == Kind::int64) return std::to_string(v_->int64);
  if (v_->kind == Kind::uint64) return std::to_string(v_->uint64);
  if (v_->kind == Kind::boolean) return v_->boolean ? "true" : "false";
  return tree(*this).dump();
}

std::string str(Val b, const char* key) {
  Val v = b[key];
  if (v.absent()) return "";
  return v.is_string() ? std::string(v.text()) : v.dump();
}

std::string_view view(Val b, const char* key) {
  Val v = b[key];
  return v.is_string() ? v.text() : std::string_view();
}

double num(Val b, const char* key) {
  Val v = b[key];
  return v.is_number() ? v.number() : 0.0;
}

bool flag(Val b, const char* key) {
  Val v = b[key];
  return v.is_bool() && v.boolean();
}

}  // namespace bbx::compare
