#include "journal/journal_reader.hpp"

#include <fstream>
#include <stdexcept>

#include "bbx/error.hpp"

namespace bbx::journal {

JournalContents read_journal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_input({path.string()}, "cannot open journal");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  JournalContents out;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < data.size()) {
    ++line_no;
    std::size_t nl = data.find('\n', pos);
    bool last = nl == std::string::npos;
    std::string_view line(data.data() + pos, (last ? data.size() : nl) - pos);
    pos = last ? data.size() : nl + 1;
    try {
      if (last) throw std::invalid_argument("no newline at the end (the run was cut off)");
      out.events.push_back(event_from_json_line(line));
    } catch (const std::invalid_argument& e) {
      if (pos < data.size()) fail_input({path.string(), line_no, 1}, e.what());
      out.truncated_tail = true;
      out.tail_problem = "line " + std::to_string(line_no) + ": " + e.what();
    }
  }
  return out;
}

}  // namespace bbx::journal
