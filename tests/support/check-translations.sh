#!/bin/sh
# Fails when a translation is missing or when lupdate would change the .ts (a string was added,
# changed or removed in the code without updating translations/). Fix: build target pgarchivist_lupdate,
# translate what it marks unfinished (Qt Linguist), commit the .ts.
# Usage: check-translations.sh LUPDATE TS_FILE SOURCE...
set -eu
lupdate=$1; ts=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$ts" "$tmp/check.ts"
"$lupdate" -silent -no-obsolete -locations none "$@" -ts "$tmp/check.ts"
if ! cmp -s "$ts" "$tmp/check.ts"; then
  echo "FAIL: lupdate changes $ts; the code's strings and the translation are out of step:"
  diff -u "$ts" "$tmp/check.ts" | head -40
  exit 1
fi
if grep -q 'type="unfinished"' "$ts"; then
  echo "FAIL: untranslated strings in $ts:"
  grep -B3 'type="unfinished"' "$ts" | grep '<source>' | head -20
  exit 1
fi
echo "translations complete: $(grep -c '<message' "$ts") messages"
