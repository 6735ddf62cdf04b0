#!/usr/bin/env bash
# What a restore drill costs (issue 12). A pgbench cluster (BENCH_SCALE, default 50) archiving into a repository,
# one backup, WAL from a pgbench run; then, interleaved over three rounds (A B C, C B A, A B C):
#   A  pgarchivist-cli drill: restore, start, replay, pg_amcheck --all --heapallindexed, row counts, remove
#   B  the same by hand: pgarchivist-cli restore --start (promote) + pg_amcheck --all --heapallindexed + pg_ctl stop + rm
#   C  cp -a of the source data directory (the physical floor for writing that many bytes here)
# Prints each run and the medians with their spread. The page cache is dropped before each run
# (BENCH_DROP_CACHES=0 keeps it). A measurement, not a test; run as root. bench/drill.sh BUILD_DIR
set -euo pipefail
BUILD=${1:?usage: bench/drill.sh BUILD_DIR}
BENCH_WAL_SECONDS=${BENCH_WAL_SECONDS:-15}
. "$(dirname "$0")/lib/pgbench-cluster.bash"
drop() { if [ "${BENCH_DROP_CACHES:-1}" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi; }
now() { date +%s.%N; }
declare -A times
run() {
  local tool=$1 round=$2 t0 t1 dir="$WORK/b$1$2"
  drop
  t0=$(now)
  case $tool in
    A) "$CLI" drill --repo "$WORK/repo" --server bench --scratch "$dir" --conninfo "host=$WORK port=$PORT user=postgres" --json \
         >"$WORK/drill$round.json" 2>/dev/null ;;
    B) "$CLI" restore --repo "$WORK/repo" --server bench --target-dir "$dir" --target-action promote --start --json >"$WORK/restore$round.json" 2>/dev/null
       sock=$dir
       pg "$BIN/pg_amcheck" --all --heapallindexed --install-missing -j 2 -h "$sock" -p "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["conninfo"].split("port=")[1].split()[0])' "$WORK/restore$round.json")" -U postgres >/dev/null
       pg "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
       rm -rf "$dir" ;;
    C) cp -a "$WORK/data" "$dir" && sync && rm -rf "$dir" ;;
  esac
  t1=$(now)
  times[$tool]+="$(python3 -c "print('%.2f' % ($t1 - $t0))") "
  printf '%s round %s: %6.2f s\n' "$tool" "$round" "$(python3 -c "print($t1 - $t0)")"
}
for spec in "1:A B C" "2:C B A" "3:A B C"; do
  round=${spec%%:*}
  for tool in ${spec#*:}; do run "$tool" "$round"; done
done
python3 - "$WORK/drill1.json" "${times[A]}" "${times[B]}" "${times[C]}" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
names = {"A": "pgarchivist-cli drill", "B": "restore --start + pg_amcheck by hand", "C": "cp -a (floor)"}
med = {}
for key, raw in zip("ABC", sys.argv[2:5]):
    v = [float(x) for x in raw.split()]
    med[key] = statistics.median(v)
    print(f"{names[key]:40s} median {med[key]:6.2f} s  (min {min(v):.2f}, max {max(v):.2f})")
print(f"drill / by hand: {med['A'] / med['B']:.2f}x; drill / cp -a: {med['A'] / med['C']:.2f}x")
print(f"first drill: outcome {d['outcome']}, restore {d['restore_seconds']:.2f} s, replay {d['replay_seconds']:.2f} s, "
      f"{len(d['row_counts'])} tables counted")
PY
