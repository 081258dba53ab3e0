// Normalisation layer 2: volatile values found by shape, numbered aliases for identities,
// one token for measurements, and idempotence.
#include <doctest/doctest.h>

#include "compare/volatile_values.hpp"

using namespace bbx::compare;

namespace {
std::string mask(std::string_view text) {
  Aliases a;
  return mask_volatile(text, a);
}
}  // namespace

TEST_CASE("UUIDs get numbered aliases: the same value the same number") {
  Aliases a;
  auto out = mask_volatile("req 3f2b8c1e-9a4d-4e2b-8f1a-0c9d8e7f6a5b then 11111111-2222-3333-4444-555555555555 "
                           "and 3F2B8C1E-9A4D-4E2B-8F1A-0C9D8E7F6A5B",
                           a);
  CHECK(out == "req [UUID_1] then [UUID_2] and [UUID_3]");  // case matters: another value
  CHECK(mask_volatile("again 11111111-2222-3333-4444-555555555555", a) == "again [UUID_2]");
}

TEST_CASE("hex ids: long hex words with digits and letters, and 0x addresses; not plain words or numbers") {
  CHECK(mask("commit 4f9c2a7e1b3d and sha 0123456789abcdef0123") == "commit [HEX_1] and sha [HEX_2]");
  CHECK(mask("at 0x7ffd1234abcd") == "at [HEX_1]");
  CHECK(mask("deadbeef facade 12345678 cafe12") == "deadbeef facade 12345678 cafe12");
}

TEST_CASE("timestamps of every common shape become [TIMESTAMP]") {
  CHECK(mask("at 2026-12-06T01:53:39.028Z ok") == "at [TIMESTAMP] ok");
  CHECK(mask("at 2026-12-06 01:53:39,123 ok") == "at [TIMESTAMP] ok");
  CHECK(mask("at 2026-12-06T01:53:39+02:00") == "at [TIMESTAMP]");
  CHECK(mask("day 2026-12-06") == "day [TIMESTAMP]");
  CHECK(mask("Date: Sat, 06 Dec 2026 01:53:39 GMT") == "Date: [TIMESTAMP]");
  CHECK(mask("Dec  6 01:53:39 host app[12]: x") == "[TIMESTAMP] host app[12]: x");
  CHECK(mask("t=01:53:39.5") == "t=[TIMESTAMP]");
  CHECK(mask("epoch 1796522019 ms 1796522019123 ns 1796522019024559143") == "epoch [TIMESTAMP] ms [TIMESTAMP] ns [TIMESTAMP]");
  CHECK(mask("count 123456789012 and 9999999999") == "count 123456789012 and 9999999999");  // not epoch-shaped, or past 2036
}

TEST_CASE("durations become [DURATION], unnumbered: equal measurements are chance") {
  CHECK(mask("took 12ms, then 1.5s, 250 us, 3 seconds, 1h2m3.5s") ==
        "took [DURATION], then [DURATION], [DURATION], [DURATION], [DURATION]");
  CHECK(mask("fixture.latency:0.419|ms") == "fixture.latency:0.419|ms");  // a statsd value, not a duration
  CHECK(mask("5m of cable, HTTP/1.1 200, 12 items, v1.5s2") == "5m of cable, HTTP/1.1 200, 12 items, v1.5s2");
}

TEST_CASE("ephemeral ports after an address are aliased; fixed ports are kept") {
  Aliases a;
  CHECK(mask_volatile("from 127.0.0.1:41234 to 127.0.0.1:8080 and localhost:50000 and [::1]:41234", a) ==
        "from 127.0.0.1:[PORT_1] to 127.0.0.1:8080 and localhost:[PORT_2] and [::1]:[PORT_1]");
}

// Found by fuzz/fuzz_compare_normalise.cpp (fuzz/regressions/compare_normalise/): masking a
// masked text masked more, because a token's ']' read as a word boundary where the value it
// replaced had ended in a word character, and an address followed by a masked port no longer
// read as an address.
TEST_CASE("masking is idempotent next to tokens: what follows a value masked reads as it did before") {
  CHECK(mask("f0FFFFF0[:]:41224") == "[HEX_1][:]:41224");                         // a hex id before "[...]:port"
  CHECK(mask("&Sat, 06 Dec 2026 01:53:39 GMT2B8Cc9dB") == "&[TIMESTAMP]2B8Cc9dB");  // a word glued to a date
  CHECK(mask("[1733443200]:41234") == "[1733443200]:[PORT_1]");                   // an address before a masked port
  CHECK(mask("127.0.0.1:[PORT:api] localhost:[PORT_2]") == "127.0.0.1:[PORT:api] localhost:[PORT_2]");
  CHECK(mask("01:53:39-02s") == "[TIMESTAMP]-[DURATION]");  // "-02" followed by a word is no zone
  CHECK(mask("01:53:39-02 01:53:39Zs") == "[TIMESTAMP] 01:53:39Zs");
  // A port masked already, then an address glued to it: the address reads as glued to the
  // port's digits, as it did before (only the first pass's "41234second" is a duration).
  CHECK(mask("[::0]:41234second[1]:40617") == "[::0]:[DURATION][1]:40617");
  CHECK(mask("[::0]:[PORT_1][1]:40617") == "[::0]:[PORT_1][1]:40617");
  CHECK(mask("[::0]:41234 [1]:40617") == "[::0]:[PORT_1] [1]:[PORT_2]");
  // A time whose fraction runs into a word is no time; masked, its fraction is a token.
  CHECK(mask("at 01:53:39,1s) ok") == "at 01:53:39,[DURATION]) ok");
  CHECK(mask("at 01:53:39,[DURATION]) ok") == "at 01:53:39,[DURATION]) ok");
  CHECK(mask("at 01:53:39,15 ok") == "at [TIMESTAMP] ok");
  for (std::string text : {"f0FFFFF0[:]:41224", "123d4234[:]:41234", "[1733443200]:41234",
                           "&Sat, 06 Dec 2026 01:53:39 GMT2B8Cc9dB", "01:53:39-02s", "[::0]:41234second[1]:40617",
                           "127.0.0.1:41234[::1]:40617", "at 01:53:39,1s) ok", "pid: 77:00:00,15808055D n"}) {
    auto once = mask(text);
    CHECK(mask(once) == once);
  }
}

TEST_CASE("masking is idempotent") {
  for (std::string text :
       {"req 3f2b8c1e-9a4d-4e2b-8f1a-0c9d8e7f6a5b took 12ms at 2026-12-06T01:53:39Z from 127.0.0.1:41234",
        "[UUID_1] [PORT_1] [TIMESTAMP] [DURATION] [HEX_12] [PID:app#2] [PORT:upstream]", "x [INFO] 0x7ffd1234abcd",
        "plain text with 12 numbers 3.14 and symbols []{}|", ""}) {
    Aliases first;
    auto once = mask_volatile(text, first);
    Aliases second;
    CHECK(mask_volatile(once, second) == once);
  }
}

