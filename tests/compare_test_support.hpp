// Writes small journals for the comparison's unit tests, line by line in the documented
// format (docs/journal-events.md), and reads them back as StoredJournals.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "journal/stored_journal.hpp"

namespace bbx::testing {

class JournalWriter {
 public:
  explicit JournalWriter(const std::string& name)
      : path_(std::filesystem::path(BBX_BINARY_DIR) / "test-tmp" / "compare" / name / "events.jsonl") {
    std::filesystem::remove_all(path_.parent_path());
    std::filesystem::create_directories(path_.parent_path());
    out_.open(path_);
  }

  // scenario.begin, with `extra` fields merged into its body.
  JournalWriter& begin(const std::string& id, const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json body = {{"id", id}, {"name", id}, {"file", "s.yaml"}, {"isolation", "none"}};
    body.update(extra);
    return add("scenario", id, 0, "scenario.begin", body);
  }

  JournalWriter& add(const std::string& kind, const std::string& name, int pid, const std::string& type,
                     const nlohmann::json& body, std::int64_t t_ns = -1) {
    ++seq_;
    t_ns_ = t_ns >= 0 ? t_ns : t_ns_ + 1000000;
    nlohmann::ordered_json line;
    line["seq"] = seq_;
    line["t_ns"] = t_ns_;
    line["wall"] = "2026-12-06T00:00:00.000000Z";
    line["source"] = {{"kind", kind}, {"name", name}, {"pid", pid}};
    line["type"] = type;
    line["body"] = body;
    line["attrs"] = nlohmann::json::object();
    out_ << line.dump() << "\n";
    out_.flush();
    return *this;
  }

  // An output line of a subject.
  JournalWriter& line(const std::string& subject, const std::string& text, int pid = 5) {
    return add("subject", subject, pid, "output.line", {{"line", text}, {"stream", "stderr"}});
  }

  const std::filesystem::path& path() const { return path_; }
  journal::StoredJournal& log() {
    out_.flush();
    if (!log_) log_ = std::make_unique<journal::StoredJournal>(path_);
    return *log_;
  }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  std::uint64_t seq_ = 0;
  std::int64_t t_ns_ = 0;
  std::unique_ptr<journal::StoredJournal> log_;
};

}  // namespace bbx::testing
