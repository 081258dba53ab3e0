// SHA-256 as lowercase hex (util/sha256.hpp): the standard's test vectors, and a digest fed
// piece by piece equal to one fed at once (baselines digest item texts one by one).
#include <doctest/doctest.h>

#include "util/sha256.hpp"

using bbx::util::Sha256;

TEST_CASE("SHA-256 of the standard's test vectors, whole or in pieces") {
  CHECK(Sha256().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("abc");
  CHECK(abc.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 pieces;
  for (auto p : {"a", "", "b", "c"}) pieces.update(p);
  CHECK(pieces.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
