// Text for HTML: the markup characters as entities (& < > " '), safe in element content and
// in quoted attribute values. Not for <script> content (views write JSON there with '<'
// escaped). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace bbx::util {

std::string html_escape(std::string_view text);

}  // namespace bbx::util
