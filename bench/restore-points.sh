#!/usr/bin/env bash
# Recovery landmarks at archive scale (issue 11): synthetic archives of 10k and 100k WAL segments, written in
# the repository format with archive-push's header (restore points and xid range recorded; one restore point
# every 1000 segments) and a tiny payload, then, under /usr/bin/time, three runs each of
#   restore-points --json   (lists them: reads every archived file's header, no WAL)
#   info --json             (the same headers, plus the window)
# printing the median wall time and the peak RSS. Flat memory means RSS stays put from 10k to 100k.
# A measurement, not a test. bench/restore-points.sh BUILD_DIR   (BENCH_SEGMENTS="10000 100000")
set -euo pipefail
BUILD=${1:?usage: bench/restore-points.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SIZES=${BENCH_SEGMENTS:-10000 100000}
WORK=$(mktemp -d /tmp/pga-bench-rp.XXXXXX)
trap '[ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"' EXIT

make_archive() {  # make_archive REPO SEGMENTS
  "$CLI" repo-init --repo "$1" >/dev/null 2>&1
  python3 - "$1" "$2" <<'PY'
import hashlib, json, os, struct, sys
repo, n = sys.argv[1], int(sys.argv[2])
server = os.path.join(repo, "servers", "syn")
tl = os.path.join(server, "wal", "00000001")
os.makedirs(tl)
json.dump({"name": "syn", "system_identifier": "7712132231895134331", "pg_version_num": 150000,
           "created": "2026-11-01T00:00:00.000Z"}, open(os.path.join(server, "server.json"), "w"))
payload = bytes.fromhex("28b52ffd2000010000")  # an empty zstd frame: listing never decompresses
seg = 16 << 20
t0 = 1795000000000000
for i in range(1, n + 1):
    name = "00000001%08X%08X" % (i >> 8, i & 0xFF)
    points = [{"name": "rp-%d" % i, "lsn": "%X/%X" % ((i * seg + 4096) >> 32, (i * seg + 4096) & 0xFFFFFFFF),
               "time_us": str(t0 + i * 60000000 + 1)}] if i % 1000 == 0 else []
    meta = {"format": 1, "name": name, "kind": "segment", "size": seg, "sha256": "0" * 64, "compression": "zstd",
            "timeline": 1, "arrived": "2026-11-01T00:00:00.000Z", "system_identifier": "7712132231895134331",
            "pg_version_num": 150000, "segment_size": seg, "start_lsn": "%X/%X" % ((i * seg) >> 32, (i * seg) & 0xFFFFFFFF),
            "end_lsn": "%X/%X" % (((i + 1) * seg) >> 32, ((i + 1) * seg) & 0xFFFFFFFF), "wal_switch": False,
            "commits": 100, "aborts": 0, "first_xact_time_us": str(t0 + i * 60000000),
            "last_xact_time_us": str(t0 + i * 60000000 + 59000000), "restore_points": points,
            "min_xid": 1000 + i * 100, "max_xid": 1000 + i * 100 + 99}
    js = json.dumps(meta).encode()
    header = struct.pack("<II", 0x184D2A5E, 32 + len(js)) + hashlib.sha256(js).digest() + js
    with open(os.path.join(tl, name + ".zst"), "wb") as f:
        f.write(header + payload)
PY
}

measure() {  # measure LABEL CMD...: median of 3 wall times, max RSS
  local label=$1 times=() rss=0
  shift
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >"$WORK/out" 2>/dev/null
    read -r t m <"$WORK/t"
    times+=("$t")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  printf '%-28s %8s s (runs %s)  peak RSS %6d KiB\n' "$label" "$median" "${times[*]}" "$rss"
}

for n in $SIZES; do
  repo="$WORK/repo-$n"
  make_archive "$repo" "$n"
  sync
  count=$("$CLI" restore-points --repo "$repo" --server syn --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  echo "--- $n segments, $count restore points listed (expected $((n / 1000)))"
  measure "restore-points --json" "$CLI" restore-points --repo "$repo" --server syn --json
  measure "info --json" "$CLI" info --repo "$repo" --server syn --json
done
