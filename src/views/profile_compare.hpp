// Comparing resource profiles: the same subject across several inputs (profile dirs, run
// dirs, scenario dirs), its peaks and totals side by side with the differences from the
// first input, for `bbx profile --compare` (its terminal table and the table of its page)
// and for a single profile's own table (one input: no differences).
//
// What someone comparing two builds reads first comes first: a line per later input with
// the changes in duration, CPU time and peak memory, then the whole table. Pure, except
// load_compare_input, which reads journals.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "views/profile_summary.hpp"

namespace bbx::views {

// One input: every subject of the journals it names that has samples or an exit (a command
// too short for a sample still has its duration and exit).
struct CompareInput {
  std::string label;  // "A", "B", ...
  std::string path;   // as given
  std::vector<SubjectProfile> subjects;
};

// Reads a profile or scenario directory (events.jsonl), a run directory or run id under
// runs_dir, or an events.jsonl file (views/stored_runs.hpp; every scenario of a run).
// Throws bbx::Error (invalid_input) when it is none of these or holds no such subject.
CompareInput load_compare_input(const std::string& label, const std::string& path,
                                const std::filesystem::path& runs_dir);

// One subject found in several inputs. key: "scenario / subject"; when every input holds
// exactly one subject, those are compared whatever their names (two profiles of a command).
struct MatchedSubject {
  std::string key;
  std::vector<const SubjectProfile*> per_input;  // null where the input lacks it
};
// Subjects in the order of the first input that has them; those in one input only are
// returned too (the report says so).
std::vector<MatchedSubject> match_subjects(const std::vector<CompareInput>& inputs);

// One row of the table: a measure of each input, in its unit ("s", "%", "B", "count").
struct CompareRow {
  std::string measure;
  std::string unit;
  std::vector<std::optional<double>> values;
};
// Duration, CPU time (user, system), CPU percent (max, avg), peak memory, RSS avg, PSS max,
// bytes read and written, fds, threads and processes (max), context switches. Rows no input
// knows are left out. Null summaries (a subject an input lacks) are unknown everywhere.
std::vector<CompareRow> compare_rows(const std::vector<const ProfileSummary*>& summaries);

// A value as printed: "12.345s", "99.5%", "1.5 MiB", "12"; "-" when unknown.
std::string format_measure(const std::optional<double>& value, const std::string& unit);

// The table of one matched subject, as cells (row 0: the heading): measure, each input's
// value, then per later input its difference from the first, absolute and in percent; the
// first row after the heading is each input's exit as a shell reports it ("0", "130"; "-"
// unknown).
std::vector<std::vector<std::string>> compare_table(const MatchedSubject& subject, const std::vector<CompareInput>& inputs);
// "B vs A: duration -2.200s (-17.9%), CPU time ..., memory peak ...", per later input that
// has the subject.
std::vector<std::string> compare_headlines(const MatchedSubject& subject, const std::vector<CompareInput>& inputs);

// The text for one matched subject: a heading, the headline per later input, and the table
// (columns: measure, each input's value, then per later input its difference from the
// first, absolute and in percent). exits: each input's exit as a shell reports it ("0",
// "130"; "-" unknown), shown as a row of its own.
std::string compare_text(const MatchedSubject& subject, const std::vector<CompareInput>& inputs);

}  // namespace bbx::views
