#!/bin/sh
# The CLI runs on database hosts without a desktop: neither half may need Qt Widgets, Gui or Charts.
# pgarchivist-cli is what PostgreSQL starts for every WAL file: it must not load libpq (and its Kerberos,
# LDAP and TLS tree), libcrypto, libcurl (dlopen'ed for s3:// repositories only), QtSql or the keychain, whose start-up would cost every archive_command call.
# Usage: check-cli-deps.sh PGARCHIVIST_CLI PGARCHIVIST_CLI_FULL
set -eu
fail=0
for bin in "$1" "$2"; do
  bad=$(ldd "$bin" | grep -E 'libQt6(Widgets|Gui|Charts|OpenGL)' || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $bin links GUI libraries:"; echo "$bad"; fail=1
  else
    echo "PASS: $bin links no GUI library"
  fi
done
heavy=$(readelf -d "$1" | grep NEEDED | grep -E 'libpq|libQt6Sql|keychain|libQt6DBus|libcrypto|libssl|libcurl' || true)
if [ -n "$heavy" ]; then
  echo "FAIL: $1 (run per WAL file) needs:"; echo "$heavy"; fail=1
else
  echo "PASS: $1 needs only: $(readelf -d "$1" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
fi
exit $fail
