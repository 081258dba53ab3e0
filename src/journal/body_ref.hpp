// A read-only view of the top-level fields of one event's body (a JSON object), over either
// a parsed tree (an Event's body) or the body's compact text in an events.jsonl line. The
// views format millions of stored events: reading the few fields a summary needs straight
// from the line's text, without building a tree of the whole body (HTTP headers, request
// bodies), is what keeps them fast. Both forms answer every question the same way for a
// body the journal's writer wrote (compact JSON, nlohmann's dump or a DeferredBody).
//
// Not owning: the tree or the text must outlive the view. Never throws for the text form;
// the tree form throws what nlohmann throws when asked to dump invalid UTF-8 (as before).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bbx::journal {

class BodyRef {
 public:
  BodyRef() = default;  // an empty object
  BodyRef(const nlohmann::json& tree) : tree_(&tree) {}  // NOLINT: implicit, an Event's body
  BodyRef(const BodyRef& other) { *this = other; }
  BodyRef& operator=(const BodyRef& other);
  // Over one JSON object's compact text (`{"k":v,...}`, no whitespace between tokens). nullopt
  // when the text is not such an object or has more than kMaxFields fields: parse it instead.
  static std::optional<BodyRef> over_text(std::string_view object);
  // The same over the object at the start of text (more may follow it); end is set to the
  // offset after it.
  static std::optional<BodyRef> over_prefix(std::string_view text, std::size_t& end);

  static constexpr std::size_t kMaxFields = 40;

  // Whether the key is there (with any value, null too).
  bool has(std::string_view key) const;
  // A string's content; any other value as its compact JSON text; fallback when absent or null.
  std::string str(std::string_view key, std::string_view fallback = {}) const;
  // A number (truncated to an integer); fallback when absent or not a number.
  std::int64_t num(std::string_view key, std::int64_t fallback = 0) const;
  double real(std::string_view key, double fallback = 0) const;
  // true only for the value true.
  bool flag(std::string_view key) const;
  // The value at key when it is an object.
  std::optional<BodyRef> object(std::string_view key) const;
  // The elements of the array at key: strings as their content, others as JSON text. Empty
  // when absent, null or not an array.
  std::vector<std::string> items(std::string_view key) const;
  // The non-negative integers of the array at key, in order (other elements are passed over).
  std::vector<std::uint64_t> unsigned_items(std::string_view key) const;
  // The whole object as compact JSON text ("{}" for a null tree). The text form gives its
  // text as written (the writer's key order).
  std::string json() const;

 private:
  struct Field {
    std::string_view key;    // as written, without quotes (lookups use plain keys)
    std::string_view value;  // the value's JSON text
  };
  std::optional<std::string_view> value_text(std::string_view key) const;

  const nlohmann::json* tree_ = nullptr;
  std::string_view text_;
  std::size_t count_ = 0;
  Field fields_[kMaxFields];
};

// JSON value texts of the journal's compact form (used by BodyRef and the line reader).
namespace json_text {
// The end (one past) of the value starting at text[at]; npos when it is not one.
std::size_t skip_value(std::string_view text, std::size_t at);
// The content of a string value's text (with its quotes), escapes decoded.
std::string decode_string(std::string_view quoted);
}  // namespace json_text

}  // namespace bbx::journal
