# Sourced by the benchmarks that need a pgbench cluster archiving into a repository with one backup and WAL after it
# (rto.sh, drill.sh). Expects BUILD; sets CLI, SCALE, BIN, WORK, PORT and the pg/psql helpers, and cleans up on exit
# (every data directory under WORK that has a postmaster.pid is stopped; PGA_KEEP_BENCH keeps WORK).
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-50}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ "$(id -u)" -eq 0 ] || { echo "$0 runs as root (the server runs as postgres)"; exit 1; }
WORK=$(mktemp -d "/tmp/pga-bench-$(basename "$0" .sh).XXXXXX")
chmod 755 "$WORK"
chown postgres: "$WORK"
bench_cleanup() {
  for pid in "$WORK"/*/postmaster.pid; do
    [ -f "$pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$(dirname "$pid")" -m immediate stop >/dev/null 2>&1 || true
  done
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap bench_cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg() { runuser -u postgres -- "$@"; }
psql() { "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -qAt "$@" postgres; }
pg "$BIN/initdb" -D "$WORK/data" -A trust >/dev/null
"$CLI" repo-init --repo "$WORK/repo" --owner postgres >/dev/null
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
wal_level = replica
archive_mode = on
archive_command = '$CLI archive-push --repo $WORK/repo --server bench %p'
max_wal_size = 4GB
CONF
pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q postgres >/dev/null 2>&1
"$CLI" backup --repo "$WORK/repo" --server bench --conninfo "host=$WORK port=$PORT user=postgres" >/dev/null 2>&1
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -T "${BENCH_WAL_SECONDS:-20}" -c 2 postgres >/dev/null 2>&1
last=$(psql -c "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 300); do [ "$(psql -c "SELECT last_archived_wal >= '$last' FROM pg_stat_archiver")" = t ] && break; sleep 0.2; done
export XDG_DATA_HOME="$WORK/state"
echo "scale $SCALE; $(du -sh "$WORK/data" | cut -f1) cluster; $(psql -c "SELECT pg_size_pretty(pg_current_wal_lsn() - '0/0'::pg_lsn)") of WAL in all"
