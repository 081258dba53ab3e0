# The stored journal's read interface (journal::StoredJournal as an EventLog&) on a
# 1,000,000-event events.jsonl of a busy run, beside the tools a user has today.
#
# bench/tools/journal_scan.cpp, built as build/bench/bbx-bench-journal (a CMake target
# outside `all`, linked against bbx_core and jemalloc like bbx), first writes the journal
# with the real writer (journal::Journal, catalogue types, drains posted as the runner's
# loop does): per HTTP request an http.request/http.response pair with realistic headers
# and bodies, an access-log output.line and half a statsd.datagram with two samples; every
# 40/150/500 requests a resource.sample, an http step (step.begin, http.reply, assert.pass,
# step.end), a log.line; a mark every 25,000 and an assert.fail every 60,000 requests.
# Then, each in a process of its own (so each peak RSS is its scan's):
#   journal.scan_events_per_s, journal.scan_rss_mb      every event parsed (goal: < 100 MB)
#   journal.filtered_scan_events_per_s, _rss_mb         a scan for assert.fail (4 events):
#                                                       events passed over per second
#   journal.at_us, journal.at_p99_us                    at() of 1000 random seqs once
#                                                       size() (journal.size_s) built the index
# Peers, on the same file in the same run (page cache warm for all: the file was just written):
#   journal.jq_events_per_s    `jq -c .` to /dev/null over the whole file (~18 s; JQ_LINES=N
#                              times it on the first N lines instead: the mix is uniform, so
#                              a prefix is representative), and its peak RSS journal.jq_rss_mb
#   journal.scan_ratio_vs_jq   scan_events_per_s / jq_events_per_s
#   journal.wc_lines_per_s     `wc -l` over the whole file: the floor of reading the bytes
#   journal.grep_lines_per_s   `grep -c '"type":"assert.fail"'` over it, the filtered
#                              scan's peer (journal.filtered_ratio_vs_grep)
# Also journal.write_events_per_s (the writer) and journal.file_mb_1m (the file's size).
# About 40 s on 2 cores (half of it jq). JOURNAL_EVENTS (default 1000000) and JQ_LINES change the sizes;
# KEEP_JOURNAL=1 keeps $BENCH_OUT/journal/events.jsonl.
set -euo pipefail
root=$(cd "$BENCH_DIR/.." && pwd)
W="$BENCH_OUT/journal"; rm -rf "$W"; mkdir -p "$W"
N=${JOURNAL_EVENTS:-1000000}; JQ_LINES=${JQ_LINES:-$N}
[ "$JQ_LINES" -le "$N" ] || JQ_LINES=$N

cmake --build "$root/build" --target bbx-bench-journal > "$W/build.log" 2>&1 \
  || { cat "$W/build.log" >&2; echo "bench/journal: building bbx-bench-journal failed" >&2; exit 1; }
tool="$root/build/bench/bbx-bench-journal"
g++ -O2 -std=c++20 -o "$W/peak_rss" "$BENCH_DIR/tools/peak_rss.cpp"

now() { date +%s%N; }
per_s() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

f="$W/events.jsonl"
"$tool" gen "$f" "$N"
bytes=$(stat -c %s "$f")
echo "info journal: $N events, $bytes bytes, $(awk -v b="$bytes" -v n="$N" 'BEGIN { printf "%.0f", b / n }') bytes per line"
echo "FIGURE journal.file_mb_1m $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB"

scan=$("$tool" scan "$f"); echo "$scan"
"$tool" filter "$f" assert.fail | tee "$W/filter.txt"
"$tool" at "$f" 1000

jq_in="$f"
if [ "$JQ_LINES" -lt "$N" ]; then jq_in="$W/prefix.jsonl"; head -n "$JQ_LINES" "$f" > "$jq_in"; fi
s=$(now); "$W/peak_rss" "$W/jq.rss" jq -c . "$jq_in" > /dev/null; e=$(now)
jq_rate=$(per_s "$JQ_LINES" $((e - s)))
echo "info jq: $JQ_LINES lines in $(( (e - s) / 1000000 )) ms"
echo "FIGURE journal.jq_events_per_s $jq_rate events/s"
echo "FIGURE journal.jq_rss_mb $(awk -F= '$1 == "peak_rss_kb" { printf "%.1f", $2 / 1024 }' "$W/jq.rss") MB"
scan_rate=$(echo "$scan" | awk '$2 == "journal.scan_events_per_s" { print $3 }')
echo "FIGURE journal.scan_ratio_vs_jq $(awk -v a="$scan_rate" -v b="$jq_rate" 'BEGIN { printf "%.2f", a / b }') ratio"

s=$(now); lines=$(wc -l < "$f"); e=$(now)
echo "FIGURE journal.wc_lines_per_s $(per_s "$lines" $((e - s))) lines/s"
s=$(now); hits=$(grep -c '"type":"assert.fail"' "$f"); e=$(now)
grep_rate=$(per_s "$lines" $((e - s)))
echo "info grep: $hits assert.fail lines among $lines"
echo "FIGURE journal.grep_lines_per_s $grep_rate lines/s"
filtered_rate=$(awk '$2 == "journal.filtered_scan_events_per_s" { print $3 }' "$W/filter.txt")
echo "FIGURE journal.filtered_ratio_vs_grep $(awk -v a="$filtered_rate" -v b="$grep_rate" 'BEGIN { printf "%.2f", a / b }') ratio"

rm -f "$W/prefix.jsonl"
[ "${KEEP_JOURNAL:-0}" = 1 ] || rm -f "$f"
