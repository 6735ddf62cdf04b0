#!/bin/sh
# The CLI runs on database hosts without a desktop: it must not need Qt Widgets, Gui or Charts.
set -eu
bad=$(ldd "$1" | grep -E 'libQt6(Widgets|Gui|Charts|OpenGL)' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $1 links GUI libraries:"; echo "$bad"; exit 1
fi
echo "PASS: $1 links no GUI library"
