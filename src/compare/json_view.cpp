#include "compare/json_view.hpp"

#include <nlohmann/json.hpp>

namespace bbx::compare {

namespace {

using nlohmann::json;

json tree(const bj::value& v) {
  switch (v.kind()) {
    case bj::kind::null: return nullptr;
    case bj::kind::bool_: return v.get_bool();
    case bj::kind::int64: return v.get_int64();
    case bj::kind::uint64: return v.get_uint64();
    case bj::kind::double_: return v.get_double();
    case bj::kind::string: return std::string(v.get_string().data(), v.get_string().size());
    case bj::kind::array: {
      json a = json::array();
      for (const auto& e : v.get_array()) a.push_back(tree(e));
      return a;
    }
    case bj::kind::object: {
      json o = json::object();
      for (const auto& kv : v.get_object()) o[std::string(kv.key().data(), kv.key().size())] = tree(kv.value());
      return o;
    }
  }
  return nullptr;
}

}  // namespace

std::string Val::dump() const {
  if (!v_ || v_->is_null()) return "null";
  if (v_->is_int64()) return std::to_string(v_->get_int64());
  if (v_->is_uint64()) return std::to_string(v_->get_uint64());
  if (v_->is_bool()) return v_->get_bool() ? "true" : "false";
  return tree(*v_).dump();
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
