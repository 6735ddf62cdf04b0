#!/usr/bin/env bash
# pgArchivist against pgBackRest on the SAME S3 server: one s3rver (a single Node.js process writing to local disk)
# started here on a loopback port with TLS (a self-signed certificate made by openssl: pgBackRest talks only HTTPS to
# S3), path-style URIs, bucket "bench", credentials S3RVER/S3RVER. One pgbench cluster (PostgreSQL, run as postgres)
# is the source of everything. Interleaved rounds (A B, B A, A B, ...), A = pgarchivist-cli, B = pgbackrest:
#   1 push-sync   archive-push of SEGMENTS real 16 MiB segments (the cluster's own pgbench WAL, copied aside while
#                 it was written), one process per segment as archive_command runs, the whole loop timed per tool;
#                 each round into a fresh archive (a new repository prefix / a new stanza), so nothing is "already there"
#   2 push-async  archive-push --async --async-jobs 2 vs pgBackRest archive-async=y, process-max=2, spool-path; marked .ready in
#                 archive_status beside them and each call's .ready is renamed .done after it, as the archiver does.
#                 (BENCH_PUSH_AHEAD=N is for a separate --push-ahead run; the async phase always uses --async)
#   3 backup      a full base backup of the cluster (pgbench scale SCALE) into S3; pgArchivist into a fresh repository
#                 each round (it deduplicates: a second backup into the same repository would upload nothing new),
#                 pgBackRest --type=full into its stanza (a full backup copies everything every time). During each
#                 tool's backup archive_command is that tool's archive-push into the same repository (both wait for
#                 the backup's last WAL segment to be archived: pgBackRest's default archive-check=y)
#   4 restore     that backup into a fresh empty directory, recovery target immediate (no server is started)
# Medians with min–max over the rounds, the ratio pgBackRest time / pgArchivist time (> 1: pgArchivist is faster),
# client CPU (user+sys of the command and the processes it waited for) and s3rver's CPU seconds for each operation,
# and for reference what the AWS CLI gets from the same s3rver for one large file (the physical limit here).
# Written as markdown to bench/s3.results.md (BENCH_RESULTS=FILE elsewhere, BENCH_RESULTS=none not at all).
# A measurement, not a test: it never fails on speed. Run as root (the server and both tools run as postgres).
#   bench/s3.sh [BUILD_DIR]   (default: the build/ beside bench/)
#     BENCH_ROUNDS (or ROUNDS)     rounds per operation, default 3
#     BENCH_SCALE (or SCALE)       pgbench scale of the cluster, default 50 (~750 MB)
#     BENCH_SEGMENTS (or SEGMENTS) WAL segments pushed per round, default 64
#     BENCH_PGBR_PROCESS_MAX       pgBackRest process-max for backup, restore and async push, default 2 (= our --jobs 2)
#     BENCH_PGA_TLS                no-verify (default: --s3-no-verify-tls, as pgBackRest's repo1-storage-verify-tls=n)
#                                  or ca (--s3-ca-file CERT: verified, the certificate names IP 127.0.0.1)
#     BENCH_PUSH_AHEAD=N           also pgarchivist-cli archive-push --push-ahead N in the async phase (default off)
#     BENCH_DROP_CACHES            1 (default) drops the page cache before each backup and restore, 0 keeps it
#     BENCH_AWS_MB                 size of the AWS CLI reference file in MiB, default 1024; 0 skips it
#     PG_BIN, PGA_CLI, PGA_S3RVER  which PostgreSQL, pgarchivist-cli and s3rver; PGA_KEEP_BENCH=1 keeps the work directory
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../build}" && pwd)
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
ROUNDS=${BENCH_ROUNDS:-${ROUNDS:-3}}
SCALE=${BENCH_SCALE:-${SCALE:-50}}
SEGMENTS=${BENCH_SEGMENTS:-${SEGMENTS:-64}}
PMAX=${BENCH_PGBR_PROCESS_MAX:-2}
PGA_TLS=${BENCH_PGA_TLS:-no-verify}
PUSH_AHEAD=${BENCH_PUSH_AHEAD:-0}
DROP_CACHES=${BENCH_DROP_CACHES:-1}
AWS_MB=${BENCH_AWS_MB:-1024}
RESULTS=${BENCH_RESULTS:-$HERE/s3.results.md}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
S3RVER=${PGA_S3RVER:-/usr/local/lib/pgarchivist-dev/s3rver/node_modules/.bin/s3rver}
BUCKET=bench
[ "$(id -u)" -eq 0 ] || { echo "$0 runs as root (the server runs as postgres)"; exit 1; }
[ -x "$CLI" ] || { echo "no pgarchivist-cli at $CLI (build first: ./dev build)"; exit 1; }
[ -x "$S3RVER" ] || { echo "no s3rver at $S3RVER (./dev bench installs it)"; exit 1; }
command -v pgbackrest >/dev/null || { echo "pgbackrest is not installed (apt-get install pgbackrest)"; exit 1; }
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 1; }
command -v flock >/dev/null || { echo "flock (util-linux) is not installed"; exit 1; }
for v in ROUNDS SCALE SEGMENTS PMAX PUSH_AHEAD AWS_MB; do
  case "${!v}" in ''|*[!0-9]*) echo "$v must be a whole number (got '${!v}')"; exit 64 ;; esac
