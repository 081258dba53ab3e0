// `file:` expectations: a file in the sandbox exists or not, and its mode, owner and group
// (a name or a numeric id; shown as "owner 1000 (bbx)"), size, digests
// (SHA-256/SHA-1/MD5 via OpenSSL EVP), contents, or the value at a JSON/YAML path.
//
// Every aspect given is checked; a failure lists each aspect that differs
// ("sha256 3a7b..." vs "sha256 9f86..."), a pass lists what was seen.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"

namespace bbx::assertions {

// Reads sandbox/spec.path now.
CheckResult check_file(const model::FileExpectation& spec, const std::filesystem::path& sandbox,
                       const SourceLocation& where);

// Lowercase hex digest of a file's contents; algorithm "sha256", "sha1" or "md5".
// std::nullopt when the file cannot be read.
std::optional<std::string> file_digest(const std::filesystem::path& file, const std::string& algorithm);

// The value at `path` in a JSON document as text (a string unquoted, anything else as
// compact JSON); "/a/0" is a JSON pointer, "a.0" a dotted path. An error text starting
// with "error: " when the document does not parse or the path is missing.
std::string json_value_at(const std::string& document, const std::string& path);
// The same for YAML (dotted path only; scalars as written, other nodes as flow YAML).
std::string yaml_value_at(const std::string& document, const std::string& path);

}  // namespace bbx::assertions
