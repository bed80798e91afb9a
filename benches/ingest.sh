#!/usr/bin/env bash
# Ingest of a 1 GiB file over HTTP on loopback, against `zstd -3` compressing the same
# file on the same machine. Usage: benches/ingest.sh [runs]
source "$(dirname "$0")/common.sh"
RUNS="${1:-3}"
SIZE=$((1024 * 1024 * 1024))
build_release
FILE="$(data_file text-1g.txt "$SIZE")"
cat "$FILE" > /dev/null  # warm the page cache for both contenders

start_server "$WORK/ingest-data"
trap stop_server EXIT
session=$(curl -sf -H "Authorization: $KEY" -H 'Content-Type: application/json' \
  -d '{"user":"bench","server":"bench-1","protocol":"sftp","started":"2025-03-10T10:00:00Z"}' \
  "$BASE/api/v2/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["id"])')

best_ingest=999999
for run in $(seq 1 "$RUNS"); do
  t=$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: $KEY" -T "$FILE" -X POST \
    "$BASE/api/v2/session/$session/transfer?path=/bench/run$run.txt")
  echo "ingest run $run: ${t}s = $(mbps "$SIZE" "$t") MB/s"
  best_ingest=$(python3 -c "print(min($best_ingest, $t))")
done
rss=$(peak_rss_mb "$SERVER_PID")
stored=$(du -sb "$WORK/ingest-data/blobs" | cut -f1)

best_zstd=999999
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  zstd -3 -q -f "$FILE" -o "$WORK/zstd-out.zst"
  t=$(python3 -c "print($(date +%s.%N) - $start)")
  echo "zstd -3 run $run: ${t}s = $(mbps "$SIZE" "$t") MB/s"
  best_zstd=$(python3 -c "print(min($best_zstd, $t))")
done
rm -f "$WORK/zstd-out.zst"

echo
echo "file: 1 GiB of log/terminal text ($FILE)"
echo "sessionvault ingest (HTTP, loopback, best of $RUNS): $(mbps "$SIZE" "$best_ingest") MB/s"
echo "zstd -3 (best of $RUNS):                           $(mbps "$SIZE" "$best_zstd") MB/s"
echo "ratio ingest / zstd -3:                            $(python3 -c "print(f'{$best_zstd/$best_ingest:.2f}')")x"
echo "stored on disk after $RUNS ingests: $((stored / 1024 / 1024)) MiB; server peak RSS: ${rss} MB"
