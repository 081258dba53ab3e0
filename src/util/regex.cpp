#include "util/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <new>

namespace bbx::util {


RegexError::RegexError(const std::string& message, std::size_t offset)
    : std::runtime_error(message + " at offset " + std::to_string(offset)), offset_(offset) {}

std::optional<std::string_view> RegexCaptures::operator[](std::size_t i) const {
  if (i >= size_ || !set_[i]) return std::nullopt;
  return groups_[i];
}

namespace {

constexpr std::uint32_t kCompileOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY;
// The callout the search code carries before each start position (see wrap()). Users' own
// (?C) callouts with other numbers are let through.
constexpr std::uint32_t kBudgetCallout = 255;

struct CodeFree {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
using CodePtr = std::unique_ptr<pcre2_code, CodeFree>;

struct Compiled {
  CodePtr code;
  int error = 0;
  PCRE2_SIZE offset = 0;
};

Compiled compile_pcre2(std::string_view pattern, std::uint32_t options) {
  Compiled c;
  // PCRE2 10.42 refuses a null pointer even with length 0.
  auto* p = reinterpret_cast<PCRE2_SPTR>(pattern.data() ? pattern.data() : "");
  c.code.reset(pcre2_compile(p, pattern.size(), kCompileOptions | options, &c.error, &c.offset, nullptr));
  return c;
}

// Whether the code was compiled to machine code; when not (no executable memory, (*NO_JIT)),
// pcre2_match interprets it.
bool jit_compile(pcre2_code* code) {
  std::size_t size = 0;
  return pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0 &&
         pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

std::string error_text(int code) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof buf) < 0) return "PCRE2 error " + std::to_string(code);
  return reinterpret_cast<const char*>(buf);
}

std::uint32_t info_u32(const pcre2_code* code, std::uint32_t what) {
  std::uint32_t v = 0;
  pcre2_pattern_info(code, what, &v);
  return v;
}

// Length of the leading (*UTF), (*LIMIT_MATCH=n), (*CRLF)... settings, which must stay first.
std::size_t leading_settings(std::string_view p) {
  std::size_t i = 0;
  while (p.substr(i).starts_with("(*")) {
    std::size_t j = i + 2;
    while (j < p.size() && ((p[j] >= 'A' && p[j] <= 'Z') || p[j] == '_')) ++j;
    if (j == i + 2) break;
    if (j < p.size() && p[j] == '=') {
      ++j;
      while (j < p.size() && p[j] >= '0' && p[j] <= '9') ++j;
    }
    if (j >= p.size() || p[j] != ')') break;
    i = j + 1;
  }
  return i;
}

// The search code: "(?C255)(?:pattern)", so that the budget callout runs before each start
// position PCRE2 tries (PCRE2's start-up optimizations still skip positions that cannot
// match, without a callout). The pattern's own compile already succeeded; the closing
// parenthesis is retried after "\E" and "\n" for patterns ending inside \Q... or a (?x)
// comment. The wrapped code must have the same groups; nullptr when no form does.
CodePtr wrap(std::string_view pattern, const pcre2_code* plain) {
  std::size_t head = leading_settings(pattern);
  for (const char* close : {")", "\\E)", "\n)"}) {
    std::string w(pattern.substr(0, head));
    w += "(?C255)(?:";
    w += pattern.substr(head);
    w += close;
    Compiled c = compile_pcre2(w, 0);
    if (!c.code) continue;
    if (info_u32(c.code.get(), PCRE2_INFO_CAPTURECOUNT) != info_u32(plain, PCRE2_INFO_CAPTURECOUNT) ||
        info_u32(c.code.get(), PCRE2_INFO_NAMECOUNT) != info_u32(plain, PCRE2_INFO_NAMECOUNT))
      return nullptr;
    return std::move(c.code);
  }
  return nullptr;
}

std::int64_t coarse_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// One match call's time budget, started by the first start position.
struct Budget {
  std::int64_t deadline_ns = 0;
};

int on_callout(pcre2_callout_block* block, void* data) {
  if (block->callout_number != kBudgetCallout) return 0;
  auto* budget = static_cast<Budget*>(data);
  std::int64_t now = coarse_now_ns();
  if (budget->deadline_ns == 0) {
    budget->deadline_ns = now + std::chrono::nanoseconds(RegexLimits::search_time).count();
    return 0;
  }
  return now < budget->deadline_ns ? 0 : PCRE2_ERROR_CALLOUT;  // negative: abandon the match
}

// Per matching thread: the limits, the JIT stack, and match data for JIT matches (the
// interpreter keeps its backtracking frames in the match data, so it gets fresh match data
// per call rather than keeping up to interpreter_heap_kib per thread).
struct ThreadState {
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  pcre2_match_data* data = nullptr;

  ThreadState() {
    context = pcre2_match_context_create(nullptr);
    data = pcre2_match_data_create(RegexCaptures::kMaxGroups, nullptr);
    if (!context || !data) {
      release();
      throw std::bad_alloc();
    }
    pcre2_set_match_limit(context, RegexLimits::match_steps);
    pcre2_set_heap_limit(context, RegexLimits::interpreter_heap_kib);
    // Without a stack of its own (mmap refused) the JIT uses 32 KiB on the machine stack:
    // deep matches are then too_complex sooner, nothing worse.
    jit_stack = pcre2_jit_stack_create(32 * 1024, RegexLimits::jit_stack_bytes, nullptr);
    if (jit_stack) pcre2_jit_stack_assign(context, nullptr, jit_stack);
  }
  ~ThreadState() { release(); }
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;

