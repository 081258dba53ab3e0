// What every fuzz target shares (fuzz/CMakeLists.txt, docs/fuzzing.md): the rule that tells a
// finding from bad input, and a scratch directory for targets whose code reads files.
//
// The rule: bbx::Error of kind invalid_input is how bbx reports bad input (the cli maps it to
// `path:line:col: message`, exit 2), so a target that gets one has passed. Anything else that
// escapes is a finding, reported by abort() so libFuzzer keeps the input as a crash: another
// bbx::Error kind (harness: exit 3; scenario), any other exception (yaml-cpp's, nlohmann's,
// std::bad_alloc, ...), or a broken contract a target checks itself (finding()).
// Header-only; the targets are single-threaded, as libFuzzer runs them.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <typeinfo>

#include "bbx/error.hpp"

namespace bbx::fuzz {

// Reports a finding on stderr and aborts (libFuzzer saves the input as crash-<sha1>).
[[noreturn]] inline void finding(std::string_view what) {
  std::fprintf(stderr, "FUZZ FINDING: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

// The message of a finding for the exception being handled (call inside a catch block).
inline std::string describe_current_exception() {
  try {
    throw;
  } catch (const bbx::Error& e) {
    const char* kind = e.kind() == ErrorKind::harness ? "harness (exit 3)" : "scenario (exit 1)";
    return std::string("bbx::Error of kind ") + kind + ": " + e.formatted();
  } catch (const std::exception& e) {
    return std::string("exception ") + typeid(e).name() + " (exit 3 'internal error'): " + e.what();
  } catch (...) {
    return "an exception of unknown type";
  }
}

// Runs fn; returns false when it threw bad input (bbx::Error, invalid_input), true when it
// returned; any other exception is a finding.
template <class Fn>
bool input_accepted(Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const bbx::Error& e) {
    if (e.kind() == ErrorKind::invalid_input) {
      if (e.message().empty()) finding("an invalid_input error without a message");
      return false;
    }
    finding(describe_current_exception());
  } catch (...) {
    finding(describe_current_exception());
  }
}

// A directory of this process for the files an input is written to: emptied by fresh(),
// removed at exit. Under /dev/shm when it exists (no disk writes per execution).
class ScratchDir {
 public:
  ScratchDir() {
    std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    dir_ = base / ("bbx-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // The directory, emptied.
  const std::filesystem::path& fresh() {
    for (const auto& e : std::filesystem::directory_iterator(dir_)) std::filesystem::remove_all(e.path());
    return dir_;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace bbx::fuzz
