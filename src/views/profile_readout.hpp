// The live one-line readout of `bbx profile` on a terminal: follows a journal being written
// (events.jsonl, complete lines only) and says, from its latest resource.sample events,
// elapsed time, CPU percent (over the last interval), RSS, I/O rate (when journaled) and
// processes: "12.3s  CPU 98.5%  RSS 45.2 MiB  I/O r 1.0 MiB/s w 0 B/s  3 procs".
// Not thread-safe; the file is reopened at each poll (it may not exist yet).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "views/profile_series.hpp"

namespace bbx::views {

class ProfileReadout {
 public:
  explicit ProfileReadout(std::filesystem::path journal) : path_(std::move(journal)) {}
  // The readout after the samples appended since the last call; nullopt when none came.
  std::optional<std::string> poll();
  // The text for two consecutive samples (prev may be null) of a subject started at start_ns.
  static std::string line(const ProfileSample* prev, const ProfileSample& now, std::int64_t start_ns);

 private:
  std::filesystem::path path_;
  std::uint64_t offset_ = 0;
  std::optional<ProfileSample> prev_, last_;
  std::int64_t start_ns_ = -1;
};

}  // namespace bbx::views
