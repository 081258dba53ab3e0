#include "assert/file_check.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include "assert/near_miss.hpp"
#include "assert/text_match.hpp"
#include "util/byte_preview.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

struct Aspect {
  std::string expected, actual;
  bool ok;
};

std::string octal(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "owner 1000 (bbx)" style texts; the expectation matches the numeric id or the name.
std::string user_name(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  return ::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found ? pw.pw_name : "";
}

std::string group_name(gid_t gid) {
  std::vector<char> buf(16384);
  group gr{};
  group* found = nullptr;
  return ::getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) == 0 && found ? gr.gr_name : "";
}

Aspect id_aspect(const std::string& label, const std::string& want, unsigned long id, const std::string& name) {
  std::string got = std::to_string(id) + (name.empty() ? "" : " (" + name + ")");
  return {label + " " + want, label + " " + got, want == std::to_string(id) || (!name.empty() && want == name)};
}

// Where the contents first differ from the expected ones, with a few bytes of each from
// there: "contents differ at byte 11 (line 1, column 12): expected end of file, got \"\\n\"".
std::string difference(const std::string& want, const std::string& got) {
  auto at = util::first_difference(want, got);
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at && i < got.size(); ++i) {
    if (got[i] == '\n') ++line, column = 1;
    else ++column;
  }
  auto from = [at](const std::string& text) {
    if (at >= text.size()) return std::string("end of file");
    auto piece = std::string_view(text).substr(at, 24);
    return util::quoted_bytes(piece) + (text.size() - at > piece.size() ? "…" : "");
  };
  return "contents differ at byte " + std::to_string(at) + " (line " + std::to_string(line) + ", column " +
         std::to_string(column) + "): expected " + from(want) + ", got " + from(got);
}

// The head and tail of the file, for a failure text: "it holds 12 bytes: \"hello world\\n\"".
std::string contents_preview(const std::filesystem::path& file, std::uint64_t size) {
  constexpr std::size_t kHead = 64, kTail = 64;
  std::ifstream in(file, std::ios::binary);
  std::string text;
  if (size <= kHead + kTail) {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return "it holds " + util::grouped(text.size()) + " byte" + (text.size() == 1 ? "" : "s") +
           (text.empty() ? "" : ": " + util::quoted_bytes(text));
  }
  std::string head(kHead, '\0'), tail(kTail, '\0');
  in.read(head.data(), static_cast<std::streamsize>(kHead));
  in.seekg(static_cast<std::streamoff>(size - kTail));
  in.read(tail.data(), static_cast<std::streamsize>(kTail));
  return "it holds " + util::grouped(size) + " bytes: " + util::quoted_bytes(head) + " … (" +
         util::grouped(size - kHead - kTail) + " bytes) … " + util::quoted_bytes(tail);
}

std::vector<Aspect> content_aspects(const model::FileExpectation& spec, const std::filesystem::path& file,
                                    const struct stat& st) {
  std::vector<Aspect> out;
  if (spec.mode) {
    unsigned m = st.st_mode & 07777;
    out.push_back({"mode " + octal(*spec.mode), "mode " + octal(m), m == *spec.mode});
  }
  if (!spec.owner.empty()) out.push_back(id_aspect("owner", spec.owner, st.st_uid, user_name(st.st_uid)));
  if (!spec.group.empty()) out.push_back(id_aspect("group", spec.group, st.st_gid, group_name(st.st_gid)));
  if (spec.size) {
    util::CountRange range{spec.size->min, spec.size->max, spec.size->not_equal};
    auto n = static_cast<std::int64_t>(st.st_size);
    out.push_back({"size " + range.describe() + " bytes", "size " + std::to_string(n) + " bytes", spec.size->contains(n)});
  }
  for (auto [algo, want] : {std::pair{"sha256", &spec.sha256}, {"sha1", &spec.sha1}, {"md5", &spec.md5}}) {
    if (want->empty()) continue;
    auto got = file_digest(file, algo).value_or("unreadable");
    out.push_back({std::string(algo) + " " + *want, std::string(algo) + " " + got, got == *want});
  }
  if (!spec.equals && !spec.match && !spec.value) return out;
  std::string text = read_all(file);
  if (spec.equals) {
    bool same = text == *spec.equals;
    out.push_back({"contents " + quote_line(*spec.equals), same ? "contents as expected" : difference(*spec.equals, text), same});
  }
  if (spec.match) {
    auto verdict = Matcher(*spec.match).match(text);
    bool ok = verdict == util::RegexMatch::yes;
    std::string got = ok ? "contents match"
                         : verdict == util::RegexMatch::too_complex
                               ? "contents undecided: /" + spec.match->pattern + "/ is too complex for them (" +
                                     std::to_string(text.size()) + " bytes; a matching limit was reached)"
                               : "contents " + quote_line(text);
    out.push_back({"contents " + describe(*spec.match), got, ok});
  }
  if (spec.value) {
    bool json = !spec.json_path.empty();
    auto got = json ? json_value_at(text, spec.json_path) : yaml_value_at(text, spec.yaml_path);
    std::string label = (json ? "json " + spec.json_path : "yaml " + spec.yaml_path) + " = ";
    out.push_back({label + quote_line(*spec.value), label + (got.rfind("error: ", 0) == 0 ? got.substr(7) : quote_line(got)),
                   got == *spec.value});
  }
  return out;
}

}  // namespace

