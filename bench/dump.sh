#!/usr/bin/env bash
# Logical dumps (issue 13), side by side in one run on the same cluster, interleaved over three rounds (A B C D, D C B A,
# A B C D) on two data sets: pgbench data (compressible), then the same plus random filler (incompressible):
#   A  pgarchivist-cli dump (pg_dump -Fc -Z0 streamed through our zstd (level 1 by default), SHA-256, into the repository)
#   B  pg_dump -Fc (its gzip, level 6)
#   C  pg_dump -Fc -Z0 | zstd -3
#   D  pg_dump -Fc -Z0 > /dev/null (what pg_dump itself costs: the floor for A and C)
# then restore, interleaved the same way: R1 pgarchivist-cli restore-dump --into, R2 pg_restore of B's file into a new db.
# Prints medians with min/max, output sizes, our peak RSS, and the ratios the issue sets targets for. Page cache is
# not dropped (the source is the server's, the same for all). A measurement, not a test; run as root.
#   bench/dump.sh BUILD_DIR   (BENCH_SCALE pgbench scale, default 60; BENCH_FILLER_MB random filler, default 300)
set -euo pipefail
BUILD=${1:?usage: bench/dump.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-60}
FILLER_MB=${BENCH_FILLER_MB:-300}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ "$(id -u)" -eq 0 ] || { echo "$0 runs as root (the server runs as postgres)"; exit 1; }
command -v zstd >/dev/null || { echo "zstd is not installed"; exit 1; }
WORK=$(mktemp -d /tmp/pga-bench-dump.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"
cleanup() {
  runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$BIN/initdb" -D "$WORK/data" -A trust -N >/dev/null
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
fsync = off
max_wal_size = 4GB
CONF
runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
CONN="host=$WORK port=$PORT user=postgres dbname=bench"
psql() { "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -qAt "$@"; }
psql -d postgres -c "CREATE DATABASE bench"
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q bench >/dev/null 2>&1
psql -d bench -c "VACUUM ANALYZE"
"$CLI" repo-init --repo "$WORK/repo" >/dev/null
now() { date +%s.%N; }
declare -A times rss size

run() {
  local set=$1 tool=$2 t0 t1
  rm -f "$WORK/out.dump" "$WORK/out.zst"
  t0=$(now)
  case $tool in
    A) /usr/bin/time -f '%M' -o "$WORK/rss" "$CLI" dump --repo "$WORK/repo" --server bench --conninfo "$CONN" --json >"$WORK/a.json" 2>"$WORK/a.err"
       rss[$set]=$(cat "$WORK/rss") ;;
    B) "$BIN/pg_dump" -Fc -d "$CONN" -f "$WORK/out.dump" ;;
    C) "$BIN/pg_dump" -Fc -Z0 -d "$CONN" | zstd -3 -q -o "$WORK/out.zst" ;;
    D) "$BIN/pg_dump" -Fc -Z0 -d "$CONN" >/dev/null ;;
  esac
  sync
  t1=$(now)
  case $tool in
    A) size[$set$tool]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stored_bytes"])' "$WORK/a.json")
       cp "$WORK/a.json" "$WORK/last-$set.json" ;;
    B) size[$set$tool]=$(stat -c %s "$WORK/out.dump"); cp "$WORK/out.dump" "$WORK/keep-$set.dump" ;;
    C) size[$set$tool]=$(stat -c %s "$WORK/out.zst") ;;
    D) size[$set$tool]=0 ;;
  esac
  times[$set$tool]+="$(python3 -c "print('%.2f' % ($t1 - $t0))") "
  printf '  %s %s: %6.2f s\n' "$set" "$tool" "$(python3 -c "print($t1 - $t0)")"
}

