# HTTP fake throughput with full capture vs nginx (1 worker, access_log on, `return 200`),
# WireMock (npm `wiremock` jar, when npm and java work) and the floor of our own stack
# (bench/tools/beast_floor.cpp: Beast + Asio, one fixed response, no capture), same run,
# `wrk -t2 -c32 -d8s --latency` each, interleaved: 3 reps of nginx, bbx (the fake on the run's
# loop, the default), bbx_t2 (the same fake with `threads: 2`), nginx_2w (nginx with 2 workers,
# bbx_t2's like) and WireMock; the floor in rep 1.
# Figures (medians over reps):
#   http.ratio_vs_nginx, http.p99_ratio_vs_nginx, http.ratio_vs_wiremock,
#   http.paired_ratio_vs_nginx (median over reps of bbx/nginx measured back to back in that rep),
#   http.threads2_ratio_vs_nginx, http.threads2_p99_ratio_vs_nginx (bbx_t2 against nginx),
#   http.threads2_ratio_vs_nginx_2w, http.threads2_p99_ratio_vs_nginx_2w (against nginx_2w: 2 workers),
#   http.ratio_vs_beast_floor (what routing and full capture cost), http.beast_floor_ratio_vs_nginx
#   (a plain single-threaded Beast server against nginx),
#   http.journal_missing, http.threads2_journal_missing (wrk-completed requests minus journaled
#   http.request, per bbx; <= 0 is good),
#   http.cpu_us_per_request, http.threads2_cpu_us_per_request (runner CPU per request: parse,
#   route, journal, respond).
set -euo pipefail
W="$BENCH_OUT/http"; rm -rf "$W"; mkdir -p "$W"
REPS=${REPS:-3}; DUR=${DUR:-8s}
PIDS=()
WM_PID=""
# WireMock's JVM is frozen (SIGSTOP) outside its own runs: after a run it keeps compiling and
# collecting for seconds, taxing whichever target would come next.
freeze_wm() { if [ -n "$WM_PID" ]; then kill -STOP "$WM_PID" 2>/dev/null || true; fi; }
thaw_wm() { if [ -n "$WM_PID" ]; then kill -CONT "$WM_PID" 2>/dev/null || true; fi; }
cleanup() { thaw_wm; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_http() { for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000}}'; }
# Waits (at most 10 s) until the machine is quiet: under 16% of one CPU busy over half a second
# (what a run leaves behind, such as a thawed JVM's compiling and collecting, taxes the next one).
settle() {
  local b0 b1
  for _ in $(seq 20); do
    b0=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat); sleep 0.5
    b1=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)
    [ $((b1 - b0)) -le $(($(getconf CLK_TCK) * 8 / 100)) ] && return 0
  done
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR ? v[int((NR+1)/2)] : "")}'; }

# nginx, as in ../shared/peers/http_bench.sh; nginx_2w the same with 2 workers (bbx_t2's like)
start_nginx() {  # DIR WORKERS PORT
  mkdir -p "$1/tmp"
  cat > "$1/nginx.conf" <<CONF
worker_processes $2;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; }
http {
  access_log $1/access.log;
  keepalive_requests 1000000;
  client_body_temp_path $1/tmp/body; proxy_temp_path $1/tmp/proxy; fastcgi_temp_path $1/tmp/fcgi;
  uwsgi_temp_path $1/tmp/uwsgi; scgi_temp_path $1/tmp/scgi;
  server { listen 127.0.0.1:$3; location / { return 200 "ok"; } }
}
CONF
  nginx -p "$1" -e "$1/error.log" -c "$1/nginx.conf" -g 'daemon off;' & PIDS+=($!)
}
start_nginx "$W/nginx" 1 18380
start_nginx "$W/nginx_2w" 2 18385

# The Beast floor, compiled here (not by CI: benchmarks are not tests), kept while unchanged
floor_src="$BENCH_DIR/tools/beast_floor.cpp"; floor_bin="$BENCH_OUT/beast_floor"
if [ ! -x "$floor_bin" ] || [ "$floor_src" -nt "$floor_bin" ]; then
  g++ -O2 -std=c++20 -DBOOST_ASIO_NO_DEPRECATED "$floor_src" -o "$floor_bin"
fi
"$floor_bin" 18383 & PIDS+=($!)

