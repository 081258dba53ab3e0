// Regex engines on bbx's matcher shapes, for bench/regex.sh: std::regex as bbx compiled it
// before (util::compile_regex, or std::regex as the HTTP routes and readiness did), PCRE2
// with its JIT as bbx::util::Regex uses it (after), and RE2 (Debian's libre2-dev) as the
// linear-time peer. Prints `FIGURE name value unit` lines: MB/s of text per engine and
// shape, the ratios after/before and after/RE2, then the pathological cases (std::regex in a
// child process, whose signal is reported: it overflows the stack).
// Every engine must agree on what matched; the tool exits 1 when they do not.
// Usage: regex_bench
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <re2/re2.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "util/regex.hpp"

namespace {

// How bbx compiled regexes before util::Regex: std::regex ECMAScript, a leading "(?i)" as icase.
std::regex std_regex(const std::string& pattern) {
  if (pattern.rfind("(?i)", 0) == 0) return std::regex(pattern.substr(4), std::regex::ECMAScript | std::regex::icase);
  return std::regex(pattern, std::regex::ECMAScript);
}


using Clock = std::chrono::steady_clock;
using bbx::util::Regex;
using bbx::util::RegexCaptures;
using bbx::util::RegexMatch;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// What a matcher saw over a corpus: how many texts matched, plus the total length of group 1
// for the capture shape (the engines must agree on both).
struct Tally {
  std::size_t hits = 0;
  std::size_t captured = 0;
  bool operator==(const Tally&) const = default;
};

using Matcher = std::function<void(const std::string&, Tally&)>;

// MB/s over the corpus: the best of `reps` passes.
double throughput(const std::vector<std::string>& corpus, const Matcher& m, int reps, Tally& tally) {
  std::size_t bytes = 0;
  for (const auto& s : corpus) bytes += s.size();
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    tally = {};
    auto start = Clock::now();
    for (const auto& s : corpus) m(s, tally);
    best = std::min(best, seconds_since(start));
  }
  return static_cast<double>(bytes) / best / 1e6;
}

bool agree = true;

void figure(const std::string& name, double value, const char* unit) {
  std::printf("FIGURE regex.%s %.*f %s\n", name.c_str(), value < 10 ? 2 : 0, value, unit);
  std::fflush(stdout);
}

// One shape: std::regex (before), bbx::util::Regex (after), RE2; more engines may follow.
std::vector<double> shape(const std::string& name, const std::vector<std::string>& corpus,
           std::vector<std::pair<std::string, Matcher>> engines) {
  std::vector<double> mbs;
  Tally first;
  for (std::size_t i = 0; i < engines.size(); ++i) {
    Tally t;
    mbs.push_back(throughput(corpus, engines[i].second, engines[i].first == "std" ? 1 : 3, t));
    if (i == 0) first = t;
    if (!(t == first)) {
      std::fprintf(stderr, "regex_bench: %s: %s found %zu/%zu, std %zu/%zu\n", name.c_str(), engines[i].first.c_str(),
                   t.hits, t.captured, first.hits, first.captured);
      agree = false;
    }
    figure(name + "_" + engines[i].first + "_mb_s", mbs.back(), "MB/s");
  }
  std::printf("# %s: %zu of %zu texts match\n", name.c_str(), first.hits, corpus.size());
  figure(name + "_ratio_pcre2_vs_std", mbs[1] / mbs[0], "ratio");
  figure(name + "_ratio_pcre2_vs_re2", mbs[1] / mbs[2], "ratio");
  return mbs;
}

// PCRE2 with its JIT and nothing of bbx's: no budget callout, one thread.
struct RawPcre2 {
  pcre2_code* code;
  pcre2_match_data* data;
  pcre2_match_context* context;
  explicit RawPcre2(const char* pattern) {
    int error;
    PCRE2_SIZE offset;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &error, &offset, nullptr);
    if (!code) std::abort();
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    data = pcre2_match_data_create(10, nullptr);
    context = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(context, bbx::util::RegexLimits::match_steps);
    pcre2_jit_stack_assign(context, nullptr, pcre2_jit_stack_create(32 * 1024, bbx::util::RegexLimits::jit_stack_bytes, nullptr));
  }
  int match(const std::string& s) const {
    return pcre2_jit_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, data, context);
  }
};

