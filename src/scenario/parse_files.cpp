#include "scenario/parse_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace bbx::scenario {

namespace {

const std::vector<std::string> kTypes = {"string", "number", "bool", "null", "empty"};

model::ConfigEdit::Type parse_type(const MapReader& m) {
  if (m.node("type").IsNull()) return model::ConfigEdit::Type::null;  // type: null (unquoted)
  auto t = *m.string("type");
  for (std::size_t i = 0; i < kTypes.size(); ++i)
    if (kTypes[i] == t) return static_cast<model::ConfigEdit::Type>(i);
  fail_input(m.where("type"), m.what() + ".type: unknown type '" + t + "' (expected one of: string, number, bool, null, empty)");
}

// The type a plain YAML scalar has: quoted text is a string; plain 3, true, null keep theirs.
model::ConfigEdit::Type inferred_type(const YAML::Node& v) {
  if (v.IsNull()) return model::ConfigEdit::Type::null;
  if (v.Tag() == "!") return model::ConfigEdit::Type::string;
  const std::string& s = v.Scalar();
  if (s == "true" || s == "false") return model::ConfigEdit::Type::boolean;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size()) return model::ConfigEdit::Type::number;
  return model::ConfigEdit::Type::string;
}

model::ConfigEdit parse_edit(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"set", "remove", "value", "type"});
  model::ConfigEdit e;
  e.where = m.where();
  if (m.has("set") == m.has("remove")) fail_input(m.where(), what + ": needs exactly one of 'set' or 'remove'");
  if (m.has("remove")) {
    e.op = model::ConfigEdit::Op::remove;
    e.key = *m.string("remove");
    if (m.has("value") || m.has("type")) fail_input(m.where("remove"), what + ": 'remove' takes no 'value' or 'type'");
  } else {
    e.key = *m.string("set");
    if (!m.has("value") && !m.has("type")) fail_input(m.where(), what + ": 'set' needs a 'value' (or type: null/empty)");
    YAML::Node v = m.node("value");
    if (v.IsDefined() && !v.IsNull()) e.value = scalar_template(v, path, what + ".value");
    e.type = m.has("type") ? parse_type(m) : v.IsDefined() ? inferred_type(v) : model::ConfigEdit::Type::null;
  }
  if (e.key.empty() || e.key.front() == '.' || e.key.back() == '.' || e.key.find("..") != std::string::npos)
    fail_input(m.where(m.has("set") ? "set" : "remove"), what + ": invalid key path '" + e.key + "' (use a.b.c)");
  return e;
}

model::FileFormat parse_format(const MapReader& m) {
  auto f = *m.string("format");
  if (f == "json") return model::FileFormat::json;
  if (f == "yaml") return model::FileFormat::yaml;
  if (f == "ini") return model::FileFormat::ini;
  if (f == "text") return model::FileFormat::text;
  fail_input(m.where("format"), m.what() + ".format: unknown format '" + f + "' (expected json, yaml, ini or text)");
}

}  // namespace

model::FileFormat format_for(const model::SandboxFile& f, const std::string& rendered_path) {
  if (f.format != model::FileFormat::automatic) return f.format;
  auto ext = std::filesystem::path(rendered_path).extension().string();
  if (ext == ".json") return model::FileFormat::json;
  if (ext == ".yaml" || ext == ".yml") return model::FileFormat::yaml;
  if (ext == ".ini" || ext == ".conf" || ext == ".cfg") return model::FileFormat::ini;
  return model::FileFormat::text;
}

model::SandboxFile parse_sandbox_file(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"path", "content", "copy", "template", "format", "edits", "mode"});
  model::SandboxFile f;
  f.where = m.where();
  if (!m.has("path")) fail_input(m.where(), what + ": missing 'path'");
  f.path = *m.text_template("path");
  if (f.path.text.empty() || f.path.text.front() == '/' || f.path.text.find("..") != std::string::npos)
    fail_input(f.path.where, what + ".path: must be a relative path inside the sandbox, got '" + f.path.text + "'");
  int sources = int(m.has("content")) + int(m.has("copy")) + int(m.has("template"));
  if (sources > 1) fail_input(m.where(), what + ": give at most one of 'content', 'copy' or 'template'");
  if (sources == 0 && !m.has("edits")) fail_input(m.where(), what + ": needs 'content', 'copy', 'template' or 'edits'");
  auto base = std::filesystem::path(path).parent_path();
  if (m.has("content")) f.content = *m.text_template("content");
  for (const char* key : {"copy", "template"}) {
    if (!m.has(key)) continue;
    f.source = std::string(key) == "copy" ? model::SandboxFile::Source::copy : model::SandboxFile::Source::render;
    f.from = (base / *m.string(key)).lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f.from, ec))
      fail_input(m.where(key), what + "." + key + ": no such file '" + f.from + "'");
    if (f.source == model::SandboxFile::Source::render) {  // checked for ${variables} like inline text
      std::ifstream in(f.from, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      f.content = {text.str(), {f.from, 1, 1}, true};
    }
  }
  if (m.has("format")) f.format = parse_format(m);
  if (auto mode = m.string("mode")) {
    try {
      std::size_t used = 0;
      f.mode = std::stoi(*mode, &used, 8);
      if (used != mode->size() || *f.mode > 07777) throw std::invalid_argument("mode");
    } catch (const std::exception&) {
      fail_input(m.where("mode"), what + ".mode: expected an octal mode like 0644, got '" + *mode + "'");
    }
  }
  if (m.has("edits")) {
    YAML::Node edits = m.node("edits");
    if (!edits.IsSequence()) fail_input(m.where("edits"), what + ".edits: expected a list");
    for (std::size_t i = 0; i < edits.size(); ++i)
      f.edits.push_back(parse_edit(edits[i], path, what + ".edits[" + std::to_string(i) + "]"));
    if (f.format == model::FileFormat::text)
      fail_input(m.where("edits"), what + ": 'edits' need a json, yaml or ini file (set 'format')");
  }
  return f;
}

std::vector<model::SandboxFile> parse_files(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) fail_input(location_of(node, path), "files: expected a list");
  std::vector<model::SandboxFile> out;
  for (std::size_t i = 0; i < node.size(); ++i)
    out.push_back(parse_sandbox_file(node[i], path, "files[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace bbx::scenario
