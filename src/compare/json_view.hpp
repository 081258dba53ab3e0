// A read-only view of a value of an event's body as Boost.JSON parsed it (absent: a null
// view), with the reads the profile builder makes: the comparison reads whole journals, and
// Boost.JSON parses a journal line about 5 times faster than nlohmann's tree (parsing was
// most of a profile's cost). Views do not own: the parsed tree must outlive them. Pure;
// a view is used by one thread at a time.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace bbx::compare {

namespace bj = boost::json;

class Val {
 public:
  Val() = default;
  explicit Val(const bj::value* v) : v_(v) {}
  bool absent() const { return !v_; }
  bool is_string() const { return v_ && v_->is_string(); }
  bool is_number() const { return v_ && v_->is_number(); }
  bool is_integer() const { return v_ && (v_->is_int64() || v_->is_uint64()); }
  bool is_bool() const { return v_ && v_->is_bool(); }
  bool is_array() const { return v_ && v_->is_array(); }
  bool is_object() const { return v_ && v_->is_object(); }
  std::string_view text() const {
    const auto& s = v_->get_string();
    return {s.data(), s.size()};
  }
  double number() const { return v_->to_number<double>(); }
  long long integer() const { return v_->is_int64() ? v_->get_int64() : static_cast<long long>(v_->get_uint64()); }
  bool boolean() const { return v_->get_bool(); }
  // A member (absent when this is not an object or has none of that name).
  Val operator[](std::string_view key) const {
    if (!is_object()) return {};
    return Val(v_->get_object().if_contains(key));
  }
  bool contains(std::string_view key) const { return !(*this)[key].absent(); }
  std::size_t size() const { return is_array() ? v_->get_array().size() : is_object() ? v_->get_object().size() : 0; }
  Val at(std::size_t i) const { return Val(&v_->get_array()[i]); }
  // The elements of an array (none for anything else).
  std::vector<Val> elements() const {
    std::vector<Val> out;
    if (is_array())
      for (const auto& e : v_->get_array()) out.emplace_back(&e);
    return out;
  }
  // The members of an object sorted by name: the order nlohmann's tree iterated them in,
  // which identity texts (and baselines) keep.
  std::vector<std::pair<std::string_view, Val>> members() const {
    std::vector<std::pair<std::string_view, Val>> out;
    if (!is_object()) return out;
    for (const auto& kv : v_->get_object()) out.emplace_back(std::string_view(kv.key().data(), kv.key().size()), Val(&kv.value()));
    // Keys are short and mostly differ in their first bytes: compared inline, not by memcmp.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      const std::size_t n = std::min(a.first.size(), b.first.size());
      for (std::size_t i = 0; i < n; ++i)
        if (a.first[i] != b.first[i]) return static_cast<unsigned char>(a.first[i]) < static_cast<unsigned char>(b.first[i]);
      return a.first.size() < b.first.size();
    });
    return out;
  }
  // JSON text as nlohmann::json::dump() writes it (numbers, strings, sorted objects).
  std::string dump() const;

 private:
  const bj::value* v_ = nullptr;
};

// A member as text: a string's value, anything else as dump() writes it; "" when absent.
std::string str(Val b, const char* key);
// A string member without a copy ("" when absent or not a string).
std::string_view view(Val b, const char* key);
// A number member (0 when absent or not a number); a boolean member (false likewise).
double num(Val b, const char* key);
bool flag(Val b, const char* key);

}  // namespace bbx::compare
