#!/bin/sh
# Runs one test binary in a private HOME/XDG tree so no test touches the user's registry or keychain.
# Usage: run-test.sh plain|keychain TEST [ARGS...]
set -eu
mode=$1; shift
root=$(mktemp -d "${TMPDIR:-/tmp}/pga-test.XXXXXX")
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT INT TERM
mkdir -p "$root/home" "$root/data" "$root/cache" "$root/config" "$root/run"
chmod 700 "$root/run"
export HOME="$root/home" XDG_DATA_HOME="$root/data" XDG_CACHE_HOME="$root/cache" \
       XDG_CONFIG_HOME="$root/config" XDG_RUNTIME_DIR="$root/run"
case "$mode" in
  keychain)
    # A real secret service: gnome-keyring in its own D-Bus session, unlocked with a throwaway password.
    dbus-run-session -- sh -c 'echo -n pga-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
    ;;
  *)
    "$@"
    ;;
esac
