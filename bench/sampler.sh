# sampler.cpu_us_per_sample_{namespaces,none}: the runner's CPU time per resource.sample
# (its resource.sampler event: thread CPU inside sampling ticks / samples), 10 subjects of
# 3 processes each sampled every 20 ms for 5 s. sampler.pct_core_10_subjects: the share of
# one core that sampling those 10 subjects at the default 100 ms costs.
# Peer in the same run: `ps -o rss=,nlwp=,time= --ppid ...`-style sampling, i.e. one
# `ps -e -o pid=,ppid=,rss=,nlwp=,cputime=` fork+exec per tick (what a shell sampler does).
set -euo pipefail
runs="$BENCH_OUT/runs-sampler"; rm -rf "$runs"
for iso in auto none; do
  "$BBX" run --isolation "$iso" --runs-dir "$runs" "$BENCH_DIR/scenarios/sampler.yaml" > /dev/null
  python3 - "$runs/latest/sampler_cost/events.jsonl" "$iso" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "resource.sampler":
        b = e["body"]
        name = "namespaces" if sys.argv[2] == "auto" else "none"
        print(f"FIGURE sampler.cpu_us_per_sample_{name} {b['cpu_us_per_sample']:.1f} us")
        if name == "namespaces":
            print(f"FIGURE sampler.pct_core_10_subjects {b['cpu_us_per_sample'] * 10 / 100000 * 100:.2f} pct")
        print(f"({name}: {b['samples']} samples in {b['ticks']} ticks, {b['cpu_us']} us CPU)")
PY
done
# Peer: one ps per tick (user+sys CPU of 50 runs, per run).
python3 - <<'PY'
import os, resource, subprocess
n = 50
before = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(n):
    subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss=,nlwp=,cputime="], stdout=subprocess.DEVNULL, check=True)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
us = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / n * 1e6
print(f"FIGURE sampler.peer_ps_us_per_tick {us:.1f} us")
PY
rm -rf "$runs"
