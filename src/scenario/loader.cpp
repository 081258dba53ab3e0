#include "scenario/loader.hpp"

#include <algorithm>
#include <set>

#include "scenario/includes.hpp"
#include "scenario/matrix.hpp"
#include "scenario/parse_files.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/byte_preview.hpp"

namespace bbx::scenario {

namespace {

const std::vector<std::string> kTopLevelKeys = {"name",  "description", "tags",     "include", "matrix", "vars",
                                                "timeout", "files",     "fakes", "subjects", "steps",  "expect", "compare"};

void check_unique_names(const YAML::Node& section, const std::string& path, const std::string& kind,
                        std::set<std::string>& names) {
  if (!section.IsMap()) return;
  for (const auto& kv : section) {
    auto name = key_text(kv.first, path);
    if (!names.insert(name).second)
      fail_input(location_of(kv.first, path), "duplicate name '" + name + "': a " + kind +
                                                  " may not share a name with another fake or subject");
  }
}

// Stable topological order: a subject comes after every subject in its `after:` list.
// check_references() has already rejected unknown names and cycles.
void order_subjects_by_after(Scenario& s) {
  std::vector<model::Subject> ordered;
  std::set<std::string> placed;
  while (ordered.size() < s.subjects.size()) {
    for (const auto& subj : s.subjects) {
      if (placed.count(subj.name)) continue;
      bool ready = std::all_of(subj.after.begin(), subj.after.end(), [&](const auto& d) { return placed.count(d) > 0; });
      if (!ready) continue;
      ordered.push_back(subj);
      placed.insert(subj.name);
      break;
    }
  }
  s.subjects = std::move(ordered);
}

void read_vars(Scenario& s, const MapReader& m, const Included& inc, const MatrixVariant* variant,
               const LoadOptions& options) {
  s.vars = inc.vars;
  if (m.has("vars")) {
    YAML::Node vars = m.node("vars");
    if (!vars.IsMap()) fail_input(m.where("vars"), "vars: expected a mapping of name to value");
    for (const auto& kv : vars) s.vars[key_text(kv.first, m.path())] = scalar_string(kv.second, m.path(), "vars");
  }
  if (variant) {
    for (const auto& [k, v] : variant->values) {
      const YAML::Node vars = m.node("vars");
      if (vars.IsMap() && vars[k].IsDefined())
        fail_input(location_of(vars[k], m.path()), "vars: '" + k + "' is also a matrix key; rename one");
      s.vars[k] = v;
    }
    s.matrix = variant->values;
  }
  for (const auto& [k, v] : options.cli_vars) s.vars[k] = v;
}

void merge_included(Scenario& s, Included& inc, std::set<std::string>& names) {
  auto claim = [&](const std::string& name, const SourceLocation& where) {
    if (!names.insert(name).second)
      fail_input(where, "duplicate name '" + name + "': a fake or subject of that name is already included");
  };
  for (const auto& f : inc.fakes) claim(f.name, f.where);
  for (const auto& x : inc.subjects) claim(x.name, x.where);
  s.fakes = std::move(inc.fakes);
  s.subjects = std::move(inc.subjects);
  s.files = std::move(inc.files);
  s.steps = std::move(inc.steps);
  s.expect = std::move(inc.expect);
}

Scenario parse_scenario(const YAML::Node& root, const std::string& path, const LoadOptions& options,
                        const MatrixVariant* variant) {
  MapReader m(root, path, "scenario", kTopLevelKeys);
  Scenario s;
  s.file = path;
  s.name = m.required_string("name");
  if (s.name.empty()) fail_input(m.where("name"), "scenario.name: must not be empty");
  for (unsigned char c : s.name)
    if (c < 0x20 || c == 0x7F)
      fail_input(m.where("name"), "scenario.name: must not hold control characters (NUL, newline, tab, ...), got " +
                                      util::quoted_bytes(s.name));
  s.id = variant ? variant_id(s.name, *variant) : s.name;
  s.description = m.string("description").value_or("");
  s.tags = m.string_list("tags");
  if (auto t = m.duration("timeout")) {
    if (t->count() <= 0) fail_input(m.where("timeout"), "scenario.timeout: must be above 0");
    s.timeout = *t;
  }
  Included inc = m.has("include") ? load_includes(m.node("include"), path) : Included{};
  read_vars(s, m, inc, variant, options);
  std::set<std::string> names;
  merge_included(s, inc, names);
  check_unique_names(m.node("fakes"), path, "fake", names);
  check_unique_names(m.node("subjects"), path, "subject", names);
  if (m.has("fakes")) for (auto& f : parse_fakes(m.node("fakes"), path)) s.fakes.push_back(std::move(f));
  if (m.has("subjects")) for (auto& x : parse_subjects(m.node("subjects"), path)) s.subjects.push_back(std::move(x));
  if (m.has("files")) for (auto& f : parse_files(m.node("files"), path)) s.files.push_back(std::move(f));
  if (m.has("steps")) for (auto& st : parse_steps(m.node("steps"), path)) s.steps.push_back(std::move(st));
  if (m.has("expect"))
    for (auto& e : parse_expectations(m.node("expect"), path)) s.expect.push_back(std::move(e));
  if (m.has("compare")) s.compare = parse_compare(m.node("compare"), path);
  check_references(s);
  order_subjects_by_after(s);
  return s;
}

// Directory scans skip include fragments ("*.inc.yaml"); naming one explicitly loads it.
bool is_scenario_file(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  return (ext == ".yaml" || ext == ".yml") && p.stem().extension() != ".inc";
}

}  // namespace

std::vector<Scenario> load_scenario_file(const std::filesystem::path& file, const LoadOptions& options) {
  const std::string path = file.string();
  YAML::Node root = load_yaml_file(path);
  if (root.IsNull()) fail_input({path, 1, 1}, "empty scenario file (it needs at least 'name:')");
  MapReader top(root, path, "scenario", kTopLevelKeys);
  if (!top.has("matrix")) {
    apply_when(root, Matrix{}, nullptr, path);
    return {parse_scenario(root, path, options, nullptr)};
  }
  Matrix matrix = parse_matrix(top.node("matrix"), path, top.required_string("name"));
  std::vector<Scenario> out;
  for (const auto& variant : matrix.variants) {
    YAML::Node copy = load_yaml_file(path);  // a fresh tree: apply_when edits it in place
    apply_when(copy, matrix, &variant, path);
    out.push_back(parse_scenario(copy, path, options, &variant));
  }
  return out;
}

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths, const LoadOptions& options) {
  std::vector<std::filesystem::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(p))
        if (entry.is_regular_file() && is_scenario_file(entry.path())) found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {  // ENOENT, ELOOP (a symlink loop), EACCES, ...
      fail_input({p.string()}, ec ? ec.message() : "no such file or directory");
    }
  }
  std::vector<Scenario> out;
  std::map<std::string, std::string> seen;
  for (const auto& f : files) {
    for (auto& s : load_scenario_file(f, options)) {
      auto [it, fresh] = seen.emplace(s.id, f.string());
      if (!fresh) fail_input({f.string(), 1, 1}, "scenario id '" + s.id + "' is already used by " + it->second);
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace bbx::scenario
