#!/usr/bin/env bash
# How good is the RTO estimate (issue 11)? A pgbench cluster (BENCH_SCALE, default 50) archiving into a
# repository, one backup, then WAL from a pgbench run. With a fresh state directory:
#   0. estimate (nothing measured: calibrated restore speed, assumed replay), then restore --start (measured)
#   1..3. estimate (from what this host measured), then restore --start of the same backup and WAL
# and prints, per round, the estimate against the measured restore + replay time, and the ratio. The goal:
# after one restore --start, the estimate is within ±30% of the measured time. Every restore starts with the page
# cache dropped (BENCH_DROP_CACHES=0 to keep it): a restore in an emergency reads a cold repository, and a warm
# second run against a cold first one measures the cache, not the estimate.
# A measurement, not a test; run as root (the server runs as postgres). bench/rto.sh BUILD_DIR
set -euo pipefail
BUILD=${1:?usage: bench/rto.sh BUILD_DIR}
. "$(dirname "$0")/lib/pgbench-cluster.bash"
printf '%-6s %-10s %-12s %-12s %-8s %s\n' round estimate measured restore+ ratio basis
ratios=()
for round in 0 1 2 3; do
  est=$("$CLI" estimate --repo "$WORK/repo" --server bench --json 2>/dev/null)
  target="$WORK/r$round"
  if [ "${BENCH_DROP_CACHES:-1}" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi
  out=$("$CLI" restore --repo "$WORK/repo" --server bench --target-dir "$target" --target-action promote --start --json 2>/dev/null)
  read -r e basis < <(python3 -c 'import json,sys; e=json.loads(sys.argv[1]); print("%.2f" % e["total_seconds"], e["basis"][:60])' "$est")
  read -r m rs rp < <(python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print("%.2f %.2f %.2f" % (o["restore_seconds"]+o["replay_seconds"], o["restore_seconds"], o["replay_seconds"]))' "$out")
  ratio=$(python3 -c "print('%.2f' % ($e / $m))")
  printf '%-6s %-10s %-12s %-12s %-8s %s\n' "$round" "${e}s" "${m}s" "$rs+$rp" "$ratio" "$basis"
  [ "$round" -gt 0 ] && ratios+=("$ratio")
  pg "$BIN/pg_ctl" -D "$target" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$target"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {printf "estimate/measured after one restore --start: median %.2f (min %.2f, max %.2f)\n", a[int((NR+1)/2)], a[1], a[NR]}'