  void release() {
    pcre2_match_data_free(data);
    pcre2_jit_stack_free(jit_stack);
    pcre2_match_context_free(context);
  }
};

ThreadState& thread_state() {
  thread_local ThreadState state;
  return state;
}

}  // namespace

struct Regex::Code {
  std::string pattern;
  std::size_t groups = 0;
  CodePtr search;  // wrapped with the budget callout, or the plain pattern when wrapping failed
  bool search_jit = false;
  // Compiled with PCRE2_ANCHORED | PCRE2_ENDANCHORED on first full_match (the JIT refuses them
  // as match-time options). One start position: the step and stack limits bound it.
  mutable std::once_flag whole_once;
  mutable CodePtr whole;
  mutable bool whole_jit = false;
};

std::shared_ptr<const Regex::Code> Regex::build(std::string_view pattern, int* error, std::size_t* offset) {
  Compiled plain = compile_pcre2(pattern, 0);
  if (!plain.code) {
    if (plain.error == PCRE2_ERROR_NOMEMORY) throw std::bad_alloc();
    *error = plain.error;
    *offset = plain.offset;
    return nullptr;
  }
  auto code = std::make_shared<Code>();
  code->pattern.assign(pattern);
  code->groups = info_u32(plain.code.get(), PCRE2_INFO_CAPTURECOUNT);
  // An anchored pattern (`^GET (\w+)`) has one start position: the limits bound it.
  if (!(info_u32(plain.code.get(), PCRE2_INFO_ALLOPTIONS) & PCRE2_ANCHORED)) code->search = wrap(pattern, plain.code.get());
  if (!code->search) code->search = std::move(plain.code);
  code->search_jit = jit_compile(code->search.get());
  return code;
}

Regex Regex::compile(std::string_view pattern) {
  int error = 0;
  std::size_t offset = 0;
  auto code = build(pattern, &error, &offset);
  if (!code) throw RegexError(error_text(error), offset);
  return Regex(std::move(code));
}

std::optional<Regex> Regex::try_compile(std::string_view pattern, std::string* error_message) {
  int error = 0;
  std::size_t offset = 0;
  auto code = build(pattern, &error, &offset);
  if (!code) {
    if (error_message) *error_message = RegexError(error_text(error), offset).what();
    return std::nullopt;
  }
  return Regex(std::move(code));
}

const std::string& Regex::pattern() const { return code_->pattern; }
std::size_t Regex::group_count() const { return code_->groups; }

RegexMatch Regex::search(std::string_view text) const { return run(false, text, nullptr); }
RegexMatch Regex::search(std::string_view text, RegexCaptures& out) const { return run(false, text, &out); }
RegexMatch Regex::full_match(std::string_view text) const { return run(true, text, nullptr); }
RegexMatch Regex::full_match(std::string_view text, RegexCaptures& out) const { return run(true, text, &out); }

RegexMatch Regex::run(bool whole, std::string_view text, RegexCaptures* out) const {
  const Code& c = *code_;
  const pcre2_code* code = c.search.get();
  bool jit = c.search_jit;
  if (whole) {
    std::call_once(c.whole_once, [&c] {
      Compiled w = compile_pcre2(c.pattern, PCRE2_ANCHORED | PCRE2_ENDANCHORED);
      if (!w.code) throw std::bad_alloc();  // the same pattern compiled before: only memory fails
      c.whole_jit = jit_compile(w.code.get());
      c.whole = std::move(w.code);
    });
    code = c.whole.get();
    jit = c.whole_jit;
  }

  ThreadState& ts = thread_state();
  Budget budget;
  pcre2_set_callout(ts.context, on_callout, &budget);
  // The interpreter's match data holds its backtracking frames: per call, freed on return.
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> own(nullptr, pcre2_match_data_free);
  pcre2_match_data* data = ts.data;
  if (!jit) {
    own.reset(pcre2_match_data_create(RegexCaptures::kMaxGroups, nullptr));
    if (!own) throw std::bad_alloc();
    data = own.get();
  }
  auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data() ? text.data() : "");
  int rc = jit ? pcre2_jit_match(code, subject, text.size(), 0, 0, data, ts.context)
               : pcre2_match(code, subject, text.size(), 0, 0, data, ts.context);
  if (rc == PCRE2_ERROR_NOMATCH) return RegexMatch::no;
  // Limits (match, depth, heap, JIT stack), the time budget (PCRE2_ERROR_CALLOUT), memory,
  // and any error PCRE2 should never return for these calls.
  if (rc < 0) return RegexMatch::too_complex;

  if (out) {
    // rc == 0: more groups than the match data holds; all of its kMaxGroups pairs are set.
    std::size_t reported = rc == 0 ? RegexCaptures::kMaxGroups : static_cast<std::size_t>(rc);
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
    out->size_ = std::min(c.groups + 1, RegexCaptures::kMaxGroups);
    for (std::size_t i = 0; i < out->size_; ++i) {
      out->set_[i] = i < reported && ov[2 * i] != PCRE2_UNSET;
      out->groups_[i] = out->set_[i] ? text.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]) : std::string_view();
    }
  }
  return RegexMatch::yes;
}

}  // namespace bbx::util
