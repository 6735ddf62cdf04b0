#!/usr/bin/env bash
# Peak memory against database size: synthetic repositories whose backups describe 0.25, 1 and 4 TB of data
# (1 GiB files of 1 MiB chunks, every chunk id distinct) and a chunk store of 20000 chunks, half of them
# referenced by the newest backup. For each size it runs, under /usr/bin/time:
#   info --json                 (reads every backup's manifest.json)
#   verify --backup NEWEST      (reads the whole file list; every chunk is missing, so each is looked up)
#   expire --retain-full 1 --dry-run   (the referenced set of the kept backup, swept against the store)
# and prints the peak RSS of each. Bounded memory means the three columns stay flat as the size grows.
# expire's answer is checked (10000 of the 20000 stored chunks unreferenced), so a wrong sweep is seen.
# A measurement, not a test. bench/memory.sh BUILD_DIR   (BENCH_MEMORY_TB="0.25 1 4" to choose sizes)
set -euo pipefail
BUILD=${1:?usage: bench/memory.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SIZES=${BENCH_MEMORY_TB:-0.25 1 4}
WORK=$(mktemp -d /tmp/pga-bench-memory.XXXXXX)
trap '[ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"' EXIT

make_repo() {  # make_repo DIR TB
  "$CLI" repo-init --repo "$1" >/dev/null
  python3 - "$1" "$2" <<'PY'
import hashlib, json, os, sys
repo, tb = sys.argv[1], float(sys.argv[2])
server = os.path.join(repo, "servers", "big")
os.makedirs(os.path.join(server, "wal"), exist_ok=True)
json.dump({"name": "big", "system_identifier": "7712132231895134331", "pg_version_num": 150000,
           "created": "2026-11-01T00:00:00.000Z"}, open(os.path.join(server, "server.json"), "w"))
files = max(1, int(tb * 1024))          # 1 GiB files
chunks_per_file = 1024                  # 1 MiB chunks
stored, kept_sample = 20000, []
for n, bid in enumerate(["20261101T000000Z-F", "20261102T000000Z-F"]):
    d = os.path.join(server, "backups", bid)
    os.makedirs(d)
    sha, count = hashlib.sha256(), 0
    with open(os.path.join(d, "files.jsonl"), "wb") as out:
        for f in range(files):
            raw = os.urandom(32 * chunks_per_file).hex()
            ids = [raw[i:i + 64] for i in range(0, len(raw), 64)]
            if n == 1 and len(kept_sample) < stored // 2:
                kept_sample.extend(ids[: stored // 2 - len(kept_sample)])
            line = json.dumps({"mode": 384, "mtime": 1, "path": "base/5/%d" % (16384 + f), "size": chunks_per_file << 20,
                               "type": "file", "chunks": ids}, separators=(",", ":")).encode() + b"\n"
            sha.update(line); out.write(line); count += 1
    server_manifest = b"{}"
    open(os.path.join(d, "backup_manifest"), "wb").write(server_manifest)
    json.dump({"format": 2, "id": bid, "label": "synthetic", "server": "big", "system_identifier": "7712132231895134331",
               "pg_version_num": 150000, "timeline": 1, "start_lsn": "0/%X" % (0x2000028 + n * 0x1000000),
               "stop_lsn": "0/%X" % (0x2000100 + n * 0x1000000), "start_time": "2026-11-0%dT00:00:00.000Z" % (n + 1),
               "stop_time": "2026-11-0%dT01:00:00.000Z" % (n + 1), "chunk_size": 1 << 20, "compression": "zstd",
               "compress_level": 1, "logical_bytes": files << 30, "new_bytes": 0, "new_chunks": 0,
               "chunk_count": files * chunks_per_file, "file_count": count, "file_list_sha256": sha.hexdigest(),
               "backup_manifest_sha256": hashlib.sha256(server_manifest).hexdigest(), "tablespaces": []},
              open(os.path.join(d, "manifest.json"), "w"), separators=(",", ":"))
# The store: half the chunks referenced by the newest backup, half by nothing.
names = kept_sample + [os.urandom(32).hex() for _ in range(stored - len(kept_sample))]
for h in names:
    p = os.path.join(repo, "chunks", h[:2])
    os.makedirs(p, exist_ok=True)
    open(os.path.join(p, h + ".zst"), "wb").write(b"x")
PY
}

measure() {  # measure OUT CMD... -> peak RSS in MiB
  local out=$1; shift
  /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >"$out" 2>&1 || true
  echo $(( $(tail -1 "$WORK/rss") / 1024 ))
}

printf '%-8s %12s %10s %12s %16s\n' "data" "file list" "info" "verify" "expire --dry-run"
for tb in $SIZES; do
  R="$WORK/repo-$tb"
  make_repo "$R" "$tb"
  list=$(du -m "$R/servers/big/backups/20261102T000000Z-F/files.jsonl" | cut -f1)
  info=$(measure "$WORK/info.out" "$CLI" info --repo "$R" --json)
  grep -q '"20261102T000000Z-F"' "$WORK/info.out" || { echo "info did not list the backup: $(head -c 300 "$WORK/info.out")"; exit 1; }
  verify=$(measure "$WORK/verify.out" "$CLI" verify --repo "$R" --server big --backup 20261102T000000Z-F)
  grep -q 'more damaged or missing chunks' "$WORK/verify.out" || { echo "verify did not read the list: $(tail -3 "$WORK/verify.out")"; exit 1; }
  expire=$(measure "$WORK/expire.out" "$CLI" expire --repo "$R" --server big --retain-full 1 --dry-run)
  grep -q '10000 chunk' "$WORK/expire.out" || { echo "expire swept wrongly: $(cat "$WORK/expire.out")"; exit 1; }
  printf '%-8s %9s MiB %6s MiB %8s MiB %12s MiB\n' "$tb TB" "$list" "$info" "$verify" "$expire"
  rm -rf "$R"
done
