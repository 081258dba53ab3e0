#include "assert/body_check.hpp"

#include "assert/text_match.hpp"
#include "util/byte_preview.hpp"

namespace bbx::assertions {

namespace {

using Kind = model::JsonExpectation::Kind;

// Bytes of the body quoted in a failure: its first and last, with what is left out between.
constexpr std::size_t kBodyHead = 160, kBodyTail = 40;
// A JSON value quoted in a failure is cut beyond this many bytes of its text.
constexpr std::size_t kValueShown = 120;

std::string body_preview(const std::string& body) {
  return "body (" + util::grouped(body.size()) + " bytes): " + util::byte_preview(body, kBodyHead, kBodyTail);
}

std::string json_text(const nlohmann::json& v) {
  auto text = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() <= kValueShown) return text;
  return text.substr(0, kValueShown) + "… (" + util::grouped(text.size()) + " bytes)";
}

std::string kind_of(const nlohmann::json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  return "a number";
}

// Why there is no value at `pointer`: the deepest prefix that has one and what it is.
std::string no_value(const nlohmann::json& doc, const std::string& pointer) {
  const nlohmann::json* at = &doc;
  std::string path;
  std::size_t pos = 1;
  while (pos <= pointer.size()) {
    auto next = pointer.find('/', pos);
    auto token = pointer.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    std::string key;  // ~1 is '/', ~0 is '~' (RFC 6901; the pointer was checked at load)
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) key += token[++i] == '1' ? '/' : '~';
      else key += token[i];
    }
    std::string where = path.empty() ? "the body" : path;
    if (at->is_object()) {
      auto it = at->find(key);
      if (it == at->end()) {
        std::string keys;
        std::size_t n = 0;
        for (auto k = at->begin(); k != at->end() && n < 10; ++k, ++n) keys += (n ? ", " : "") + json_text(k.key());
        if (at->size() > 10) keys += ", ...";
        return where + " has no key " + json_text(key) + (keys.empty() ? " (it is {})" : " (its keys: " + keys + ")");
      }
      at = &*it;
    } else if (at->is_array()) {
      std::size_t index = 0;
      bool number = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos &&
                    (token.size() == 1 || token[0] != '0') && token.size() < 19;
      if (number) index = std::stoull(token);
      if (!number || index >= at->size())
        return where + " is an array of " + std::to_string(at->size()) + " element" + (at->size() == 1 ? "" : "s") +
               (number ? "" : ", and '" + token + "' is no index");
      at = &(*at)[index];
    } else {
      return where + " is " + kind_of(*at) + " (" + json_text(*at) + "), not an object or array";
    }
    path += "/" + token;
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return "no value";  // not reached: the pointer resolved
}

std::string expected_of(const model::JsonExpectation& spec, const std::string& expected_text) {
  switch (spec.kind) {
    case Kind::equals: return spec.text ? json_text(expected_text) : spec.value;
    case Kind::match: return describe(*spec.match);
    case Kind::present: return "present";
    case Kind::absent: return "absent";
  }
  return "";
}

}  // namespace

BodyVerdict check_body_contains(const std::string& text, const std::string& body) {
  BodyVerdict v;
  v.expected = "contains " + json_text(text);
  v.passed = body.find(text) != std::string::npos;
  if (!v.passed) v.actual = "not in the " + body_preview(body);
  return v;
}

BodyVerdict check_body_matches(const model::TextMatch& regex, const std::string& body) {
  BodyVerdict v;
  v.expected = describe(regex);
  Matcher matches(regex);
  auto r = matches.match(body);
  v.passed = r == util::RegexMatch::yes;
  if (!v.passed)
    v.actual = (r == util::RegexMatch::too_complex ? "undecided: /" + regex.pattern +
                                                         "/ is too complex for it (a matching limit was reached); "
                                                   : std::string("no match in the ")) +
               body_preview(body);
  return v;
}

JsonBody::JsonBody(const std::string& body) : body_(body) {
  try {
    parsed_ = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 1: why"
    auto at = what.find(": ", what.find("parse error"));
    error_ = "not JSON: byte " + std::to_string(e.byte) + ": " + (at == std::string::npos ? what : what.substr(at + 2));
  } catch (const nlohmann::json::out_of_range& e) {  // a number nlohmann cannot hold ("1e400"): not an exit 3
    std::string what = e.what();  // "[json.exception.out_of_range.406] number overflow parsing '1e400'"
    auto at = what.find("] ");
    error_ = "not JSON: " + (at == std::string::npos ? what : what.substr(at + 2));
  }
}

BodyVerdict check_json(const model::JsonExpectation& spec, const std::string& expected_text, const JsonBody& body) {
  BodyVerdict v;
  v.expected = expected_of(spec, expected_text);
  const auto* doc = body.document();
  if (!doc) {
    v.actual = "the body is " + body.error() + "; " + body_preview(body.body());
    return v;
  }
  nlohmann::json::json_pointer pointer(spec.pointer);
  const nlohmann::json* found = doc->contains(pointer) ? &doc->at(pointer) : nullptr;
  switch (spec.kind) {
    case Kind::equals:
      v.passed = found && (spec.text ? *found == nlohmann::json(expected_text) : *found == nlohmann::json::parse(spec.value));
      break;
    case Kind::match: {
      Matcher matches(*spec.match);
      if (found) v.passed = matches(found->is_string() ? found->get_ref<const std::string&>() : json_text(*found));
      if (!v.passed && matches.undecided()) {
        v.actual = "undecided: /" + spec.match->pattern + "/ is too complex for " + json_text(*found) +
                   " (a matching limit was reached)";
        return v;
      }
      break;
    }
    case Kind::present: v.passed = found != nullptr; break;
    case Kind::absent: v.passed = found == nullptr; break;
  }
  if (v.passed) return v;
  if (!found) v.actual = "no value at " + spec.pointer + ": " + no_value(*doc, spec.pointer) + "; " + body_preview(body.body());
  else v.actual = json_text(*found);
  return v;
}

}  // namespace bbx::assertions
