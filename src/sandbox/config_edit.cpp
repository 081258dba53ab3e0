#include "sandbox/config_edit.hpp"

#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "bbx/error.hpp"
#include "util/text.hpp"

namespace bbx::sandbox {

namespace {

using Type = model::ConfigEdit::Type;

nlohmann::json json_value(const RenderedEdit& e) {
  switch (e.type) {
    case Type::null: return nullptr;
    case Type::empty: return "";
    case Type::boolean:
      if (e.value != "true" && e.value != "false")
        fail_scenario("'" + e.key + "': '" + e.value + "' is not a bool (true or false)");
      return e.value == "true";
    case Type::number: {
      auto j = nlohmann::json::parse(e.value, nullptr, false);
      if (!j.is_number()) fail_scenario("'" + e.key + "': '" + e.value + "' is not a number");
      return j;
    }
    case Type::string: break;
  }
  return e.value;
}

}  // namespace

std::string edit_json(const std::string& text, const std::vector<RenderedEdit>& edits) {
  nlohmann::json doc = nlohmann::json::object();
  if (!util::trim(text).empty()) {
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      fail_scenario(std::string("not valid JSON: ") + e.what());
    }
  }
  for (const auto& e : edits) {
    auto parts = util::split(e.key, '.');
    nlohmann::json* at = &doc;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!at->is_object()) fail_scenario("'" + e.key + "': '" + parts[i] + "' is inside a non-object");
      if (e.op == model::ConfigEdit::Op::remove && !at->contains(parts[i])) { at = nullptr; break; }
      at = &(*at)[parts[i]];
      if (at->is_null()) *at = nlohmann::json::object();  // set creates missing parents
    }
    if (!at) continue;
    if (!at->is_object()) fail_scenario("'" + e.key + "': the parent is not an object");
    if (e.op == model::ConfigEdit::Op::remove) at->erase(parts.back());
    else (*at)[parts.back()] = json_value(e);
  }
  return doc.dump(2) + "\n";
}

namespace {

void emit(YAML::Emitter& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& kv : n) {
        out << YAML::Key << kv.first.Scalar() << YAML::Value;
        emit(out, kv.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& i : n) emit(out, i);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!") out << YAML::DoubleQuoted << n.Scalar();
      else out << n.Scalar();
      break;
    default:
      out << YAML::Null;
  }
}

YAML::Node yaml_value(const RenderedEdit& e) {
  auto j = json_value(e);  // validates bool/number
  if (j.is_null()) return YAML::Node(YAML::NodeType::Null);
  YAML::Node n(j.is_string() ? j.get<std::string>() : j.dump());
  if (j.is_string()) n.SetTag("!");
  return n;
}

}  // namespace

std::string edit_yaml(const std::string& text, const std::vector<RenderedEdit>& edits) {
  YAML::Node doc;
  try {
    doc = util::trim(text).empty() ? YAML::Node(YAML::NodeType::Map) : YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail_scenario("not valid YAML: " + e.msg);
  }
  for (const auto& e : edits) {
    auto parts = util::split(e.key, '.');
    YAML::Node at = doc;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!at.IsMap()) fail_scenario("'" + e.key + "': '" + parts[i] + "' is inside a non-mapping");
      YAML::Node next = at[parts[i]];
      if (!next.IsDefined() || next.IsNull()) {
        at[parts[i]] = YAML::Node(YAML::NodeType::Map);
        next.reset(at[parts[i]]);
      }
      at.reset(next);
    }
    if (!at.IsMap()) fail_scenario("'" + e.key + "': the parent is not a mapping");
    if (e.op == model::ConfigEdit::Op::remove) at.remove(parts.back());
    else at[parts.back()] = yaml_value(e);
  }
  YAML::Emitter out;
  emit(out, doc);
  return std::string(out.c_str()) + "\n";
}

std::string edit_ini(const std::string& text, const std::vector<RenderedEdit>& edits) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (const auto& e : edits) {
    auto dot = e.key.rfind('.');
    std::string section = dot == std::string::npos ? "" : e.key.substr(0, dot);
    std::string key = dot == std::string::npos ? e.key : e.key.substr(dot + 1);
    std::string value = e.type == Type::null || e.type == Type::empty ? "" : json_value(e).is_string() ? e.value : json_value(e).dump();
    std::string current;
    std::size_t section_end = section.empty() ? 0 : std::string::npos, found = std::string::npos;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto t = std::string(util::trim(lines[i]));
      if (t.size() > 1 && t.front() == '[' && t.back() == ']') {
        current = t.substr(1, t.size() - 2);
        if (current == section) section_end = i + 1;
        continue;
      }
      if (current != section) continue;
      section_end = i + 1;
      auto eq = t.find('=');
      if (eq != std::string::npos && util::trim(std::string_view(t).substr(0, eq)) == key) found = i;
    }
    if (e.op == model::ConfigEdit::Op::remove) {
      if (found != std::string::npos) lines.erase(lines.begin() + long(found));
      continue;
    }
    std::string line = key + " = " + value;
    if (found != std::string::npos) lines[found] = line;
    else if (section_end != std::string::npos) lines.insert(lines.begin() + long(section_end), line);
    else { lines.push_back("[" + section + "]"); lines.push_back(line); }
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace bbx::sandbox