# bbx: one fake with a route, full capture, the run kept alive by a long step; bbx_t2 the same
# fake with `threads: 2`, in its own bbx
"$BBX" run --isolation none --runs-dir "$W/runs" "$BENCH_DIR/scenarios/http_fake.yaml" > "$W/bbx.out" 2>&1 & BBX_PID=$!; PIDS+=($BBX_PID)
sed 's/port: 18381}/port: 18384, threads: 2}/' "$BENCH_DIR/scenarios/http_fake.yaml" > "$W/http_fake_t2.yaml"
"$BBX" run --isolation none --runs-dir "$W/runs_t2" "$W/http_fake_t2.yaml" > "$W/bbx_t2.out" 2>&1 & BBX_T2_PID=$!; PIDS+=($BBX_T2_PID)
wait_http http://127.0.0.1:18380/; wait_http http://127.0.0.1:18381/; wait_http http://127.0.0.1:18383/
wait_http http://127.0.0.1:18384/; wait_http http://127.0.0.1:18385/
declare -A URL=([nginx]=http://127.0.0.1:18380/ [bbx]=http://127.0.0.1:18381/ [floor]=http://127.0.0.1:18383/
                [bbx_t2]=http://127.0.0.1:18384/ [nginx_2w]=http://127.0.0.1:18385/)
TARGETS="nginx bbx bbx_t2 nginx_2w floor"

wm_reason="npm install wiremock failed"
if command -v java > /dev/null && command -v npm > /dev/null &&
   timeout 60 npm install --no-save --no-audit --no-fund --prefix "$BENCH_OUT/wm" wiremock@3 > "$W/wm-npm.log" 2>&1; then
  jar=$(ls "$BENCH_OUT"/wm/node_modules/wiremock/build/wiremock-standalone-*.jar 2>/dev/null | head -1 || true)
  if [ -n "$jar" ]; then
    mkdir -p "$W/wmroot"
    java -jar "$jar" --port 18382 --bind-address 127.0.0.1 --disable-banner --root-dir "$W/wmroot" > "$W/wm.out" 2>&1 & WM_PID=$!; PIDS+=($WM_PID)
    if wait_http http://127.0.0.1:18382/__admin/mappings; then
      curl -s -X POST http://127.0.0.1:18382/__admin/mappings -d '{"request":{"method":"GET","url":"/"},"response":{"status":200,"body":"ok"}}' > /dev/null
      URL[wiremock]=http://127.0.0.1:18382/; TARGETS="$TARGETS wiremock"
    else wm_reason="WireMock did not start"; fi
  else wm_reason="no wiremock jar in the npm package"; fi
elif ! command -v java > /dev/null; then wm_reason="java is not installed"; fi

for t in $TARGETS; do wrk -t2 -c32 -d2s "${URL[$t]}" > "$W/warm_$t.txt"; done   # warm-up (JIT, caches)
freeze_wm
completed() { awk '/requests in/ {print $1}' "$1"; }
declare -A RUNNER WRK_TOTAL REQS CPU0
for b in bbx bbx_t2; do
  pid=$BBX_PID; [ "$b" = bbx_t2 ] && pid=$BBX_T2_PID
  r=$(pgrep -P "$pid" | head -1); RUNNER[$b]=${r:-$pid}   # bbx runs scenarios in a child
  WRK_TOTAL[$b]=$(completed "$W/warm_$b.txt"); REQS[$b]=0
done
cpu() { awk '{print $14 + $15}' "/proc/${RUNNER[$1]}/stat"; }
for b in bbx bbx_t2; do CPU0[$b]=$(cpu "$b"); done
# nginx and bbx run back to back in every rep, in alternating order (this machine's speed drifts
# by 10-20% within a minute: a pair's ratio is less exposed to it than a ratio of medians)
for rep in $(seq 1 "$REPS"); do
  others=${TARGETS#nginx bbx bbx_t2 nginx_2w}   # the floor (rep 1 only) and WireMock
  [ "$rep" -eq 1 ] || others=${others/floor/}
  order="nginx bbx bbx_t2 nginx_2w $others"; [ $((rep % 2)) -eq 0 ] && order="nginx_2w bbx_t2 bbx nginx $others"
  for t in $order; do
    f="$W/wrk_r${rep}_$t.txt"
    [ "$t" = wiremock ] && thaw_wm
    settle
    [ -n "${RUNNER[$t]:-}" ] && c0=$(cpu "$t")
    wrk -t2 -c32 -d"$DUR" --latency "${URL[$t]}" > "$f" 2>&1
    [ "$t" = wiremock ] && freeze_wm
    n=$(completed "$f")
    rep_cpu=-
    if [ -n "${RUNNER[$t]:-}" ]; then
      rep_cpu=$(awk -v t=$(($(cpu "$t") - c0)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
      WRK_TOTAL[$t]=$((WRK_TOTAL[$t] + n)); REQS[$t]=$((REQS[$t] + n))
    fi
    # target req/s p99_ms rep runner_cpu_us_per_request
    echo "$t $(awk '/^Requests\/sec:/ {print $2}' "$f") $(awk '$1=="99%" {print $2}' "$f" | to_ms) $rep $rep_cpu" >> "$W/results.txt"
  done
done
cat "$W/results.txt"
sleep 0.5
for b in bbx bbx_t2; do
  prefix=http.; [ "$b" = bbx_t2 ] && prefix=http.threads2_
  awk -v t=$(($(cpu "$b") - CPU0[$b])) -v hz="$(getconf CLK_TCK)" -v n="${REQS[$b]}" -v p="$prefix" \
    'BEGIN { printf "FIGURE %scpu_us_per_request %.2f us\n", p, t / hz * 1e6 / n }'
  runs=runs; [ "$b" = bbx_t2 ] && runs=runs_t2
  journaled=$(grep -c '"type":"http.request"' "$W/$runs/latest/http_bench/events.jsonl" || true)
  echo "FIGURE ${prefix}journal_missing $((WRK_TOTAL[$b] - journaled)) requests"
done
[ -n "${KEEP_RUNS:-}" ] || rm -rf "$W/runs" "$W/runs_t2"   # ~1.6 GB of journal each; KEEP_RUNS=1 keeps them
med() { awk -v t="$1" -v c="$2" '$1==t {print $c}' "$W/results.txt" | median; }
awk -v b="$(med bbx 2)" -v n="$(med nginx 2)" -v bp="$(med bbx 3)" -v np="$(med nginx 3)" 'BEGIN {
  printf "FIGURE http.bbx_req_per_s %.0f req/s\nFIGURE http.nginx_req_per_s %.0f req/s\n", b, n
  printf "FIGURE http.ratio_vs_nginx %.3f ratio\nFIGURE http.p99_ratio_vs_nginx %.3f ratio\n", b / n, bp / np }'
awk -v b="$(med bbx_t2 2)" -v n="$(med nginx 2)" -v bp="$(med bbx_t2 3)" -v np="$(med nginx 3)" 'BEGIN {
  printf "FIGURE http.threads2_req_per_s %.0f req/s\n", b
  printf "FIGURE http.threads2_ratio_vs_nginx %.3f ratio\nFIGURE http.threads2_p99_ratio_vs_nginx %.3f ratio\n", b / n, bp / np }'
awk -v b="$(med bbx_t2 2)" -v n="$(med nginx_2w 2)" -v bp="$(med bbx_t2 3)" -v np="$(med nginx_2w 3)" 'BEGIN {
  printf "FIGURE http.nginx_2w_req_per_s %.0f req/s\n", n
  printf "FIGURE http.threads2_ratio_vs_nginx_2w %.3f ratio\nFIGURE http.threads2_p99_ratio_vs_nginx_2w %.3f ratio\n", b / n, bp / np }'
paired=$(awk '$1=="bbx" {b[$4]=$2} $1=="nginx" {n[$4]=$2} END {for (r in b) if (n[r] > 0) print b[r] / n[r]}' "$W/results.txt" | median)
awk -v p="$paired" 'BEGIN { printf "FIGURE http.paired_ratio_vs_nginx %.3f ratio\n", p }'
awk -v b="$(med bbx 2)" -v f="$(med floor 2)" -v n="$(med nginx 2)" 'BEGIN {
  printf "FIGURE http.beast_floor_req_per_s %.0f req/s\nFIGURE http.ratio_vs_beast_floor %.3f ratio\n", f, b / f
  printf "FIGURE http.beast_floor_ratio_vs_nginx %.3f ratio\n", f / n }'
if [ -n "${URL[wiremock]:-}" ]; then
  awk -v b="$(med bbx 2)" -v w="$(med wiremock 2)" 'BEGIN { printf "FIGURE http.ratio_vs_wiremock %.3f ratio\n", b / w }'
else
  echo "FIGURE http.ratio_vs_wiremock missing ($wm_reason)"
fi
