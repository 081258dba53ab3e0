// The event catalogue in code (journal/event_types.hpp) and its prose
// (docs/journal-events.md) list the same types with the same source kinds. Appending a type
// the code catalogue lacks does not compile (EventType has no public constructor); this
// test is what fails when the documentation falls behind.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>

#include "journal/event_types.hpp"

using bbx::journal::ev;
using bbx::journal::EventType;

namespace {

std::set<std::string> kinds_of(std::string_view list) {
  std::set<std::string> out;
  std::string item;
  for (char c : std::string(list) + ",") {
    if (c == ',') {
      if (!item.empty()) out.insert(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  return out;
}

// "### `type`" headings and the "source: a, b" line that follows each.
std::map<std::string, std::set<std::string>> documented_types() {
  std::ifstream in(std::string(BBX_SOURCE_DIR) + "/docs/journal-events.md");
  REQUIRE(in);
  std::map<std::string, std::set<std::string>> out;
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("### `", 0) == 0) {
      auto end = line.find('`', 5);
      REQUIRE_MESSAGE(end != std::string::npos, "malformed heading: " << line);
      current = line.substr(5, end - 5);
      CHECK_MESSAGE(!out.count(current), "documented twice: " << current);
      out[current];
    } else if (!current.empty() && line.rfind("source:", 0) == 0) {
      out[current] = kinds_of(line.substr(7));
      current.clear();
    }
  }
  return out;
}

}  // namespace

TEST_CASE("an event type cannot be made outside the catalogue") {
  static_assert(!std::is_constructible_v<EventType, std::string_view, std::string_view>);
  static_assert(!std::is_constructible_v<EventType, const char*>);
  static_assert(!std::is_default_constructible_v<EventType>);
}

TEST_CASE("every catalogued type is documented with its source kinds, and nothing else is") {
  auto documented = documented_types();
  std::set<std::string> in_code;
  for (const auto& t : ev::all) {
    std::string name(t.name());
    CHECK_MESSAGE(in_code.insert(name).second, "catalogued twice: " << name);
    auto it = documented.find(name);
    if (it == documented.end()) {
      FAIL_CHECK("docs/journal-events.md has no section '### `" << name << "`'");
      continue;
    }
    CHECK_MESSAGE(it->second == kinds_of(t.sources()),
                  name << ": docs/journal-events.md says another source than event_types.hpp ('" << t.sources() << "')");
  }
  for (const auto& [name, kinds] : documented)
    CHECK_MESSAGE(in_code.count(name), "docs/journal-events.md documents '" << name << "', which src/ never appends");
}

TEST_CASE("type names are area.verb in lowercase, and source kinds are known") {
  const std::set<std::string> kinds{"runner", "scenario", "step", "subject", "fake", "probe", "assert"};
  for (const auto& t : ev::all) {
    for (char c : t.name()) CHECK_MESSAGE((std::islower(static_cast<unsigned char>(c)) || c == '.' || c == '_'), t.name());
    for (const auto& k : kinds_of(t.sources())) CHECK_MESSAGE(kinds.count(k), t.name() << ": unknown source kind " << k);
  }
}