RE2::Options re2_options() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// Runs f in a child process (std::regex may overflow the stack): "ok <ms> ms" / "killed by
// SIG..." and the signal number (0 when it exited).
int in_child(const std::function<void()>& f, double& ms) {
  std::fflush(stdout);
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    alarm(60);
    f();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ms = seconds_since(start) * 1e3;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

const char* result_name(RegexMatch m) {
  return m == RegexMatch::yes ? "yes" : m == RegexMatch::no ? "no" : "too_complex";
}

// `(a|b)*c`-like patterns over 100 KB: std::regex in a child, bbx::util::Regex, RE2.
void pathological(const std::string& name, const char* pattern, const std::string& text, bool raw_too) {
  std::regex std_re = std_regex(pattern);
  double std_ms = 0;
  int sig = in_child([&] { (void)std::regex_search(text, std_re); }, std_ms);
  if (sig) {
    std::printf("# %s: std::regex killed by %s after %.0f ms\n", name.c_str(), sigabbrev_np(sig), std_ms);
    figure(name + "_std_signal", sig, "signal");
  } else {
    figure(name + "_std_ms", std_ms, "ms");
  }
  Regex re = Regex::compile(pattern);
  auto start = Clock::now();
  RegexMatch m = re.search(text);
  double ms = seconds_since(start) * 1e3;
  std::printf("# %s: bbx::util::Regex (PCRE2) says %s\n", name.c_str(), result_name(m));
  figure(name + "_pcre2_ms", ms, "ms");
  if (raw_too) {
    RawPcre2 raw(pattern);
    start = Clock::now();
    int rc = raw.match(text);
    std::printf("# %s: PCRE2 without the time budget returns %d\n", name.c_str(), rc);
    figure(name + "_pcre2_unbudgeted_ms", seconds_since(start) * 1e3, "ms");
  }
  RE2 re2(pattern, re2_options());
  start = Clock::now();
  bool r = RE2::PartialMatch(text, re2);
  std::printf("# %s: RE2 says %s\n", name.c_str(), r ? "yes" : "no");
  figure(name + "_re2_ms", seconds_since(start) * 1e3, "ms");
}

}  // namespace

