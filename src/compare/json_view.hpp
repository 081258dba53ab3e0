// One journal line parsed for the comparison (JsonLine), and read-only views of its values
// (Val; absent: a null view) with the reads the profile builder makes. The comparison reads
// whole journals, so the line is not built into a tree of allocated values: Boost.JSON's
// parser (basic_parser, the same grammar, limits and error messages as boost::json::parse)
// reports each value to a handler that lays them out flat, in document order, in buffers
// reused from line to line; strings without escapes viewed in the line itself, the others
// decoded into one character buffer. That is about twice as fast as Boost.JSON's own tree
// (which checks every object for duplicate keys), itself about 5 times faster than
// nlohmann's. A duplicate key reads as its last value, as in Boost.JSON's tree. Views do not
// own: they are valid while the text given to parse() is, until the JsonLine parses another
// line or is destroyed. A JsonLine and its views are used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bbx::compare {

// One value of a parsed line. A container's children follow it directly, each followed by
// its own children: `span` is the number of values of its subtree, itself included, so its
// next sibling is `span` values further.
struct JsonNode {
  enum class Kind : std::uint8_t { null, boolean, int64, uint64, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::uint32_t size = 0;  // children of an array or object
  std::uint32_t span = 1;
  std::string_view key;    // its name in its object
  std::string_view text;   // a string's value (decoded)
  std::int64_t int64 = 0;
  std::uint64_t uint64 = 0;
  double number = 0;
};

class Val {
 public:
  Val() = default;
  explicit Val(const JsonNode* v) : v_(v) {}
  bool absent() const { return !v_; }
  bool is_string() const { return v_ && v_->kind == JsonNode::Kind::string; }
  bool is_number() const { return is_integer() || (v_ && v_->kind == JsonNode::Kind::number); }
  bool is_integer() const { return v_ && (v_->kind == JsonNode::Kind::int64 || v_->kind == JsonNode::Kind::uint64); }
  bool is_bool() const { return v_ && v_->kind == JsonNode::Kind::boolean; }
  bool is_array() const { return v_ && v_->kind == JsonNode::Kind::array; }
  bool is_object() const { return v_ && v_->kind == JsonNode::Kind::object; }
  std::string_view text() const { return v_->text; }
  double number() const {
    return v_->kind == JsonNode::Kind::int64    ? static_cast<double>(v_->int64)
           : v_->kind == JsonNode::Kind::uint64 ? static_cast<double>(v_->uint64)
                                                : v_->number;
  }
  long long integer() const { return v_->kind == JsonNode::Kind::int64 ? v_->int64 : static_cast<long long>(v_->uint64); }
  bool boolean() const { return v_->boolean; }
  // A member (absent when this is not an object or has none of that name; the last of
  // duplicates).
  Val operator[](std::string_view key) const {
    if (!is_object()) return {};
    const JsonNode* found = nullptr;
    const JsonNode* c = v_ + 1;
    for (std::uint32_t k = 0; k < v_->size; ++k, c += c->span)  // size and first byte before a memcmp call
      if (c->key.size() == key.size() && (key.empty() || c->key[0] == key[0]) && c->key == key) found = c;
    return Val(found);
  }
  bool contains(std::string_view key) const { return !(*this)[key].absent(); }
  std::size_t size() const { return is_array() || is_object() ? v_->size : 0; }
  // The i-th element of an array (i < size()).
  Val at(std::size_t i) const {
    const JsonNode* c = v_ + 1;
    for (std::size_t k = 0; k < i; ++k) c += c->span;
    return Val(c);
  }
  // The elements of an array (none for anything else).
  std::vector<Val> elements() const {
    std::vector<Val> out;
    if (!is_array()) return out;
    out.reserve(v_->size);
    const JsonNode* c = v_ + 1;
    for (std::uint32_t k = 0; k < v_->size; ++k, c += c->span) out.emplace_back(c);
    return out;
  }
  // Calls f(name, value) for each member of an object in document order, duplicates
  // included (nothing for anything else).
  template <class F>
  void for_each_member(F&& f) const {
    if (!is_object()) return;
    const JsonNode* c = v_ + 1;
    for (std::uint32_t k = 0; k < v_->size; ++k, c += c->span) f(c->key, Val(c));
  }
  // The members of an object sorted by name (the last of duplicates): the order nlohmann's
  // tree iterated them in, which identity texts (and baselines) keep.
  std::vector<std::pair<std::string_view, Val>> members() const;
  // JSON text as nlohmann::json::dump() writes it (numbers, strings, sorted objects).
  std::string dump() const;

 private:
  const JsonNode* v_ = nullptr;
};

// A line's JSON document, parsed into buffers kept from line to line.
class JsonLine {
 public:
  JsonLine();
  ~JsonLine();
  JsonLine(const JsonLine&) = delete;
  JsonLine& operator=(const JsonLine&) = delete;

  // Parses text (the whole of it: a cut document or anything after it is an error), which
  // must outlive the views of this parse (strings are viewed in it).
  // Returns "" or what is wrong ("not JSON: <Boost.JSON's message>"); on error root() is absent.
  std::string parse(std::string_view text);
  Val root() const { return nodes_.empty() ? Val() : Val(nodes_.data()); }

 private:
  struct Parser;
  std::vector<JsonNode> nodes_;
  std::string chars_;  // keys and strings decoded from escapes; reserved to the line's size, so views stay valid
  std::unique_ptr<Parser> parser_;
};

// A member as text: a string's value, anything else as dump() writes it; "" when absent.
std::string str(Val b, const char* key);
// A string member without a copy ("" when absent or not a string).
std::string_view view(Val b, const char* key);
// A number member (0 when absent or not a number); a boolean member (false likewise).
double num(Val b, const char* key);
bool flag(Val b, const char* key);

}  // namespace bbx::compare
