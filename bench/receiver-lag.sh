#!/usr/bin/env bash
# The RPO of WAL streaming under load (issue 15: "median flush lag under 1 s, against pg_receivewal in the same run").
# One primary (wal_level replica, archive_command = pgarchivist-cli archive-push into a repository, pgbench -i) and two
# receivers streaming from it during the same pgbench TPC-B run, so that both see the same load:
#   A  pgarchivist-cli wal-receive --slot pga_rx --create-slot --status-interval 1   (into the repository)
#   B  pg_receivewal --slot pgrw --status-interval 1                                 (into a plain directory)
# in two sets: both asynchronous, then both --synchronous. Each set has BENCH_ROUNDS rounds (default 3) in which the
# receivers are started in alternating order (A B, B A, A B) to cancel start-order effects; the cluster, the slots and
# what the receivers streamed are kept between rounds, and each round starts with both caught up. During each round's
# pgbench run a procedure on the primary samples every 200 ms, in one query (so all are read at the same instant):
#   - the primary's pg_current_wal_flush_lsn() and, per receiver, pg_stat_replication.flush_lsn and flush_lag;
#   - pg_stat_archiver's last archived segment and its age (what a loss would cost with archive_command only);
#   - wal-receive's own flush_lsn from REPO/servers/main/stream/state.json (a cross-check).
# Per round and tool: the median flush_lag (NULL, when nothing is in flight, counts as 0), the p95 of the bytes
# flushed on the primary but not yet durable at the receiver, and the median age of the oldest such byte (from the
# samples; flush_lag alone flatters a receiver that flushes rarely, see the results file). Over the rounds: median, min
# and max, printed as a markdown table for bench/receiver-lag.results.md (BENCH_RESULTS=FILE also writes it there).
# A measurement, not a test: it never fails on speed. Run as root (the server and the receivers run as postgres).
#   bench/receiver-lag.sh BUILD_DIR   (BENCH_SCALE pgbench scale, default 10; BENCH_SECONDS per round, default 30;
#                                      BENCH_ROUNDS per set, default 3; PG_BIN to pick PostgreSQL; PGA_KEEP_BENCH keeps WORK)
set -euo pipefail
BUILD=${1:?usage: bench/receiver-lag.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-10}
SECS=${BENCH_SECONDS:-30}
ROUNDS=${BENCH_ROUNDS:-3}
INTERVAL=0.2
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
[ "$(id -u)" -eq 0 ] || { echo "$0 runs as root (the server runs as postgres)"; exit 1; }
[ -x "$CLI" ] || { echo "no pgarchivist-cli at $CLI (build first: ./dev build)"; exit 1; }
[ -x "$BIN/pg_receivewal" ] || { echo "pg_receivewal is not in $BIN (install postgresql-15)"; exit 1; }
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is not installed"; exit 1; }
case "$ROUNDS" in ''|*[!0-9]*|0|1|2) echo "BENCH_ROUNDS must be 3 or more"; exit 64 ;; esac

