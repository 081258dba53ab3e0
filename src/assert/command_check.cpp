#include "assert/command_check.hpp"

#include "assert/near_miss.hpp"
#include "assert/text_match.hpp"
#include "process/command_runner.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

// One output of the command as a failure text shows it: a single line quoted in place, as
// written (its final newline too); several as "stdout (12 lines): \"first\"" and the next
// ones below it, up to kLinesShown, then how many more there were.
std::string output_text(const std::string& label, const std::string& text) {
  std::string body = text;
  if (!body.empty() && body.back() == '\n') body.pop_back();
  auto lines = util::split(body, '\n');
  if (lines.size() <= 1) return label + " " + quote_output(text);
  std::vector<std::string> rest;
  for (std::size_t i = 1; i < lines.size() && i < kLinesShown; ++i) rest.push_back(quote_output(lines[i]));
  return label + " (" + std::to_string(lines.size()) + " lines): " + quote_output(lines[0]) +
         quoted_lines(rest, lines.size() - 1, "line");
}

}  // namespace

CommandRun run_command(runtime::RunContext& ctx, const model::CommandExpectation& spec) {
  process::CommandRequest request;
  for (const auto& a : spec.run) request.argv.push_back(ctx.expand(a));
  request.timeout = spec.timeout;
  request.source = {"probe", "command", 0};
  auto outcome = process::run_to_completion(ctx, request);
  CommandRun run;
  run.started = outcome.started;
  run.error = outcome.error;
  if (outcome.timed_out) run.error = "timed out after " + std::to_string(spec.timeout.count() / 1000000) + "ms";
  if (outcome.status) {
    run.status = outcome.status->describe();
    if (outcome.status->kind == process::ExitStatus::Kind::exited) run.exit_code = outcome.status->code;
  }
  run.out = outcome.out;  // as written, final newline included: what a command step matches too
  run.err = outcome.err;
  run.exit_seq = outcome.exit_seq;
  return run;
}

CheckResult judge_command(const model::CommandExpectation& spec, const std::string& argv_text, const CommandRun& run,
                          const SourceLocation& where) {
  CheckResult r;
  r.what = "command '" + argv_text + "'";
  r.where = where;
  if (run.exit_seq) r.evidence.push_back(run.exit_seq);
  std::vector<std::string> expected{"exited with code " + std::to_string(spec.exit_code.value)}, actual;
  bool ok = run.error.empty() && run.exit_code == spec.exit_code.value;
  actual.push_back(run.error.empty() ? run.status : run.error);
  for (auto [label, ms, text] : {std::tuple{"stdout", &spec.stdout_match, &run.out}, {"stderr", &spec.stderr_match, &run.err}}) {
    if (ms->empty()) continue;
    std::vector<std::string> wants;
    bool undecided = false;
    for (const auto& m : *ms) {
      wants.push_back(describe(m));
      auto verdict = Matcher(m).match(*text);
      ok = ok && verdict == util::RegexMatch::yes;
      undecided = undecided || verdict == util::RegexMatch::too_complex;
    }
    expected.push_back(std::string(label) + " " + util::join(wants, " and "));
    actual.push_back(output_text(label, *text) + (undecided ? " (undecided: the regex is too complex for it)" : ""));
  }
  // An output nothing asked about is still what explains a failure ("exited with code 1"
  // alone says nothing): a failed check shows each non-empty one.
  if (!ok)
    for (auto [label, ms, text] : {std::tuple{"stdout", &spec.stdout_match, &run.out}, {"stderr", &spec.stderr_match, &run.err}})
      if (ms->empty() && !text->empty()) actual.push_back(output_text(label, *text));
  r.passed = ok;
  r.expected = util::join(expected, ", ");
  r.actual = util::join(actual, ", ");
  return r;
}

}  // namespace bbx::assertions