int main() {
  // 1M typical 80-byte log lines; 1% carry an error or fatal word, 0.1% the readiness line.
  std::vector<std::string> lines;
  lines.reserve(1'000'000);
  unsigned seed = 12345;
  auto rnd = [&seed] { return (seed = seed * 1103515245 + 12345) >> 16 & 0x7fff; };
  const char* words[] = {"request", "served", "GET", "/api/v1/items", "status=200", "latency_ms=12", "user=alice",
                         "cache", "hit", "miss", "upstream", "conn=42", "bytes=5120", "ok", "retry=0", "pool"};
  const char* marks[] = {"error", "ERROR", "Fatal", "error:"};
  for (int i = 0; i < 1'000'000; ++i) {
    std::string l = "2026-01-01T12:00:00.123Z INFO worker-" + std::to_string(i % 8) + " ";
    if (i % 100 == 0) l += std::string(marks[i / 100 % 4]) + " ";
    if (i % 1000 == 7) l += "listening on 0.0.0.0:8080 ";
    while (l.size() < 80) l += std::string(words[rnd() % 16]) + " ";
    l.resize(80);
    lines.push_back(std::move(l));
  }

  std::regex log_std = std_regex("(?i)error|fatal");
  Regex log_bbx = Regex::compile("(?i)error|fatal");
  RE2 log_re2("(?i)error|fatal", re2_options());
  RawPcre2 log_raw("(?i)error|fatal");
  auto log_mbs = shape("log_search", lines,
        {{"std", [&](const std::string& s, Tally& t) { t.hits += std::regex_search(s, log_std); }},
         {"pcre2", [&](const std::string& s, Tally& t) { t.hits += log_bbx.matches(s); }},
         {"re2", [&](const std::string& s, Tally& t) { t.hits += RE2::PartialMatch(s, log_re2); }},
         {"pcre2_unbudgeted", [&](const std::string& s, Tally& t) { t.hits += log_raw.match(s) > 0; }}});
  // What the time budget's callout (one per start position tried) costs bbx::util::Regex.
  figure("log_search_ratio_pcre2_vs_unbudgeted", log_mbs[1] / log_mbs[3], "ratio");

  std::regex ready_std("listening on .*:8080");  // as process/readiness.cpp compiles it
  Regex ready_bbx = Regex::compile("listening on .*:8080");
  RE2 ready_re2("listening on .*:8080", re2_options());
  shape("readiness", lines,
        {{"std", [&](const std::string& s, Tally& t) { t.hits += std::regex_search(s, ready_std); }},
         {"pcre2", [&](const std::string& s, Tally& t) { t.hits += ready_bbx.matches(s); }},
         {"re2", [&](const std::string& s, Tally& t) { t.hits += RE2::PartialMatch(s, ready_re2); }}});

  // 1M request paths; two thirds are items.
  std::vector<std::string> paths;
  paths.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    if (i % 3 == 0) paths.push_back("/api/v2/users/" + std::to_string(i) + "/profile");
    else paths.push_back("/api/v" + std::to_string(i % 4 + 1) + "/items/" + std::to_string(i * 7919 % 1000003));
  }
  const char* path_re = "/api/v[0-9]+/items/[0-9]+";
  std::regex path_std(path_re, std::regex::ECMAScript | std::regex::optimize);  // as fakes/http/routing.cpp did
  Regex path_bbx = Regex::compile(path_re);
  RE2 path_re2(path_re, re2_options());
  shape("path_full_match", paths,
        {{"std", [&](const std::string& s, Tally& t) { t.hits += std::regex_match(s, path_std); }},
         {"pcre2", [&](const std::string& s, Tally& t) { t.hits += path_bbx.full_match(s) == RegexMatch::yes; }},
         {"re2", [&](const std::string& s, Tally& t) { t.hits += RE2::FullMatch(s, path_re2); }}});

  // 2,000 JSON bodies of ~10 KB; one in ten has a failed status (at the end).
  std::vector<std::string> bodies;
  for (int i = 0; i < 2'000; ++i) {
    std::string b = "{\"items\": [";
    while (b.size() < 10'000)
      b += "{\"id\": " + std::to_string(rnd()) + ", \"name\": \"item " + std::to_string(rnd()) + "\", \"status\": \"ok\"}, ";
    b += std::string("{\"status\": \"") + (i % 10 ? "ok" : "failed") + "\"}]}";
    bodies.push_back(std::move(b));
  }
  const char* body_re = "\"status\":\\s*\"failed\"";
  std::regex body_std(body_re, std::regex::ECMAScript);  // as fakes/http/routing.cpp did
  Regex body_bbx = Regex::compile(body_re);
  RE2 body_re2(body_re, re2_options());
  shape("body_search", bodies,
        {{"std", [&](const std::string& s, Tally& t) { t.hits += std::regex_search(s, body_std); }},
         {"pcre2", [&](const std::string& s, Tally& t) { t.hits += body_bbx.matches(s); }},
         {"re2", [&](const std::string& s, Tally& t) { t.hits += RE2::PartialMatch(s, body_re2); }}});

  // 1M TCP lines, half GETs; group 1 is what a reply's $1 would take.
  std::vector<std::string> tcp;
  tcp.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i)
    tcp.push_back(i % 2 ? "GET session_" + std::to_string(i) : "SET session_" + std::to_string(i) + " value " + std::to_string(i));
  const char* tcp_re = "^GET (\\w+)";
  std::regex tcp_std = std_regex(tcp_re);
  Regex tcp_bbx = Regex::compile(tcp_re);
  RE2 tcp_re2(tcp_re, re2_options());
  shape("tcp_captures", tcp,
        {{"std",
          [&](const std::string& s, Tally& t) {
            std::smatch m;
            if (std::regex_search(s, m, tcp_std)) ++t.hits, t.captured += static_cast<std::size_t>(m[1].length());
          }},
         {"pcre2",
          [&](const std::string& s, Tally& t) {
            RegexCaptures c;
            if (tcp_bbx.search(s, c) == RegexMatch::yes) ++t.hits, t.captured += c[1]->size();
          }},
         {"re2", [&](const std::string& s, Tally& t) {
            re2::StringPiece g[2];
            if (tcp_re2.Match(s, 0, s.size(), RE2::UNANCHORED, g, 2)) ++t.hits, t.captured += g[1].size();
          }}});

  std::string ab;
  for (int i = 0; i < 50'000; ++i) ab += "ab";
  // No 'c' anywhere: PCRE2 and RE2 see it missing before trying; std::regex recurses.
  pathological("pathological_no_c", "(a|b)*c", ab, false);
  // The match is the whole 100 KB: one group iteration per character.
  pathological("pathological_match", "(a|b)*c", ab + "c", false);
  // Quadratic for a backtracker: every start position runs to the end and fails.
  pathological("quadratic", "(a|b)*[cd]", ab, true);
  return agree ? 0 : 1;
}