WORK=$(mktemp -d /tmp/pga-bench-receiver-lag.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REPO=$WORK/repo
RWDIR=$WORK/pg_receivewal
STATE=$REPO/servers/main/stream/state.json
CONN="host=$WORK port=$PORT user=postgres dbname=postgres"
declare -A PIDS=()   # receivers and the sampler that are running now, by name
psql() { "$BIN/psql" -X -h "$WORK" -p "$PORT" -U postgres -qAt -v ON_ERROR_STOP=1 -d postgres "$@"; }
fail() { echo "$*" >&2; exit 1; }

# wait_exit PID SECS: the exit status of a background child, 124 if it still runs after SECS.
wait_exit() {
  local pid=$1 n=$(($2 * 10)) rc=0
  while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
  kill -0 "$pid" 2>/dev/null && return 124
  wait "$pid" 2>/dev/null || rc=$?
  return $rc
}
# stop NAME: SIGTERM (both receivers then flush, acknowledge and exit), SIGKILL after 30 s.
stop() {
  local pid=${PIDS[$1]:-} rc=0
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_exit "$pid" 30 || rc=$?
  if [ $rc -eq 124 ]; then echo "  $1 did not stop in 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  unset "PIDS[$1]"
}
cleanup() {
  set +e
  for name in "${!PIDS[@]}"; do stop "$name"; done
  if [ -f "$WORK/data/postmaster.pid" ]; then
    # Slots pin WAL on the server; drop ours once their receivers are gone (the walsenders exit a moment later).
    for _ in $(seq 50); do
      [ "$(psql -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name IN ('pga_rx', 'pgrw') AND active" 2>/dev/null)" = 0 ] && break
      sleep 0.2
    done
    psql -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('pga_rx', 'pgrw') AND NOT active" \
      >/dev/null 2>&1
    runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1
  fi
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

runuser -u postgres -- "$BIN/initdb" -D "$WORK/data" -A trust >/dev/null
"$CLI" repo-init --repo "$REPO" --owner postgres >/dev/null
install -d -o postgres -g postgres -m 700 "$RWDIR"
# fsync stays on: the primary's flush LSN is what it has made durable, the receivers' is compared with it.
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
wal_level = replica
max_wal_senders = 10
archive_mode = on
archive_command = '$CLI archive-push --repo $REPO --server main %p'
max_wal_size = 4GB
CONF
runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
echo "pgbench -i -s $SCALE; then per round pgbench -c 4 -j 2 -T $SECS -P 1 (TPC-B), sampled every ${INTERVAL} s ..."
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q postgres >/dev/null 2>&1

# The sampler: a procedure on the primary, so a sample costs no process start and all its values come from one query.
# Unlogged, so the samples themselves add no WAL to what is measured (a commit record each, a few bytes).
psql >/dev/null <<'SQL'
CREATE UNLOGGED TABLE bench_lag (
  bench_set text, round int, t float8,                 -- t: epoch seconds (clock_timestamp)
  primary_flush numeric,                               -- LSNs as byte offsets from 0/0
  rx_on bool, rx_flush numeric, rx_bytes numeric, rx_lag_ms float8,
  rw_on bool, rw_flush numeric, rw_bytes numeric, rw_lag_ms float8,
  rx_state_flush numeric,                              -- wal-receive's state.json flush_lsn
  arch_age_ms float8, arch_end numeric);               -- pg_stat_archiver: age and end of the last archived segment
-- The end of a segment named by pg_stat_archiver (first 24 characters: .partial and .backup names too), else NULL.
CREATE FUNCTION bench_seg_end(w text) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN w ~ '^[0-9A-F]{24}' THEN
    ((('x' || substr(w, 9, 8))::bit(32)::bigint * (4294967296 / pg_size_bytes(current_setting('wal_segment_size'))))
      + ('x' || substr(w, 17, 8))::bit(32)::bigint + 1)::numeric * pg_size_bytes(current_setting('wal_segment_size'))
  END $$;
-- state.json is replaced by rename, so a read sees a whole file; NULL before the first one or for an empty flush_lsn.
CREATE FUNCTION bench_state_flush(path text) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN
  RETURN pg_wal_lsn_diff((pg_read_file(path, 0, 65536, true)::json ->> 'flush_lsn')::pg_lsn, '0/0');
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
CREATE PROCEDURE bench_sample(p_set text, p_round int, p_seconds float8, p_interval float8, p_state text) LANGUAGE plpgsql AS $$
DECLARE
  stop_at timestamptz := clock_timestamp() + make_interval(secs => p_seconds);
BEGIN
  WHILE clock_timestamp() < stop_at LOOP
    INSERT INTO bench_lag
    SELECT p_set, p_round, extract(epoch FROM clock_timestamp()), pg_wal_lsn_diff(f.lsn, '0/0'),
           -- (greatest() skips NULLs, hence the CASEs: no reply from a receiver yet is no number, not 0 bytes)
           rx.pid IS NOT NULL, pg_wal_lsn_diff(rx.flush_lsn, '0/0'),
           CASE WHEN rx.flush_lsn IS NOT NULL THEN greatest(0, pg_wal_lsn_diff(f.lsn, rx.flush_lsn)) END,
           CASE WHEN rx.pid IS NOT NULL THEN coalesce(extract(epoch FROM rx.flush_lag) * 1000, 0) END,
           rw.pid IS NOT NULL, pg_wal_lsn_diff(rw.flush_lsn, '0/0'),
           CASE WHEN rw.flush_lsn IS NOT NULL THEN greatest(0, pg_wal_lsn_diff(f.lsn, rw.flush_lsn)) END,
           CASE WHEN rw.pid IS NOT NULL THEN coalesce(extract(epoch FROM rw.flush_lag) * 1000, 0) END,
           bench_state_flush(p_state),
           extract(epoch FROM clock_timestamp() - a.last_archived_time) * 1000, bench_seg_end(a.last_archived_wal)
    FROM (SELECT pg_current_wal_flush_lsn() AS lsn) f
    LEFT JOIN LATERAL (SELECT pid, flush_lsn, flush_lag FROM pg_stat_replication
                       WHERE application_name = 'pgarchivist_receiver' LIMIT 1) rx ON true
    LEFT JOIN LATERAL (SELECT pid, flush_lsn, flush_lag FROM pg_stat_replication
                       WHERE application_name = 'pg_receivewal' LIMIT 1) rw ON true
    CROSS JOIN pg_stat_archiver a;
    COMMIT;   -- also ends the statistics snapshot, so the next pg_stat_archiver read is fresh
    PERFORM pg_sleep(p_interval);
  END LOOP;
END $$;
SQL

# Both receivers run as postgres through setpriv, which execs: the pid we hold is the receiver's own, and SIGTERM
# reaches it directly (runuser would stand in between and SIGKILL it 2 s after forwarding the signal).
# (An array, not a function: a function run with & is a subshell, and $! would be the subshell's pid.)
AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --reset-env --)
# pg_receivewal --create-slot creates the slot and exits, so it is made once here; wal-receive gets --create-slot.
"$BIN/pg_receivewal" -h "$WORK" -p "$PORT" -U postgres -w --slot pgrw --create-slot --if-not-exists 2>"$WORK/slot.log" \
  || fail "pg_receivewal could not create the slot pgrw: $(tail -3 "$WORK/slot.log")"
APP_A=pgarchivist_receiver
APP_B=pg_receivewal
start() {  # start A|B SET ROUND
  local tool=$1 set=$2 round=$3 sync=() log="$WORK/$1-$2-$3.log" app
  [ "$set" = sync ] && sync=(--synchronous)
  case $tool in
    A) "${AS_PG[@]}" "$CLI" wal-receive --repo "$REPO" --server main --conninfo "$CONN" --slot pga_rx --create-slot \
         --status-interval 1 "${sync[@]}" >"$log" 2>&1 &
       app=$APP_A ;;
    B) "${AS_PG[@]}" "$BIN/pg_receivewal" -D "$RWDIR" --slot pgrw -h "$WORK" -p "$PORT" -U postgres -w -n -v \
         --status-interval 1 "${sync[@]}" >"$log" 2>&1 &
       app=$APP_B ;;
  esac
  PIDS[$tool]=$!
  # Streaming within 60 s, or the receiver's own words on why not.
  for _ in $(seq 300); do
    kill -0 "${PIDS[$tool]}" 2>/dev/null || fail "receiver $tool exited at start: $(tail -5 "$log")"
    [ "$(psql -c "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$app' AND state = 'streaming'")" = 1 ] && return 0
    sleep 0.2
  done
  fail "receiver $tool did not start streaming in 60 s: $(tail -5 "$log")"
}
# Both have received what the primary flushed (write_lsn: an asynchronous pg_receivewal flushes only at segment ends).
caught_up() {
  [ "$(psql -c "SELECT count(*) FROM pg_stat_replication WHERE application_name IN ('$APP_A', '$APP_B')
                AND pg_wal_lsn_diff(pg_current_wal_flush_lsn(), write_lsn) < 65536")" = 2 ]
}
# The archiver has nothing pending, so no round starts with the previous one's backlog.
archiver_idle() { ! compgen -G "$WORK/data/pg_wal/archive_status/*.ready" >/dev/null; }
wait_for() {  # wait_for SECS WHAT CMD...
  local secs=$1 what=$2
  shift 2
  for _ in $(seq $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  fail "timed out after $secs s waiting for $what"
}
psql -c "SELECT pg_switch_wal()" >/dev/null
wait_for 300 "the archiver to archive pgbench -i's WAL" archiver_idle

cat >"$WORK/lag.py" <<'PY'
# lag.py round CSV PGBENCH_LOG SET ROUND ORDER >> rounds.jsonl  |  lag.py summary rounds.jsonl
import bisect, csv, json, math, re, statistics, sys

def num(x):
    return None if x in ("", None) else float(x)

def p95_kib(v):  # nearest rank
    v = sorted(x for x in v if x is not None)
    return v[max(0, math.ceil(0.95 * len(v)) - 1)] / 1024 if v else None

def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None

def ages(rows, key):
    # Per sample, how long ago the primary flushed the oldest byte that `key` does not hold durably: when the primary's
    # flush LSN passed it, interpolated between the two samples around that moment (the WAL rate is steady over
    # 200 ms); before the first sample of the round, the first sample's time (a lower bound).
    t = [r["t"] for r in rows]
    p = [r["primary_flush"] for r in rows]
    out = []
    for i, r in enumerate(rows):
        got = r[key]
        if got is None:
            continue
        if got >= p[i]:
            out.append(0.0)
            continue
        j = bisect.bisect_right(p, got, 0, i + 1)  # the first sample whose primary flush LSN is past `got`
        passed = t[j] if j == 0 else t[j - 1] + (got - p[j - 1]) / (p[j] - p[j - 1]) * (t[j] - t[j - 1])
        out.append((t[i] - passed) * 1000)
    return out

if sys.argv[1] == "round":
    _, _, path, pgbench_log, set_, rnd, order = sys.argv
    rows = []
    for r in csv.DictReader(open(path)):
        rows.append({k: (r[k] == "t" if k.endswith("_on") else r[k] if k == "bench_set" else num(r[k])) for k in r})
    rows.sort(key=lambda r: r["t"])
    if len(rows) < 2:
        sys.exit(f"only {len(rows)} samples in {path}")
    m = re.search(r"^tps = ([0-9.]+)", open(pgbench_log).read(), re.M)
    res = {"set": set_, "round": int(rnd), "order": order, "samples": len(rows), "tps": float(m.group(1)) if m else None,
           "wal_mib_s": (rows[-1]["primary_flush"] - rows[0]["primary_flush"]) / (rows[-1]["t"] - rows[0]["t"]) / 1048576}
    for tool, pre in (("A", "rx"), ("B", "rw")):
        on = [r for r in rows if r[pre + "_on"]]
        res[tool] = {"missing": len(rows) - len(on),
                     "lag_ms": med([r[pre + "_lag_ms"] for r in on]),
                     "p95_kib": p95_kib([r[pre + "_bytes"] for r in on]),
                     "age_ms": med(ages(rows, pre + "_flush"))}
    arch = [r for r in rows if r["arch_age_ms"] is not None]
    res["archive"] = {"newest_age_ms": med([r["arch_age_ms"] for r in arch]),
                      "p95_kib": p95_kib([max(0, r["primary_flush"] - r["arch_end"]) for r in arch if r["arch_end"] is not None]),
                      "age_ms": med(ages(rows, "arch_end"))}
    both = [r["rx_flush"] - r["rx_state_flush"] for r in rows if r["rx_flush"] is not None and r["rx_state_flush"] is not None]
    res["state_behind_kib"] = None if not both else statistics.median(both) / 1024
    print(json.dumps(res))
    f = lambda x, spec: "n/a" if x is None else format(x, spec)
    line = f"  {set_:5s} round {rnd} ({order}): {f(res['tps'], '.0f')} tps, {res['wal_mib_s']:.1f} MiB/s of WAL, {len(rows)} samples"
    for tool, name in (("A", "wal-receive"), ("B", "pg_receivewal")):
        t = res[tool]
        line += (f"\n    {name:14s} flush_lag median {f(t['lag_ms'], '7.0f')} ms, lag p95 {f(t['p95_kib'], '8.0f')} KiB, "
                 f"oldest non-durable byte median {f(t['age_ms'], '6.0f')} ms")
        if t["missing"]:
            line += f"   ({t['missing']} samples without this receiver in pg_stat_replication)"
    a = res["archive"]
    line += (f"\n    {'archive_command':14s} newest segment age median {f(a['newest_age_ms'], '.0f')} ms, "
             f"lag p95 {f(a['p95_kib'], '.0f')} KiB, oldest unarchived byte median {f(a['age_ms'], '.0f')} ms")
    print(line, file=sys.stderr)
    sys.exit(0)

rounds = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
def cell(vals, unit, spec=".0f"):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "n/a"
    return f"{statistics.median(vals):{spec}} {unit} ({min(vals):{spec}} – {max(vals):{spec}})"
print("| set | tool | flush_lag (a) | lag p95 (b) | oldest non-durable byte, age (c) | newest archived segment, age |")
print("|---|---|---|---|---|---|")
verdict = []
for s in ("async", "sync"):
    rs = [r for r in rounds if r["set"] == s]
    if not rs:
        continue
    flag = " --synchronous" if s == "sync" else ""
    for tool, name in (("A", f"`pgarchivist-cli wal-receive{flag}`"), ("B", f"`pg_receivewal{flag}`")):
        print(f"| {s} | {name} | {cell([r[tool]['lag_ms'] for r in rs], 'ms')} | {cell([r[tool]['p95_kib'] for r in rs], 'KiB')} "
              f"| {cell([r[tool]['age_ms'] for r in rs], 'ms')} | — |")
    print(f"| {s} | `archive_command` (archive-push) | — | {cell([r['archive']['p95_kib'] for r in rs], 'KiB')} "
          f"| {cell([r['archive']['age_ms'] for r in rs], 'ms')} | {cell([r['archive']['newest_age_ms'] for r in rs], 'ms')} |")
    a, b = med([r["A"]["lag_ms"] for r in rs]), med([r["B"]["lag_ms"] for r in rs])
    if a is not None:
        verdict.append(f"{s}: wal-receive {a:.0f} ms ({'met' if a < 1000 else 'NOT met'}), pg_receivewal "
                       + ("n/a" if b is None else f"{b:.0f} ms") + " in the same runs")
print()
print(f"{len(rounds)} rounds; cells are the median of the per-round values (min – max over the rounds). (a) per-round median of "
      "pg_stat_replication.flush_lag (NULL = 0); (b) per-round p95 of pg_current_wal_flush_lsn() − the receiver's flush_lsn; "
      "(c) per-round median age of the oldest byte the primary had flushed and the receiver (or the archive) did not hold durably.")
print("Target (issue 15): median flush lag under 1 s — " + "; ".join(verdict))
behind = [r["state_behind_kib"] for r in rounds if r["state_behind_kib"] is not None]
if behind:
    print(f"Cross-check: wal-receive's state.json flush_lsn is behind the flush_lsn it reported to the server by a median "
          f"{statistics.median(behind):.0f} KiB (state.json is rewritten at most once a second).")
print("Per round: " + "; ".join(f"{r['set']} {r['round']} ({r['order']}) {r['tps']:.0f} tps, {r['wal_mib_s']:.1f} MiB/s WAL"
                                 for r in rounds if r["tps"] is not None))
PY

round_() {  # round_ SET ROUND ORDER
  local set=$1 round=$2 order=$3 rc=0 tool
  for tool in $order; do start "$tool" "$set" "$round"; done
  wait_for 120 "both receivers to catch up" caught_up
  wait_for 300 "the archiver to finish its backlog" archiver_idle
  # psql itself, not the psql function, in the background: $! must be its pid.
  "$BIN/psql" -X -h "$WORK" -p "$PORT" -U postgres -qAt -v ON_ERROR_STOP=1 -d postgres -c "SET stats_fetch_consistency = none" \
    -c "CALL bench_sample('$set', $round, $SECS, $INTERVAL, '$STATE')" >"$WORK/sampler.log" 2>&1 &
  PIDS[sampler]=$!
  # -n: no vacuum before the run, whose WAL burst would land in the samples before the load starts.
  "$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -n -c 4 -j 2 -T "$SECS" -P 1 postgres >"$WORK/pgbench-$set-$round.log" 2>&1 \
    || fail "pgbench failed: $(tail -3 "$WORK/pgbench-$set-$round.log")"
  wait_exit "${PIDS[sampler]}" 30 || rc=$?
  [ $rc -eq 0 ] || fail "the sampler failed ($rc): $(tail -3 "$WORK/sampler.log")"
  unset "PIDS[sampler]"
  for tool in $order; do
    kill -0 "${PIDS[$tool]}" 2>/dev/null || fail "receiver $tool died during the run: $(tail -5 "$WORK/$tool-$set-$round.log")"
  done
  for tool in $order; do stop "$tool"; done
  psql -c "\\copy (SELECT * FROM bench_lag WHERE bench_set = '$set' AND round = $round ORDER BY t) TO '$WORK/samples-$set-$round.csv' CSV HEADER"
  python3 "$WORK/lag.py" round "$WORK/samples-$set-$round.csv" "$WORK/pgbench-$set-$round.log" "$set" "$round" "$order" \
    >>"$WORK/rounds.jsonl"
}

echo "$(nproc) CPUs; $("$BIN/postgres" --version); $(psql -c "SELECT pg_size_pretty(pg_database_size('postgres'))") database"
for set in async sync; do
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then round_ "$set" "$round" "A B"; else round_ "$set" "$round" "B A"; fi
  done
done
echo "--- A = pgarchivist-cli wal-receive, B = pg_receivewal; sync = both with --synchronous (synchronous_standby_names unset)"
python3 "$WORK/lag.py" summary "$WORK/rounds.jsonl" | tee "$WORK/table.md"
if [ -n "${BENCH_RESULTS:-}" ]; then
  { echo "# bench/receiver-lag.sh — $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $("$BIN/postgres" --version | awk '{print $3}'), pgbench scale $SCALE, $ROUNDS rounds of $SECS s per set"
    echo; cat "$WORK/table.md"; } >"$BENCH_RESULTS"
  echo "written to $BENCH_RESULTS"
fi
