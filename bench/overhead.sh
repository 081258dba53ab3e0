# scenario.overhead_ms_j1 / _j2: 100 trivial scenarios (one subject, one HTTP fake, one step,
# one assertion) in one `bbx run` at -j1 and -j2, 5 passes each: the median pass's wall ms
# per scenario minus the spawn floor (posix_spawn + waitpid of /bin/true,
# bench/tools/spawn_floor.cpp). Also prints every pass.
#
# The runs directory is on disk ($BENCH_OUT) for the figures: writing a scenario's run
# directory is part of its cost. The same passes with the runs directory on tmpfs
# (/dev/shm) are printed beside them (scenario.overhead_ms_j1_tmpfs): on an ext4 that has
# seen many recent deletions, creating an inode can take ~0.5 ms (ext4's inode allocator
# skips recently deleted inodes), which the difference shows. Isolation: $ISOLATION
# (default auto).
set -euo pipefail
tools="$BENCH_OUT/tools"; mkdir -p "$tools"
g++ -O2 -std=c++20 -o "$tools/spawn_floor" "$BENCH_DIR/tools/spawn_floor.cpp"
"$tools/spawn_floor" 200 > /dev/null
floor=$("$tools/spawn_floor" 1000)
echo "FIGURE spawn.floor_ms $floor ms"
dir="$BENCH_OUT/overhead-scenarios"; rm -rf "$dir"; mkdir -p "$dir"
for i in $(seq -w 100); do
  sed "s/^name: .*/name: trivial $i/" "$BENCH_DIR/scenarios/overhead.yaml" > "$dir/trivial_$i.yaml"
done
tmpfs_runs=/dev/shm/bbx-bench-overhead-runs
[ -d /dev/shm ] || tmpfs_runs="$BENCH_OUT/runs-overhead-tmpfs"
"$BBX" run --isolation "${ISOLATION:-auto}" --runs-dir "$BENCH_OUT/runs-overhead" "$dir/trivial_001.yaml" > /dev/null  # warm

# pass J RUNS_DIR: prints the wall ms per scenario of one pass of the 100.
pass() {
  local s e
  rm -rf "$2"
  s=$(date +%s%N)
  "$BBX" run -j "$1" --isolation "${ISOLATION:-auto}" --runs-dir "$2" "$dir" > "$BENCH_OUT/overhead_j$1.txt" \
    || { echo "bench/overhead: a scenario failed, see $BENCH_OUT/overhead_j$1.txt" >&2; exit 1; }
  e=$(date +%s%N)
  awk -v ns=$((e - s)) 'BEGIN { printf "%.2f\n", ns / 1e6 / 100 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for j in 1 2; do
  disk=(); tmpfs=()
  for _ in 1 2 3 4 5; do  # interleaved, so both see the same machine
    disk+=("$(pass "$j" "$BENCH_OUT/runs-overhead")")
    tmpfs+=("$(pass "$j" "$tmpfs_runs")")
  done
  echo "scenario wall at -j$j, runs dir on disk:  ${disk[*]} ms per scenario (5 passes)"
  echo "scenario wall at -j$j, runs dir on tmpfs: ${tmpfs[*]} ms per scenario (5 passes)"
  d=$(printf '%s\n' "${disk[@]}" | median); t=$(printf '%s\n' "${tmpfs[@]}" | median)
  awk -v d="$d" -v t="$t" -v f="$floor" -v j="$j" 'BEGIN {
    printf "FIGURE scenario.overhead_ms_j%d %.2f ms\n", j, d - f
    printf "FIGURE scenario.overhead_ms_j%d_tmpfs %.2f ms\n", j, t - f }'
done
rm -rf "$BENCH_OUT/runs-overhead" "$tmpfs_runs" "$dir"
