#include "scenario/includes.hpp"

#include <filesystem>

#include "scenario/parse_files.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFragmentKeys = {"include", "vars", "fakes", "subjects", "files", "steps", "expect"};

// Fragment files loaded for one scenario, at most: a graph that includes the same fragments
// again and again (`include: [f, f]` at every level) would otherwise grow exponentially.
constexpr std::size_t kMaxFragmentLoads = 1000;

// The includes being loaded (for cycles) and how many loads so far.
struct Loading {
  std::vector<std::string> stack;
  std::size_t loads = 0;
};

void load_into(Included& out, const YAML::Node& node, const std::string& path, Loading& loading);

void load_fragment(Included& out, const std::string& file, const SourceLocation& at, Loading& loading) {
  if (++loading.loads > kMaxFragmentLoads)
    fail_input(at, "include: more than " + std::to_string(kMaxFragmentLoads) +
                       " fragment loads for one scenario (fragments included again and again)");
  auto& stack = loading.stack;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) fail_input(at, "include: no such file '" + file + "'");
  auto canonical = fs::weakly_canonical(file, ec).string();
  for (const auto& s : stack)
    if (s == canonical) {
      std::vector<std::string> chain;
      bool on = false;
      for (const auto& x : stack) {
        on = on || x == canonical;
        if (on) chain.push_back(fs::path(x).filename().string());
      }
      chain.push_back(fs::path(canonical).filename().string());
      fail_input(at, "include cycle: " + util::join(chain, " -> "));
    }
  stack.push_back(canonical);
  YAML::Node root = load_yaml_file(file);
  if (root.IsNull()) fail_input({file, 1, 1}, "empty fragment file");
  MapReader m(root, file, "fragment", kFragmentKeys);
  if (m.has("include")) load_into(out, m.node("include"), file, loading);
  if (m.has("vars")) {
    YAML::Node vars = m.node("vars");
    if (!vars.IsMap()) fail_input(m.where("vars"), "vars: expected a mapping of name to value");
    for (const auto& kv : vars) out.vars[key_text(kv.first, file)] = scalar_string(kv.second, file, "vars");
  }
  if (m.has("fakes"))
    for (auto& f : parse_fakes(m.node("fakes"), file)) out.fakes.push_back(std::move(f));
  if (m.has("subjects"))
    for (auto& s : parse_subjects(m.node("subjects"), file)) out.subjects.push_back(std::move(s));
  if (m.has("files"))
    for (auto& f : parse_files(m.node("files"), file)) out.files.push_back(std::move(f));
  if (m.has("steps"))
    for (auto& st : parse_steps(m.node("steps"), file)) out.steps.push_back(std::move(st));
  if (m.has("expect"))
    for (auto& e : parse_expectations(m.node("expect"), file)) out.expect.push_back(std::move(e));
  stack.pop_back();
}

void load_into(Included& out, const YAML::Node& node, const std::string& path, Loading& loading) {
  std::vector<YAML::Node> items;
  if (node.IsSequence()) for (const auto& i : node) items.push_back(i);
  else items.push_back(node);
  for (const auto& item : items) {
    // "file.inc.yaml", or {path: file.inc.yaml, vars: {k: v}}: vars given to this include
    // override the fragment's own defaults.
    YAML::Node file_node = item;
    std::map<std::string, std::string> params;
    if (item.IsMap()) {
      MapReader m(item, path, "include", {"path", "vars"});
      if (!m.has("path")) fail_input(m.where(), "include: missing 'path'");
      file_node.reset(m.node("path"));  // reset: operator= would overwrite the entry itself
      if (m.has("vars")) {
        YAML::Node vars = m.node("vars");
        if (!vars.IsMap()) fail_input(m.where("vars"), "include.vars: expected a mapping of name to value");
        for (const auto& kv : vars) params[key_text(kv.first, path)] = scalar_string(kv.second, path, "include.vars");
      }
    }
    auto rel = scalar_string(file_node, path, "include");
    auto file = (fs::path(path).parent_path() / rel).lexically_normal().string();
    load_fragment(out, file, location_of(file_node, path), loading);
    for (auto& [k, v] : params) out.vars[k] = v;
  }
}

}  // namespace

Included load_includes(const YAML::Node& node, const std::string& path) {
  Included out;
  std::error_code ec;
  Loading loading;
  loading.stack = {fs::weakly_canonical(path, ec).string()};
  load_into(out, node, path, loading);
  return out;
}

}  // namespace bbx::scenario
