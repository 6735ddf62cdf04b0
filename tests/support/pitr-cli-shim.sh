#!/bin/sh
# A stand-in for `pgarchivist-cli backup` / `restore` built from pg_basebackup, for checking the PITR
# proof's CLI driver (argument building, backup id, ownership checks, the branch through `restore`)
# before the real commands exist. Never used by ctest. Manual run:
#   PGA_PITR_BACKUP_CLI=$PWD/tests/support/pitr-cli-shim.sh ctest -R tst_pitr_cli --output-on-failure
# Other commands go to the real CLI ($PGA_BINARY_DIR/src/cli/pgarchivist-cli).
set -eu
cli="$PGA_BINARY_DIR/src/cli/pgarchivist-cli"
cmd=${1:-}
[ $# -gt 0 ] && shift
asuser() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
case "$cmd" in
  backup)
    repo= server= conninfo=
    while [ $# -gt 0 ]; do
      case "$1" in
        --repo) repo=$2; shift 2 ;; --server) server=$2; shift 2 ;; --conninfo) conninfo=$2; shift 2 ;;
        --checkpoint) shift 2 ;; --json) shift ;; --help) echo "shim backup"; exit 0 ;;
        *) echo "shim backup: unexpected $1" >&2; exit 64 ;;
      esac
    done
    dir="$repo/servers/$server/shim-backup"
    mkdir -p "$repo/servers/$server" && chown -R postgres: "$repo" 2>/dev/null || true
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    (cd /tmp && asuser "$bin/pg_basebackup" -d "$conninfo" -D "$dir" -X none -c fast) >&2
    echo '{"backup": {"id": "shim-backup"}}'
    ;;
  restore)
    repo= server= dir= id= conf= timeline= action=pause exclusive=
    while [ $# -gt 0 ]; do
      case "$1" in
        --repo) repo=$2; shift 2 ;; --server) server=$2; shift 2 ;; --target-dir) dir=$2; shift 2 ;;
        --backup) id=$2; shift 2 ;;
        --target-time) conf="recovery_target_time = $(q "$2")"; shift 2 ;;
        --target-lsn) conf="recovery_target_lsn = $(q "$2")"; shift 2 ;;
        --target-xid) conf="recovery_target_xid = $(q "$2")"; shift 2 ;;
        --target-name) conf="recovery_target_name = $(q "$2")"; shift 2 ;;
        --target-immediate) conf="recovery_target = 'immediate'"; shift ;;
        --target-timeline) timeline=$2; shift 2 ;; --target-action) action=$2; shift 2 ;;
        --target-exclusive) exclusive=1; shift ;;
        *) echo "shim restore: unexpected $1" >&2; exit 64 ;;
      esac
    done
    [ "$id" = shim-backup ] || { echo "shim restore: unknown backup '$id'" >&2; exit 1; }
    cp -a "$repo/servers/$server/shim-backup" "$dir"
    {
      echo "restore_command = $(q "$cli archive-get --repo $repo --server $server %f %p")"
      echo "$conf"
      [ -n "$timeline" ] && echo "recovery_target_timeline = $(q "$timeline")"
      [ -n "$exclusive" ] && echo "recovery_target_inclusive = off"
      echo "recovery_target_action = $(q "$action")"
    } >> "$dir/postgresql.auto.conf"
    touch "$dir/recovery.signal"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
    ;;
  *)
    exec "$cli" "$cmd" "$@"
    ;;
esac
