// Fuzz target: the scenario loader, YAML text -> validated Scenario models (includes, matrix,
// variables, every section). The input is one or more files: the first is main.yaml, and each
// line "#@ NAME" starts another file NAME (letters, digits, '.', '_', '-'; up to 64 bytes),
// which main.yaml can `include:`. They are written to a scratch directory and main.yaml loaded
// as `bbx validate` loads it. Bad input must end in bbx::Error (invalid_input); the names and
// ids of the scenarios that load must then make a journal line (scenario.begin carries them).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_target.hpp"
#include "journal/event_json.hpp"
#include "scenario/loader.hpp"

namespace {

bool good_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Writes the input's files into dir; returns main.yaml's path.
std::filesystem::path write_files(std::string_view input, const std::filesystem::path& dir) {
  constexpr std::string_view marker = "\n#@ ";
  std::string name = "main.yaml";
  std::filesystem::path main = dir / name;
  for (;;) {
    auto at = input.find(marker);
    std::string_view text = input.substr(0, at);
    if (good_name(name)) write_file(dir / name, text);
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + marker.size());
    auto eol = input.find('\n');
    name = std::string(input.substr(0, eol));
    input.remove_prefix(eol == std::string_view::npos ? input.size() : eol + 1);
  }
  return main;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bbx::fuzz::ScratchDir scratch;
  auto main = write_files({reinterpret_cast<const char*>(data), size}, scratch.fresh());
  std::vector<bbx::Scenario> scenarios;
  if (!bbx::fuzz::input_accepted([&] { scenarios = bbx::scenario::load_scenario_file(main); })) return 0;
  for (const auto& s : scenarios) {
    bbx::Event begin;
    begin.seq = 1;
    begin.wall = "2026-12-06T12:00:00.000000Z";
    begin.source = {"scenario", s.id, 0};
    begin.type = "scenario.begin";
    begin.body = {{"name", s.name}, {"description", s.description}, {"tags", s.tags}, {"vars", s.vars}};
    try {
      auto line = bbx::journal::event_to_json_line(begin);
      if (line.empty() || line.back() != '\n') bbx::fuzz::finding("a journal line without its newline");
    } catch (...) {
      bbx::fuzz::finding("a loaded scenario cannot be journaled: " + bbx::fuzz::describe_current_exception());
    }
  }
  return 0;
}
