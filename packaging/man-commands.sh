#!/bin/sh
# Writes a help2man include file with every pgarchivist-cli command's own --help, so `man pgarchivist-cli`
# documents the options too. Usage: man-commands.sh PGARCHIVIST_CLI OUTPUT
set -eu
cli=$1
out=$2
{
  echo "[COMMAND OPTIONS]"
  "$cli" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | while read -r cmd; do
    echo ".SS $cmd"
    echo ".nf"
    if [ "$cmd" = schedule ]; then
      "$cli" schedule --help
      for verb in list add remove enable disable run-due install-timer; do
        echo
        "$cli" schedule "$verb" --help 2>&1 || true
      done
    else
      "$cli" "$cmd" --help 2>&1 || true
    fi | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"
    echo ".fi"
  done
} > "$out"
