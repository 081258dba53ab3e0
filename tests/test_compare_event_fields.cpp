// The comparison's field table (compare/event_fields.hpp) and the event catalogue's prose
// (docs/journal-events.md) agree: every field the page marks as varying between runs, and
// every environment-dependent one it names, is kept out of events' identities (compared by
// role, as a number, or not at all); every field the table names is documented for its type.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "compare/event_fields.hpp"
#include "journal/event_types.hpp"

using namespace bbx::compare;

namespace {

struct Documented {
  std::map<std::string, std::map<std::string, bool>> fields;  // type -> field -> varies
  std::string text;
};

Documented read_docs() {
  std::ifstream in(std::string(BBX_SOURCE_DIR) + "/docs/journal-events.md");
  REQUIRE(in);
  Documented d;
  std::string line, current;
  while (std::getline(in, line)) {
    d.text += line + "\n";
    if (line.rfind("### `", 0) == 0) {
      current = line.substr(5, line.find('`', 5) - 5);
      continue;
    }
    if (line.rfind("## ", 0) == 0) current.clear();
    // "| field | type | meaning | varies |" rows of the current type's body table.
    if (current.empty() || line.rfind("| ", 0) != 0 || line.rfind("| field", 0) == 0) continue;
    auto cells = std::vector<std::string>();
    std::size_t p = 1;
    while (p < line.size()) {
      auto q = line.find(" |", p);
      if (q == std::string::npos) break;
      auto cell = line.substr(p, q - p);
      while (!cell.empty() && cell.front() == ' ') cell.erase(0, 1);
      cells.push_back(cell);
      p = q + 2;
    }
    if (cells.size() >= 4 && (cells.back() == "yes" || cells.back() == "no")) d.fields[current][cells[0]] = cells.back() == "yes";
  }
  return d;
}

}  // namespace

TEST_CASE("every varying field of the catalogue is normalised, numbered or left out") {
  auto docs = read_docs();
  REQUIRE(docs.fields.size() >= bbx::journal::ev::all.size() - 1);  // `mark` and friends have tables too
  std::size_t varying = 0;
  for (const auto& [type, fields] : docs.fields)
    for (const auto& [field, varies] : fields) {
      if (!varies) continue;
      ++varying;
      CHECK_MESSAGE(treatment(type, field) != Treatment::compared,
                    type << "." << field << " varies between runs (docs/journal-events.md) but compare/event_fields.cpp "
                                            "compares it verbatim");
    }
  CHECK(varying > 40);
}

TEST_CASE("every field of the table is documented for its type, and its treatment matches the page") {
  auto docs = read_docs();
  for (const auto& r : field_rules()) {
    std::string type(r.type), field(r.field);
    auto t = docs.fields.find(type);
    REQUIRE_MESSAGE(t != docs.fields.end(), "compare/event_fields.cpp names type " << type << ", which the page lacks");
    auto f = t->second.find(field);
    CHECK_MESSAGE(f != t->second.end(), "compare/event_fields.cpp names " << type << "." << field << ", which the page lacks");
    if (f == t->second.end()) continue;
    if (r.how == Treatment::environment)
      CHECK_MESSAGE(!f->second, type << "." << field << " is environment-dependent in the table but varies per run in the docs");
    if (r.how == Treatment::role || r.how == Treatment::number)
      CHECK_MESSAGE(f->second, type << "." << field << " is normalised in the table but documented as stable");
  }
}

TEST_CASE("the environment-dependent fields the page names are left out") {
  for (auto [type, field] : std::vector<std::pair<std::string, std::string>>{
           {"scenario.begin", "file"}, {"scenario.begin", "isolation"}, {"scenario.begin", "hostname"},
           {"process.spawn", "executable"}, {"command.start", "executable"}, {"statsd.receiver", "receive_buffer"},
           {"statsd.receiver", "forced"}, {"step.begin", "where"}, {"assert.pass", "where"}, {"assert.fail", "where"}})
    CHECK_MESSAGE(treatment(type, field) == Treatment::environment, type << "." << field);
  auto docs = read_docs();
  CHECK(docs.text.find("`scenario.begin.hostname`") != std::string::npos);
}