restore() {
  local set=$1 tool=$2 t0 t1 id
  psql -d postgres -c "DROP DATABASE IF EXISTS target"
  t0=$(now)
  case $tool in
    R1) id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/last-$set.json")
        "$CLI" restore-dump --repo "$WORK/repo" --server bench --dump "$id" --database bench --into target \
          --conninfo "host=$WORK port=$PORT user=postgres dbname=postgres" >/dev/null 2>"$WORK/r.err" ;;
    R2) psql -d postgres -c "CREATE DATABASE target TEMPLATE template0"
        "$BIN/pg_restore" -d "host=$WORK port=$PORT user=postgres dbname=target" "$WORK/keep-$set.dump" ;;
  esac
  t1=$(now)
  times[$set$tool]+="$(python3 -c "print('%.2f' % ($t1 - $t0))") "
  printf '  %s %s: %6.2f s (%s rows)\n' "$set" "$tool" "$(python3 -c "print($t1 - $t0)")" "$(psql -d target -c 'SELECT count(*) FROM pgbench_accounts')"
}

measure() {
  local set=$1
  echo "== $set: $(psql -d bench -c "SELECT pg_size_pretty(pg_database_size('bench'))")"
  for order in "A B C D" "D C B A" "A B C D"; do for t in $order; do run "$set" "$t"; done; done
  for order in "R1 R2" "R2 R1" "R1 R2"; do for t in $order; do restore "$set" "$t"; done; done
}

measure pgbench
psql -d bench -c "CREATE EXTENSION IF NOT EXISTS pgcrypto"
rows=$((FILLER_MB * 1024 * 1024 / 1400))
psql -d bench -c "CREATE TABLE filler AS SELECT g, encode(gen_random_bytes(1000), 'base64') AS junk FROM generate_series(1, $rows) g"
psql -d bench -c "ALTER TABLE filler ALTER junk SET STORAGE EXTERNAL"
psql -d bench -c "VACUUM ANALYZE filler"
measure filler

DISK=$(dd if=/dev/zero of="$WORK/dd" bs=1M count=512 oflag=direct 2>&1 | tail -1 | sed 's/.*, //')
rm -f "$WORK/dd"
head -c 300000000 /dev/urandom | base64 -w 0 > "$WORK/b64"
t0=$(now); zstd -3 -q -c "$WORK/b64" >/dev/null; t1=$(now)
ONECORE=$(python3 -c "import os; print('%.0f MB/s' % (os.path.getsize('$WORK/b64') / 1e6 / ($t1 - $t0)))")
rm -f "$WORK/b64"
python3 - "$DISK" "$ONECORE" <<PY
import statistics, sys
t = {}
for k, v in {$(for k in "${!times[@]}"; do printf '"%s": "%s", ' "$k" "${times[$k]}"; done)}.items():
    t[k] = [float(x) for x in v.split()]
size = {$(for k in "${!size[@]}"; do printf '"%s": %s, ' "$k" "${size[$k]}"; done)}
rss = {$(for k in "${!rss[@]}"; do printf '"%s": %s, ' "$k" "${rss[$k]}"; done)}
names = {"A": "pgarchivist-cli dump", "B": "pg_dump -Fc (gzip)", "C": "pg_dump -Fc -Z0 | zstd -3", "D": "pg_dump -Fc -Z0 > /dev/null (floor)",
         "R1": "pgarchivist-cli restore-dump", "R2": "pg_restore"}
med = lambda k: statistics.median(t[k])
for s in ("pgbench", "filler"):
    print(f"--- {s}")
    for k in ("A", "B", "C", "D", "R1", "R2"):
        v = t[s + k]
        extra = f", {size[s + k] / 1048576:8.1f} MiB" if size.get(s + k) else ""
        print(f"{names[k]:38s} median {med(s + k):7.2f} s (min {min(v):.2f}, max {max(v):.2f}){extra}")
    print(f"dump: pg_dump -Fc / ours = {med(s + 'B') / med(s + 'A'):.2f}x as fast; | zstd / ours = {med(s + 'C') / med(s + 'A'):.2f}x; "
          f"ours / floor = {med(s + 'A') / med(s + 'D'):.2f}x; size ours / -Fc = {size[s + 'A'] / size[s + 'B']:.2f}; "
          f"peak RSS {rss[s] / 1024:.0f} MiB")
    print(f"restore: pg_restore / ours = {med(s + 'R2') / med(s + 'R1'):.2f}x")
print(f"physical limits here: disk writes {sys.argv[1]} (dd oflag=direct); zstd -3 on one core ~{sys.argv[2]} of base64 input")
PY