std::optional<std::string> file_digest(const std::filesystem::path& file, const std::string& algorithm) {
  const EVP_MD* md = algorithm == "sha256" ? EVP_sha256() : algorithm == "sha1" ? EVP_sha1() : EVP_md5();
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return std::nullopt;
  std::vector<char> buf(64 * 1024);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) return std::nullopt;
  std::string hex;
  static const char* digits = "0123456789abcdef";
  for (unsigned i = 0; i < len; ++i) {
    hex += digits[out[i] >> 4];
    hex += digits[out[i] & 15];
  }
  return hex;
}

std::string json_value_at(const std::string& document, const std::string& path) {
  auto doc = nlohmann::json::parse(document, nullptr, false);
  if (doc.is_discarded()) return "error: not valid JSON";
  std::string pointer = path;
  if (pointer.empty() || pointer[0] != '/') {
    pointer = "";
    for (const auto& part : util::split(path, '.')) pointer += "/" + part;
  }
  try {
    const auto& v = doc.at(nlohmann::json::json_pointer(pointer));
    return v.is_string() ? v.get<std::string>() : v.dump();
  } catch (const nlohmann::json::exception&) {
    return "error: no value at " + path;
  }
}

std::string yaml_value_at(const std::string& document, const std::string& path) {
  YAML::Node node;
  try {
    node = YAML::Load(document);
  } catch (const YAML::Exception&) {
    return "error: not valid YAML";
  }
  for (const auto& part : util::split(path, '.')) {
    YAML::Node next;
    if (node.IsSequence()) {
      char* end = nullptr;
      unsigned long i = std::strtoul(part.c_str(), &end, 10);
      if (*end == '\0' && !part.empty() && i < node.size()) next = node[i];
    } else if (node.IsMap()) {
      next = node[part];
    }
    if (!next || !next.IsDefined() || next.IsNull()) return "error: no value at " + path;
    node = next;
  }
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter e;
  e << YAML::Flow << node;
  return e.c_str();
}

CheckResult check_file(const model::FileExpectation& spec, const std::filesystem::path& sandbox,
                       const SourceLocation& where) {
  CheckResult r;
  r.what = "file '" + spec.path + "'";
  r.where = where;
  auto file = sandbox / spec.path;
  struct stat st {};
  bool exists = ::stat(file.c_str(), &st) == 0;
  std::vector<Aspect> aspects{{spec.exists ? "exists" : "absent", exists ? "exists" : "absent", exists == spec.exists}};
  if (exists && spec.exists) {
    if (!S_ISREG(st.st_mode)) aspects.push_back({"a regular file", "not a regular file", false});
    else for (auto& a : content_aspects(spec, file, st)) aspects.push_back(std::move(a));
  }
  std::vector<std::string> expected, actual;
  r.passed = true;
  for (const auto& a : aspects) r.passed = r.passed && a.ok;
  for (const auto& a : aspects) {
    if (!r.passed && a.ok) continue;
    expected.push_back(a.expected);
    actual.push_back(a.actual);
  }
  r.expected = util::join(expected, ", ");
  r.actual = util::join(actual, ", ");
  // When the contents are what differs, show them: a hash alone says nothing of why.
  bool about_contents = !spec.sha256.empty() || !spec.sha1.empty() || !spec.md5.empty() || spec.size || spec.match;
  if (!r.passed && exists && spec.exists && S_ISREG(st.st_mode) && about_contents)
    r.actual += "; " + contents_preview(file, static_cast<std::uint64_t>(st.st_size));
  return r;
}

}  // namespace bbx::assertions
