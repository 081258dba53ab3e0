// Base64 (OpenSSL's encoder), for journaling exact bytes that are not UTF-8 text.
#pragma once

#include <string>
#include <string_view>

namespace bbx::util {

// The standard alphabet with '=' padding, no line breaks.
std::string base64(std::string_view bytes);

}  // namespace bbx::util
