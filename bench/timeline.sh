# The merged timeline's views of big journals (250k, 500k and 1M events of a busy run,
# written by bbx-bench-journal gen: HTTP request/response pairs, access-log lines, statsd,
# resource samples, steps, marks, failures), beside what a user does today, in the same run:
#   timeline.text_s_<n>, timeline.text_rss_mb_<n>   `bbx timeline DIR > /dev/null` (goal for 1M:
#                                                   <= 1.5 s, <= 200 MB); timeline.text_cpu_s_<n>
#                                                   its CPU time (user + system), which the
#                                                   machine's other load does not change
#   timeline.jq_s_<n>        jq -r formatting the same journal into one line per event
#   timeline.sortm_s_<n>     sort -m of the journal split into one file per source (the split,
#                            done beforehand with awk, is not timed), merged on t_ns
#   timeline.trace_s_<n>, timeline.trace_mb_<n>     trace.json generation (bbx-bench-views;
#                                                   goal for 1M: <= 2 s, <= 150 MB);
#                                                   timeline.trace_cpu_s_<n> its CPU time
#   timeline.html_s_<n>, timeline.html_mb_<n>       timeline.html generation (all pages);
#                                                   timeline.html_cpu_s_<n> its CPU time
#   timeline.render_s_1m     headless Chromium (Debian's, playwright-core from build/node) from
#                            navigation to the first screen drawn of the 1M journal's first
#                            page (goal <= 3 s); timeline.load_s_1m to its load event (the
#                            tooltips' details, after the page's script, read by then)
#   timeline.*_growth_1m_vs_250k   the 1M figure over the 250k one (linear: about 4)
# About 100 s on 2 cores. TIMELINE_SIZES changes the sizes (the last is named "1m" in the
# FIGURE names when it is 1000000); KEEP_JOURNAL=1 keeps the journals under $BENCH_OUT/timeline.
set -euo pipefail
root=$(cd "$BENCH_DIR/.." && pwd)
W="$BENCH_OUT/timeline"; rm -rf "$W"; mkdir -p "$W"
read -r -a sizes <<< "${TIMELINE_SIZES:-250000 500000 1000000}"
cmake --build "$root/build" --target bbx-bench-journal bbx-bench-views bbx > "$W/build.log" 2>&1 \
  || { cat "$W/build.log" >&2; echo "bench/timeline: build failed" >&2; exit 1; }
gen="$root/build/bench/bbx-bench-journal"
views="$root/build/bench/bbx-bench-views"
g++ -O2 -std=c++20 -o "$W/peak_rss" "$BENCH_DIR/tools/peak_rss.cpp"
now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
name_of() { case $1 in 250000) echo 250k ;; 500000) echo 500k ;; 1000000) echo 1m ;; *) echo "$1" ;; esac; }
declare -A fig

for n in "${sizes[@]}"; do
  k=$(name_of "$n")
  d="$W/s$k"; mkdir -p "$d"
  "$gen" gen "$d/events.jsonl" "$n" > /dev/null
  sync "$d/events.jsonl"  # its writeback done before the timings, not during them (a stored run's journal)
  bytes=$(stat -c %s "$d/events.jsonl")
  echo "info journal $k: $n events, $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') MiB"

  s=$(now); "$W/peak_rss" "$W/text.rss" "$BBX" timeline --color never "$d" > /dev/null; e=$(now)
  fig[text_s_$k]=$(secs $((e - s)))
  fig[text_rss_mb_$k]=$(awk -F= '$1 == "peak_rss_kb" { printf "%.1f", $2 / 1024 }' "$W/text.rss")
  fig[text_cpu_s_$k]=$(awk -F= '$1 == "cpu_s" { printf "%.2f", $2 }' "$W/text.rss")

  s=$(now)
  jq -r '"+\(.t_ns / 1e9)s  #\(.seq)  [\(.source.name)]  \(.type) \(.body | tostring | .[0:120])"' "$d/events.jsonl" > /dev/null
  e=$(now); fig[jq_s_$k]=$(secs $((e - s)))

  mkdir -p "$d/split"
  awk -v dir="$d/split" -F'"name":"' '{ split($2, a, "\""); n = a[1]; gsub(/[^A-Za-z0-9._-]/, "_", n); f = dir "/" n; print > f }' "$d/events.jsonl"
  s=$(now); sort -m -t, -k2.8,2n "$d"/split/* > /dev/null; e=$(now)
  fig[sortm_s_$k]=$(secs $((e - s)))
  rm -rf "$d/split"

  read -r ts tb tf tc < <("$views" trace "$d/events.jsonl" "$d")
  fig[trace_s_$k]=$ts; fig[trace_cpu_s_$k]=$tc; fig[trace_mb_$k]=$(awk -v b="$tb" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "info trace $k: $tf file(s)"
  read -r hs hb hf hc < <("$views" html "$d/events.jsonl" "$d")
  fig[html_s_$k]=$hs; fig[html_cpu_s_$k]=$hc; fig[html_mb_$k]=$(awk -v b="$hb" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "info html $k: $hf page(s)"
  rm -f "$d"/trace*.json
  [ "$n" = "${sizes[-1]}" ] || { [ "${KEEP_JOURNAL:-0}" = 1 ] || rm -f "$d/events.jsonl"; rm -f "$d"/timeline*.html; }
done

last=$(name_of "${sizes[-1]}")
render=""
node_modules="$root/build/node/node_modules"
if [ -x /usr/bin/chromium ] && [ -d "$node_modules/playwright-core" ]; then
  out=$(node "$root/tests/integration/timeline_html_check.js" "$node_modules" "$W/s$last/timeline.html" "$W/render.png" render)
  render=$(echo "$out" | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["render_ms"] / 1000))')
  load=$(echo "$out" | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["load_ms"] / 1000))')
  echo "info render: $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["paging"])')"
else
  echo "info render: skipped (needs /usr/bin/chromium and build/node/node_modules/playwright-core: scripts/test installs both)"
fi

for n in "${sizes[@]}"; do
  k=$(name_of "$n")
  for m in text_s text_cpu_s text_rss_mb jq_s sortm_s trace_s trace_cpu_s trace_mb html_s html_cpu_s html_mb; do
    unit=s; case $m in *_mb) unit=MB ;; esac
    echo "FIGURE timeline.${m}_$k ${fig[${m}_$k]} $unit"
  done
done
[ -n "$render" ] && echo "FIGURE timeline.render_s_$last $render s" && echo "FIGURE timeline.load_s_$last $load s"
first=$(name_of "${sizes[0]}")
for m in text_s trace_s html_s trace_mb; do
  echo "FIGURE timeline.${m%_s}_growth_${last}_vs_$first $(awk -v a="${fig[${m}_$last]}" -v b="${fig[${m}_$first]}" 'BEGIN { printf "%.2f", a / b }') ratio"
done
echo "FIGURE timeline.text_ratio_vs_jq_$last $(awk -v a="${fig[text_s_$last]}" -v b="${fig[jq_s_$last]}" 'BEGIN { printf "%.2f", a / b }') ratio"
echo "FIGURE timeline.text_ratio_vs_sortm_$last $(awk -v a="${fig[text_s_$last]}" -v b="${fig[sortm_s_$last]}" 'BEGIN { printf "%.2f", a / b }') ratio"
[ "${KEEP_JOURNAL:-0}" = 1 ] || rm -rf "$W"/s*
