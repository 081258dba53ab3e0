// Every example in docs/scenario-language.md is valid: each ```yaml block is written to a
// file and checked with `bbx validate` (exit 0). Blocks tagged `file=NAME` are written
// first as helper files (fragments, templates, configs); ```yaml fragment blocks are
// skipped. A doc change that breaks an example fails here.
#include <doctest/doctest.h>

#include <sstream>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

struct Block {
  std::string info;  // text after ``` on the opening line
  std::string text;
  int line = 0;
};

std::vector<Block> code_blocks(const std::string& markdown) {
  std::vector<Block> out;
  std::istringstream in(markdown);
  std::string line;
  int n = 0;
  Block* open = nullptr;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("```", 0) == 0 && line.find("````") == std::string::npos) {
      if (open) {
        open = nullptr;
      } else {
        out.push_back({line.substr(3), "", n});
        open = &out.back();
      }
      continue;
    }
    if (open) open->text += line + "\n";
  }
  return out;
}

std::string file_name(const std::string& info) {
  auto at = info.find("file=");
  return at == std::string::npos ? "" : info.substr(at + 5);
}

}  // namespace

TEST_CASE("every yaml example in docs/scenario-language.md validates") {
  auto blocks = code_blocks(read_file(source_dir() / "docs/scenario-language.md"));
  auto dir = fresh_dir("doc-examples");
  for (const auto& b : blocks)
    if (auto name = file_name(b.info); !name.empty()) write_file(dir / name, b.text);
  int validated = 0;
  for (const auto& b : blocks) {
    if (b.info != "yaml") continue;
    auto file = write_file(dir / ("example_line_" + std::to_string(b.line) + ".yaml"), b.text);
    auto r = run_bbx({"validate", file.string()});
    INFO("docs/scenario-language.md:", b.line, "\n", b.text, r.err);
    CHECK(r.exit_code == 0);
    ++validated;
  }
  CHECK(validated >= 10);
}
