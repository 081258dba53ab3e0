#include "sandbox/sandbox_files.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bbx/error.hpp"
#include "sandbox/config_edit.hpp"
#include "scenario/parse_files.hpp"

namespace bbx::sandbox {

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_scenario("cannot read '" + p.string() + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string source_text(runtime::RunContext& ctx, const model::SandboxFile& f, const fs::path& target) {
  using Source = model::SandboxFile::Source;
  if (f.source == Source::copy) return slurp(f.from);
  if (f.source == Source::render) return ctx.expand(f.content);  // read and checked by the loader
  if (!f.content.text.empty() || f.edits.empty()) return ctx.expand(f.content);
  std::error_code ec;
  return fs::exists(target, ec) ? slurp(target) : std::string();  // edits only: change what is there
}

std::string apply_edits(runtime::RunContext& ctx, const model::SandboxFile& f, const std::string& rel, const std::string& text) {
  if (f.edits.empty()) return text;
  std::vector<RenderedEdit> edits;
  for (const auto& e : f.edits) edits.push_back({e.op, e.key, e.type, ctx.expand(e.value)});
  try {
    switch (scenario::format_for(f, rel)) {
      case model::FileFormat::json: return edit_json(text, edits);
      case model::FileFormat::yaml: return edit_yaml(text, edits);
      case model::FileFormat::ini: return edit_ini(text, edits);
      default: fail_scenario("cannot edit a text file (set 'format')");
    }
  } catch (const Error& e) {
    fail_scenario("file '" + rel + "': " + e.what());
  }
}

}  // namespace

void write_sandbox_file(runtime::RunContext& ctx, const model::SandboxFile& f) {
  std::string rel = ctx.expand(f.path);
  fs::path target = ctx.sandbox_dir() / rel;
  std::string text = apply_edits(ctx, f, rel, source_text(ctx, f, target));
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(text.data(), std::streamsize(text.size())))
      fail_scenario("cannot write '" + target.string() + "'");
  }
  if (f.mode) ::chmod(target.c_str(), static_cast<mode_t>(*f.mode));
  static const char* sources[] = {"content", "copy", "template"};
  ctx.journal().append({"scenario", ctx.scenario().id, 0}, journal::ev::file_write,
                       {{"path", rel}, {"bytes", text.size()}, {"source", sources[static_cast<int>(f.source)]},
                        {"edits", f.edits.size()}, {"where", f.where.to_string()}});
}

}  // namespace bbx::sandbox
