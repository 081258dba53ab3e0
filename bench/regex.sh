# Regex engines on bbx's matcher shapes (bench/tools/regex_bench.cpp): std::regex as bbx
# compiled it before (ECMAScript, what util::compile_regex and the call sites build), PCRE2
# with its JIT through bbx::util::Regex (after: the time budget's callout included), and RE2.
# Shapes: log-line search `(?i)error|fatal` and readiness `listening on .*:8080` over 1M
# 80-byte lines, HTTP route full match `/api/v[0-9]+/items/[0-9]+` over 1M paths, body
# search `"status":\s*"failed"` over 2,000 JSON bodies of 10 KB, TCP line `^GET (\w+)` with
# its capture over 1M lines; then `(a|b)*c` over 100 KB of "ab" (std::regex runs in a child
# process: the signal that kills it is reported) and the quadratic `(a|b)*[cd]`.
# Figures: regex.<shape>_{std,pcre2,re2}_mb_s (best of 3 passes; std::regex 1 pass),
#   regex.<shape>_ratio_pcre2_vs_std, regex.<shape>_ratio_pcre2_vs_re2,
#   regex.log_search_ratio_pcre2_vs_unbudgeted (what the time budget costs),
#   regex.<case>_std_signal (or _std_ms), regex.<case>_{pcre2,re2}_ms.
# About 25 s. Needs RE2 (libre2-dev, `scripts/setup --bench`); the tool is built only then.
set -euo pipefail
root=$(cd "$BENCH_DIR/.." && pwd)
if ! pkg-config --exists re2 libpcre2-8; then
  echo "bench/regex: needs RE2 and PCRE2 headers (libre2-dev libpcre2-dev: scripts/setup --bench)" >&2
  exit 1
fi
# Compiled here (not by CI: benchmarks are not tests), kept while its sources are unchanged
bin="$BENCH_OUT/regex_bench"
srcs=("$BENCH_DIR/tools/regex_bench.cpp" "$root/src/util/regex.cpp" "$root/src/util/regex.hpp")
stale=0; [ -x "$bin" ] || stale=1
for s in "${srcs[@]}"; do [ "$s" -nt "$bin" ] && stale=1; done
if [ $stale -eq 1 ]; then
  # shellcheck disable=SC2046
  g++ -O2 -std=c++20 -I"$root/src" "${srcs[0]}" "${srcs[1]}" $(pkg-config --cflags --libs libpcre2-8 re2) \
    -pthread -o "$bin"
fi
"$bin"