done
[ "$ROUNDS" -ge 1 ] && [ "$SCALE" -ge 1 ] && [ "$SEGMENTS" -ge 1 ] && [ "$PMAX" -ge 1 ] || { echo "ROUNDS, SCALE, SEGMENTS and the process-max must be 1 or more"; exit 64; }
case "$PGA_TLS" in no-verify|ca) ;; *) echo "BENCH_PGA_TLS is no-verify or ca"; exit 64 ;; esac

WORK=$(mktemp -d /tmp/pga-bench-s3.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"
S3PID=
fail() { echo "$*" >&2; exit 1; }
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# pgBackRest's asynchronous archive-push forks a process that outlives the command; it holds its lock file (flock)
# while it runs. Wait for every such lock to be free; what still holds one after SECS is ours, and its pid is in it.
wait_pgbr_locks() {
  local secs=$1 f n pid
  for f in "$WORK"/pgbr-lock/*.lock; do
    [ -e "$f" ] || continue
    n=$((secs * 10))
    until flock -n "$f" true 2>/dev/null; do
      n=$((n - 1))
      if [ $n -le 0 ]; then
        pid=$(head -1 "$f" 2>/dev/null | tr -dc 0-9)
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  done
}
cleanup() {
  set +e
  if [ -f "$WORK/data/postmaster.pid" ]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
  fi
  wait_pgbr_locks 10
  if [ -n "$S3PID" ] && kill -0 "$S3PID" 2>/dev/null; then
    kill -TERM "$S3PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$S3PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$S3PID" 2>/dev/null
    wait "$S3PID" 2>/dev/null
  fi
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the S3 server: TLS with a self-signed certificate for 127.0.0.1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$WORK/s3-key.pem" -out "$WORK/s3-cert.pem" >/dev/null 2>&1 \
  || fail "openssl could not make the certificate"
chmod 644 "$WORK/s3-cert.pem"
mkdir -p "$WORK/s3"
for _ in 1 2 3; do
  S3PORT=$(freeport)
  "$S3RVER" -d "$WORK/s3" -a 127.0.0.1 -p "$S3PORT" --silent --key "$WORK/s3-key.pem" --cert "$WORK/s3-cert.pem" \
    --configure-bucket "$BUCKET" >>"$WORK/s3rver.log" 2>&1 &
  S3PID=$!
  for _ in $(seq 200); do
    kill -0 "$S3PID" 2>/dev/null || break
    curl -sk -o /dev/null "https://127.0.0.1:$S3PORT/" && break 2
    sleep 0.05
  done
  kill -TERM "$S3PID" 2>/dev/null || true
  wait "$S3PID" 2>/dev/null || true
  S3PID=
done
[ -n "$S3PID" ] || fail "s3rver did not start: $(tail -5 "$WORK/s3rver.log")"
ENDPOINT="https://127.0.0.1:$S3PORT"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE PGARCHIVIST_S3_ENDPOINT PGARCHIVIST_S3_REGION PGARCHIVIST_S3_URI_STYLE \
  PGARCHIVIST_S3_CA_FILE PGARCHIVIST_S3_VERIFY_TLS
# pgarchivist-cli's own state and caches stay in WORK (the server inherits these, and so its archive_command).
export XDG_DATA_HOME=$WORK/state XDG_CACHE_HOME=$WORK/cache
install -d -o postgres -g postgres "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
if [ "$PGA_TLS" = ca ]; then TLSOPT="--s3-ca-file $WORK/s3-cert.pem"; else TLSOPT="--s3-no-verify-tls"; fi
S3OPTS="--s3-endpoint $ENDPOINT --s3-region us-east-1 --s3-uri-style path $TLSOPT"
pga_url() { echo "s3://$BUCKET/$1"; }
# Bytes of the objects under a prefix, from s3rver's directory (each object is one file named KEY._S3rver_object).
stored_bytes() { find "$WORK/s3/$BUCKET/$1" -name '*._S3rver_object' -printf '%s\n' 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }
CLK=$(getconf CLK_TCK)
s3cpu() { awk -v clk="$CLK" '{printf "%.2f", ($14 + $15) / clk}' "/proc/$S3PID/stat"; }

# --- the cluster
PORT=$(freeport)
# The segments to push are copied aside into SRC as the archiver finishes them. pgBackRest's asynchronous push lists
# archive_status only inside its pg1-path, so SRC is the pg_wal of a stand-in pg1-path, PGSRC, that holds a copy of the
# cluster's pg_control (all that archive-push reads there); both tools' pushes read the segments from SRC.
PGSRC=$WORK/walsrc
SRC=$PGSRC/pg_wal
runuser -u postgres -- "$BIN/initdb" -D "$WORK/data" -A trust >/dev/null
install -d -o postgres -g postgres -m 700 "$PGSRC" "$PGSRC/global"
install -d -o postgres -g postgres "$SRC" "$WORK/pgbr-log" "$WORK/pgbr-lock" "$WORK/pgbr-spool"
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
wal_level = replica
max_wal_senders = 10
archive_mode = on
archive_command = 'test ! -f $SRC/%f && cp %p $SRC/%f'
max_wal_size = 4GB
CONF
pg_start() { runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 120 start >/dev/null || fail "the server did not start: $(tail -5 "$WORK/server.log")"; }
pg_stop() { runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m fast -w -t 120 stop >/dev/null; }
pg_start
psql() { "$BIN/psql" -X -h "$WORK" -p "$PORT" -U postgres -qAt -v ON_ERROR_STOP=1 -d postgres "$@"; }
CONN="host=$WORK port=$PORT user=postgres dbname=postgres"
# archive_command for the next segments: the reload reaches the archiver before the next file it archives.
set_archive() {
  psql -c "ALTER SYSTEM SET archive_command = '$1'" -c "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 50); do [ "$(psql -c 'SHOW archive_command')" = "$1" ] && break; sleep 0.1; done
  sleep 0.5
}
# Switch to a new segment and wait until the archiver has archived it (and so everything before it). A record is
# written first: with no WAL since the last switch pg_switch_wal() does nothing and names a segment archived long
# ago, while last_archived_wal may be a backup history file, which pg_backup_stop marks ready after its switch.
wait_archived() {
  local seg
  psql -c "SELECT pg_logical_emit_message(false, 'pga-bench', 'switch')" >/dev/null
  seg=$(psql -c "SELECT pg_walfile_name(pg_switch_wal())")
  for _ in $(seq 1200); do
    [ -e "$WORK/data/pg_wal/archive_status/$seg.done" ] && return 0
    [ "$(psql -c "SELECT coalesce(last_archived_wal >= '$seg', false) FROM pg_stat_archiver")" = t ] && return 0
    sleep 0.1
  done
  fail "segment $seg was not archived in 120 s: $(tail -5 "$WORK/server.log")"
}

echo "pgbench -i -s $SCALE, then pgbench -c 2 -T 5 runs until $SEGMENTS segments are archived aside ..."
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q postgres >"$WORK/pgbench-init.log" 2>&1 \
  || fail "pgbench -i failed: $(tail -3 "$WORK/pgbench-init.log")"
nseg() { find "$SRC" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' -size 16M | wc -l; }
psql -c "ALTER SYSTEM SET checkpoint_timeout = '30s'" -c "SELECT pg_reload_conf()" >/dev/null  # more full-page images
for _ in $(seq 200); do
  [ "$(nseg)" -ge "$SEGMENTS" ] && break
  "$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -c 2 -j 2 -T 5 postgres >/dev/null 2>&1 || fail "pgbench failed"
  psql -c "SELECT pg_switch_wal()" >/dev/null
  sleep 0.5
done
[ "$(nseg)" -ge "$SEGMENTS" ] || fail "only $(nseg) of $SEGMENTS segments after 200 pgbench runs"
psql -c "ALTER SYSTEM RESET checkpoint_timeout" -c "SELECT pg_reload_conf()" >/dev/null
set_archive true
wait_archived
mapfile -t SEGS < <(find "$SRC" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' -size 16M -printf '%f\n' | sort | head -n "$SEGMENTS")
for f in "$SRC"/*; do  # the segments past the first SEGMENTS, and anything else the archiver copied
  [ -f "$f" ] || continue
  case " ${SEGS[*]} " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
done
printf '%s\n' "${SEGS[@]}" >"$WORK/segs.txt"
SEG_MB=$(du -sm "$SRC" | cut -f1)

# --- pgBackRest: one stanza per push round (a fresh archive each time) and "bench" for the backups
STANZAS=(bench)
for r in $(seq "$ROUNDS"); do STANZAS+=("push-sync-r$r" "push-async-r$r"); done
PGBR_CONF=$WORK/pgbackrest.conf
{
  cat <<CONF
[global]
repo1-type=s3
repo1-s3-bucket=$BUCKET
repo1-s3-endpoint=127.0.0.1
repo1-storage-port=$S3PORT
repo1-storage-verify-tls=n
repo1-s3-uri-style=path
repo1-s3-region=us-east-1
repo1-s3-key=S3RVER
repo1-s3-key-secret=S3RVER
repo1-path=/pgbackrest
log-path=$WORK/pgbr-log
lock-path=$WORK/pgbr-lock
spool-path=$WORK/pgbr-spool
compress-type=zst
compress-level=1
process-max=$PMAX
start-fast=y
archive-async=n
CONF
  for s in "${STANZAS[@]}"; do printf '[%s]\npg1-path=%s\npg1-port=%s\npg1-socket-path=%s\n' "$s" "$WORK/data" "$PORT" "$WORK"; done
} >"$PGBR_CONF"
chmod 644 "$PGBR_CONF"
PGBR=(runuser -u postgres -- pgbackrest --config="$PGBR_CONF")
for s in "${STANZAS[@]}"; do
  "${PGBR[@]}" --stanza="$s" stanza-create >"$WORK/stanza.log" 2>&1 || fail "pgbackrest stanza-create $s failed: $(tail -5 "$WORK/stanza.log")"
done

# --- measurements: one line per run into times.jsonl
TIMES=$WORK/times.jsonl
# record OP TOOL ROUND ORDER WALL CPU S3CPU STORED_BYTES DATA_MB
record() {
  printf '{"op":"%s","tool":"%s","round":%d,"order":"%s","wall":%.3f,"cpu":%.3f,"s3cpu":%.3f,"stored":%d,"mb":%d}\n' "$@" >>"$TIMES"
  printf '  %-11s %-46s round %s (%s): %8.2f s wall, %7.2f s CPU, s3rver %7.2f s CPU, stored %8.1f MiB\n' \
    "$1" "$(label "$2")" "$3" "$4" "$5" "$6" "$7" "$(echo "$8 / 1048576" | bc -l)"
}
label() {
  case $1 in
    pga) echo "pgarchivist-cli" ;;
    pgbr) echo "pgbackrest" ;;
    pgbr-async) echo "pgbackrest (archive-async=y, process-max=$PMAX)" ;;
    pga-ahead) echo "pgarchivist-cli --push-ahead $PUSH_AHEAD" ;;
    pga-async) echo "pgarchivist-cli --async (--async-jobs $PMAX)" ;;
  esac
}
drop_caches() { sync; if [ "$DROP_CACHES" = 1 ]; then echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; fi; }
# timed LOG CMD...: runs CMD, sets WALL and CPU (user + sys, with the processes it waited for) and S3 (s3rver's CPU).
timed() {
  local log=$1 s0 t0 t1 u s
  shift
  s0=$(s3cpu)
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$@" >"$log" 2>&1 || fail "FAILED: $* (see below)
$(tail -8 "$log")"
  t1=$(date +%s.%N)
  read -r u s <"$WORK/cpu"
  WALL=$(echo "$t1 - $t0" | bc -l)
  CPU=$(echo "$u + $s" | bc -l)
  S3=$(echo "$(s3cpu) - $s0" | bc -l)
}

# The push loop: as the server's OS user in one shell, one process per segment, as the archiver runs archive_command.
cat >"$WORK/push.sh" <<LOOP
#!/usr/bin/env bash
set -euo pipefail
method=\$1 target=\$2
mapfile -t SEGS < $WORK/segs.txt
for s in "\${SEGS[@]}"; do
  case \$method in
    pga) $CLI archive-push --repo "\$target" --server bench $S3OPTS $SRC/\$s ;;
    pga-ahead) $CLI archive-push --repo "\$target" --server bench $S3OPTS --push-ahead $PUSH_AHEAD $SRC/\$s ;;
    pga-async) $CLI archive-push --async --async-jobs $PMAX --spool $WORK/pga-spool --repo "\$target" --server bench $S3OPTS $SRC/\$s ;;
    pgbr) pgbackrest --config=$PGBR_CONF --stanza="\$target" --pg1-path=$PGSRC archive-push $SRC/\$s ;;
    pgbr-async) pgbackrest --config=$PGBR_CONF --stanza="\$target" --pg1-path=$PGSRC --archive-async archive-push $SRC/\$s ;;
  esac
  # What the archiver does after a success (the asynchronous pushes read these).
  if [ -e $SRC/archive_status/\$s.ready ]; then mv $SRC/archive_status/\$s.ready $SRC/archive_status/\$s.done; fi
done
LOOP
chmod 755 "$WORK/push.sh"
mark_ready() {
  rm -rf "$SRC/archive_status"
  install -d -o postgres -g postgres "$SRC/archive_status"
  for s in "${SEGS[@]}"; do runuser -u postgres -- touch "$SRC/archive_status/$s.ready"; done
}
push() {  # push OP TOOL ROUND ORDER
  local op=$1 tool=$2 r=$3 order=$4 target prefix
  case $tool in
    pga|pga-ahead|pga-async) prefix=$op-$tool-r$r; target=$(pga_url "$prefix"); "$CLI" repo-init --repo "$target" $S3OPTS >/dev/null ;;
    pgbr) target=push-sync-r$r; prefix=pgbackrest/archive/$target ;;
    pgbr-async) target=push-async-r$r; prefix=pgbackrest/archive/$target ;;
  esac
  if [ "$op" = push-async ]; then mark_ready; else rm -rf "$SRC/archive_status"; fi
  sync
  cat "$SRC"/0* >/dev/null  # just written segments are in the page cache in real life too
  timed "$WORK/push-$tool-$r.log" runuser -u postgres -- "$WORK/push.sh" "$tool" "$target"
  wait_pgbr_locks 60  # the asynchronous process finishes after the last segment's .ok, outside the timing
  for f in "$WORK"/pga-spool/*/pusher.lock; do  # and our pusher exits after 10 s with nothing ready
    [ -e "$f" ] && timeout 60 flock "$f" true
  done
  for s in "${SEGS[@]}"; do  # every segment is an object now (both name them SEGMENT.zst or SEGMENT-SHA1.zst)
    find "$WORK/s3/$BUCKET/$prefix" -name "$s*._S3rver_object" | grep -q . || fail "$tool did not store $s under $prefix"
  done
  record "$op" "$tool" "$r" "$order" "$WALL" "$CPU" "$S3" "$(stored_bytes "$prefix")" "$SEG_MB"
}

pg_stop
install -o postgres -g postgres -m 600 "$WORK/data/global/pg_control" "$PGSRC/global/pg_control"
install -o postgres -g postgres -m 600 "$WORK/data/PG_VERSION" "$PGSRC/PG_VERSION"
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $SEGMENTS segments ($SEG_MB MiB); s3rver at $ENDPOINT (pid $S3PID)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "1. archive-push, synchronous, one process per segment ($ROUNDS rounds):"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for t in $order; do
    if [ "$t" = A ]; then push push-sync pga "$r" "$order"; else push push-sync pgbr "$r" "$order"; fi
  done
done
echo "2. archive-push, asynchronous (--async --async-jobs $PMAX vs archive-async=y process-max=$PMAX) ($ROUNDS rounds):"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for t in $order; do
    if [ "$t" = A ]; then push push-async pga-async "$r" "$order"; else push push-async pgbr-async "$r" "$order"; fi
  done
done
rm -rf "$SRC/archive_status"

pg_start
psql -c "CHECKPOINT" >/dev/null
DATA_MB=$(du -sm --exclude=pg_wal "$WORK/data" | cut -f1)
echo "3. full backup of pgbench scale $SCALE ($DATA_MB MB without pg_wal) ($ROUNDS rounds):"
backup() {  # backup TOOL ROUND ORDER
  local tool=$1 r=$2 order=$3 prefix before
  if [ "$tool" = pga ]; then
    prefix=pga-backup-r$r
    "$CLI" repo-init --repo "$(pga_url "$prefix")" $S3OPTS >/dev/null
    set_archive "$CLI archive-push --repo $(pga_url "$prefix") --server bench $S3OPTS %p"
  else
    prefix=pgbackrest/backup/bench
    set_archive "pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p"
  fi
  wait_archived
  before=$(stored_bytes "$prefix")
  drop_caches
  if [ "$tool" = pga ]; then
    timed "$WORK/backup-$tool-$r.log" runuser -u postgres -- "$CLI" backup --repo "$(pga_url "$prefix")" --server bench $S3OPTS --conninfo "$CONN"
  else
    timed "$WORK/backup-$tool-$r.log" "${PGBR[@]}" --stanza=bench --type=full backup
  fi
  record backup "$tool" "$r" "$order" "$WALL" "$CPU" "$S3" "$(($(stored_bytes "$prefix") - before))" "$DATA_MB"
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for t in $order; do if [ "$t" = A ]; then backup pga "$r" "$order"; else backup pgbr "$r" "$order"; fi; done
done
set_archive true

echo "4. restore of that backup into a fresh directory, recovery target immediate ($ROUNDS rounds):"
restore() {  # restore TOOL ROUND ORDER
  local tool=$1 r=$2 order=$3 dir=$WORK/restore-$1 mb
  rm -rf "$dir"
  install -d -o postgres -g postgres -m 700 "$dir"
  drop_caches
  if [ "$tool" = pga ]; then
    timed "$WORK/restore-$tool-$r.log" runuser -u postgres -- "$CLI" restore --repo "$(pga_url "pga-backup-r$r")" --server bench $S3OPTS \
      --target-dir "$dir" --target-immediate
  else
    timed "$WORK/restore-$tool-$r.log" "${PGBR[@]}" --stanza=bench --pg1-path="$dir" --type=immediate restore
  fi
  [ -f "$dir/PG_VERSION" ] && [ -d "$dir/base" ] || fail "restore by $tool left no data directory in $dir"
  mb=$(du -sm --exclude=pg_wal "$dir" | cut -f1)
  record restore "$tool" "$r" "$order" "$WALL" "$CPU" "$S3" 0 "$mb"
  rm -rf "$dir"
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for t in $order; do if [ "$t" = A ]; then restore pga "$r" "$order"; else restore pgbr "$r" "$order"; fi; done
done
pg_stop
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the physical limit: the AWS CLI (multipart, 10 threads by default) up and down with one large file
AWSLINE="not measured (BENCH_AWS_MB=0)"
if [ "$AWS_MB" -gt 0 ]; then
  if command -v aws >/dev/null; then
    echo "5. reference: aws s3 cp of a $AWS_MB MiB file (random bytes) to and from the same s3rver:"
    head -c $((AWS_MB * 1048576)) /dev/urandom >"$WORK/aws.bin"
    sync
    AWS=(aws --endpoint-url "$ENDPOINT" --no-verify-ssl --only-show-errors)
    s0=$(s3cpu); t0=$(date +%s.%N)
    "${AWS[@]}" s3 cp "$WORK/aws.bin" "s3://$BUCKET/awscli/aws.bin" >"$WORK/aws.log" 2>&1 || fail "aws s3 cp failed: $(grep -v Warning "$WORK/aws.log" | tail -3)"
    t1=$(date +%s.%N); up=$(echo "$t1 - $t0" | bc -l); ups3=$(echo "$(s3cpu) - $s0" | bc -l)
    rm -f "$WORK/aws.bin"
    s0=$(s3cpu); t0=$(date +%s.%N)
    "${AWS[@]}" s3 cp "s3://$BUCKET/awscli/aws.bin" - 2>>"$WORK/aws.log" >/dev/null || fail "aws s3 cp (download) failed: $(grep -v Warning "$WORK/aws.log" | tail -3)"
    t1=$(date +%s.%N); down=$(echo "$t1 - $t0" | bc -l); downs3=$(echo "$(s3cpu) - $s0" | bc -l)
    "${AWS[@]}" s3 rm "s3://$BUCKET/awscli/aws.bin" >/dev/null 2>&1 || true
    AWSLINE=$(printf '`aws s3 cp` (%s) of a %d MiB file: upload %.2f s = %.0f MiB/s (s3rver %.2f s CPU), download to /dev/null %.2f s = %.0f MiB/s (s3rver %.2f s CPU)' \
      "$(aws --version 2>&1 | cut -d' ' -f1)" "$AWS_MB" "$up" "$(echo "$AWS_MB / $up" | bc -l)" "$ups3" "$down" "$(echo "$AWS_MB / $down" | bc -l)" "$downs3")
  else
    AWSLINE="not measured (no aws command)"
  fi
  echo "  $AWSLINE"
fi
DISK=$(dd if=/dev/zero of="$WORK/dd" bs=1M count=512 oflag=direct 2>&1 | tail -1 | sed 's/.*, //')
rm -f "$WORK/dd"

# --- summary
PGBR_VERSION=$(pgbackrest version)
PGA_VERSION="$("$CLI" version 2>/dev/null | head -1) ($(git -C "$HERE" describe --always --dirty 2>/dev/null || echo "no git"))"
PG_VERSION=$("$BIN/postgres" --version)
cat >"$WORK/summary.py" <<'PY'
import json, statistics, sys
times, rounds, segments, scale, pmax, push_ahead = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
runs = [json.loads(l) for l in open(times)]
def pick(op, tool, key="wall"):
    return [r[key] for r in runs if r["op"] == op and r["tool"] == tool]
def cell(v, per=None, unit=""):
    if not v:
        return "—"
    s = f"{statistics.median(v):.2f} s ({min(v):.2f} – {max(v):.2f})"
    if per:
        s += f", {statistics.median(v) * 1000 / per:.0f} ms/segment"
    return s
def med(op, tool, key="wall"):
    v = pick(op, tool, key)
    return statistics.median(v) if v else None
def ratio(op, a="pga", b="pgbr"):
    x, y = med(op, a), med(op, b)
    return f"**{y / x:.2f}**" if x and y else "—"
def mbs(op, tool):
    v = pick(op, tool)
    mb = [r["mb"] for r in runs if r["op"] == op and r["tool"] == tool]
    return f"{mb[0] / statistics.median(v):.0f} MB/s" if v else "—"
def stored(op, tool):
    v = pick(op, tool, "stored")
    return f"{statistics.median(v) / 1048576:.1f} MiB" if v and max(v) > 0 else "—"
print(f"| operation | pgArchivist | pgBackRest | pgBackRest / pgArchivist |")
print(f"|---|---|---|---:|")
print(f"| 1. archive-push, synchronous, {segments} × 16 MiB, one process per segment | {cell(pick('push-sync', 'pga'), segments)} "
      f"| {cell(pick('push-sync', 'pgbr'), segments)} | {ratio('push-sync')} |")
a_async = cell(pick('push-async', 'pga-async'), segments) + f" (`--async --async-jobs {pmax}`)"
print(f"| 2. archive-push, asynchronous (pgBackRest archive-async=y, process-max={pmax}) | {a_async} "
      f"| {cell(pick('push-async', 'pgbr-async'), segments)} | {ratio('push-async', 'pga-async', 'pgbr-async')} |")
print(f"| 3. full backup, pgbench scale {scale} | {cell(pick('backup', 'pga'))}, {mbs('backup', 'pga')} "
      f"| {cell(pick('backup', 'pgbr'))}, {mbs('backup', 'pgbr')} | {ratio('backup')} |")
print(f"| 4. restore of that backup | {cell(pick('restore', 'pga'))}, {mbs('restore', 'pga')} "
      f"| {cell(pick('restore', 'pgbr'))}, {mbs('restore', 'pgbr')} | {ratio('restore')} |")
print()
print("Medians over the rounds (min – max); wall time of the whole operation, for the pushes the whole loop over all segments.")
print("MB/s: the data directory without pg_wal (restore: what was restored) over the median time.")
print()
print("| operation | tool | client CPU (user+sys) | s3rver CPU | s3rver CPU / wall | stored in S3 |")
print("|---|---|---:|---:|---:|---:|")
names = {"pga": "pgArchivist", "pgbr": "pgBackRest", "pgbr-async": f"pgBackRest async (process-max={pmax})",
         "pga-ahead": f"pgArchivist --push-ahead {push_ahead}", "pga-async": f"pgArchivist --async (--async-jobs {pmax})"}
for op in ("push-sync", "push-async", "backup", "restore"):
    for tool in ("pga", "pga-ahead", "pga-async", "pgbr", "pgbr-async"):
        if not pick(op, tool):
            continue
        c, s3, w = med(op, tool, "cpu"), med(op, tool, "s3cpu"), med(op, tool)
        print(f"| {op} | {names[tool]} | {c:.2f} s | {s3:.2f} s | {100 * s3 / w:.0f}% | {stored(op, tool)} |")
print()
print("Client CPU: user+sys of the command and the processes it waited for (pgBackRest's asynchronous push process")
print("detaches, so its CPU is not in its row); s3rver CPU: the Node.js process's own, from /proc, over the same interval.")
print("Stored: the objects written (backup: one backup and the WAL it needed; push: the archive of one round).")
print()
print("Per round (order of the tools in that round):")
print()
print("```")
for r in runs:
    print(f"{r['op']:11s} round {r['round']} ({r['order']:3s}) {names[r['tool']]:38s} {r['wall']:8.2f} s wall {r['cpu']:7.2f} s CPU  s3rver {r['s3cpu']:6.2f} s CPU")
print("```")
PY
python3 "$WORK/summary.py" "$TIMES" "$ROUNDS" "$SEGMENTS" "$SCALE" "$PMAX" "$PUSH_AHEAD" >"$WORK/table.md"
{
  echo "# bench/s3.sh — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $PG_VERSION, $PGBR_VERSION, $PGA_VERSION"
  echo
  echo "ROUNDS=$ROUNDS SCALE=$SCALE SEGMENTS=$SEGMENTS (the real pgbench WAL of the cluster, $SEG_MB MiB), BENCH_PGBR_PROCESS_MAX=$PMAX,"
  echo "BENCH_PGA_TLS=$PGA_TLS, BENCH_DROP_CACHES=$DROP_CACHES; load average $LOAD_START at the start, $LOAD_END at the end."
  echo "Both tools against the same s3rver $("$S3RVER" --version) (one Node.js process, its files on this machine's disk) over"
  echo "HTTPS on 127.0.0.1, path-style, bucket \`$BUCKET\`; rounds interleaved (A B, B A, A B, ...; A = pgArchivist, B = pgBackRest)."
  echo
  cat "$WORK/table.md"
  echo
  echo "Operation 2: both tools' asynchronous mode, the same parallelism ($PMAX), segments marked .ready as the archiver does; each call's time counts until it returned success."
  echo
  echo "Settings:"
  echo "- pgArchivist: \`pgarchivist-cli archive-push --repo s3://$BUCKET/PREFIX --server bench $S3OPTS WAL\` per segment (zstd"
  echo "  level 1, synchronous, no push-ahead); \`backup --repo ... --conninfo ...\` with its defaults (--jobs 2, zstd level 1,"
  echo "  checkpoint fast) into a fresh repository each round; \`restore --target-dir DIR --target-immediate\` (--jobs 2)."
  echo "  Credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."
  echo "- pgBackRest: repo1-type=s3, repo1-s3-bucket=$BUCKET, repo1-s3-endpoint=127.0.0.1, repo1-storage-port=PORT,"
  echo "  repo1-storage-verify-tls=n, repo1-s3-uri-style=path, repo1-s3-region=us-east-1, repo1-s3-key/-key-secret=S3RVER,"
  echo "  repo1-path=/pgbackrest; compress-type=zst, compress-level=1 (our zstd level 1); process-max=$PMAX (our --jobs 2;"
  echo "  pgBackRest's default is 1); start-fast=y (our checkpoint fast; its default n waits for a spread checkpoint);"
  echo "  archive-async=n for operation 1, \`--archive-async\` with spool-path for operation 2. Everything else is the default"
  echo "  (archive-check=y, log-level-console=warn, log-level-file=info, no retention set, no repo bundling, no block incremental)."
  echo "  \`pgbackrest --stanza=S --pg1-path=STAND-IN archive-push WAL\` per segment into a new stanza each round (the"
  echo "  stand-in pg1-path holds a copy of the cluster's pg_control and the segments as its pg_wal: the asynchronous push"
  echo "  reads archive_status only under pg1-path); \`--type=full backup\`;"
  echo "  \`--pg1-path=DIR --type=immediate restore\`."
  echo "- During each tool's backup archive_command is that tool's archive-push into the same repository; before each"
  echo "  backup the archiver is caught up; $([ "$DROP_CACHES" = 1 ] && echo "the page cache is dropped before each backup and restore" || echo "the page cache is kept"); before each push round the segments are read into it."
  echo
  echo "Physical limit: s3rver is one Node.js process (one core at most for its JavaScript) writing every object to the"
  echo "local disk and hashing it (MD5); the s3rver CPU / wall column says how close each operation came to that core."
  echo "Reference from the same run: $AWSLINE. This VM's disk: $DISK (dd 512 MiB, oflag=direct)."
} >"$WORK/results.md"
echo "---"
cat "$WORK/table.md"
if [ "$RESULTS" != none ]; then
  cp "$WORK/results.md" "$RESULTS"
  echo "written to $RESULTS"
fi
exit 0
