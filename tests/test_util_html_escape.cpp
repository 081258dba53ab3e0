// HTML escaping (util/html_escape.hpp): the markup characters become entities, the rest is
// left as it is (UTF-8 included).
#include <doctest/doctest.h>

#include "util/html_escape.hpp"

using bbx::util::html_escape;

TEST_CASE("markup characters become entities; other text, UTF-8 included, is kept") {
  CHECK(html_escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(html_escape("plain text, ünïcode") == "plain text, ünïcode");
  CHECK(html_escape("") == "");
  CHECK(html_escape("&amp;") == "&amp;amp;");  // escaped again: not idempotent, by design
}
