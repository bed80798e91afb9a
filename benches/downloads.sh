#!/usr/bin/env bash
# Downloads on loopback, side by side in one run:
#   (a) 40 MiB transfers downloaded directly (decrypted and decompressed from the blob
#       store as they go): one of text (compressible), one of random bytes
#   (b) a 1 GiB transfer prepared by a job and downloaded as a plain file
# against nginx (Debian package, sendfile on) serving the same plain files; then the
# server's peak memory while 8 clients fetch (b) and 8 fetch (a) at once.
# For reference, a second nginx serves the same files with sendfile off: it copies every
# byte through user space as sessionvault must (its originals are encrypted at rest).
# Each figure is the median of RUNS downloads, the servers taking turns.
# Usage: benches/downloads.sh [runs]   (needs curl, nginx, python3)
source "$(dirname "$0")/common.sh"
RUNS="${1:-15}"
build_release
TEXT="$(data_file text-40m.txt $((40 * 1024 * 1024)))"
LARGE="$(data_file text-1g.txt $((1024 * 1024 * 1024)))"
NOISE="$WORK/noise-40m.bin"
[ -f "$NOISE" ] || head -c $((40 * 1024 * 1024)) /dev/urandom > "$NOISE"
NGINX_ROOT="$WORK/nginx-root"
mkdir -p "$NGINX_ROOT"
cp "$TEXT" "$NGINX_ROOT/text.bin"
cp "$NOISE" "$NGINX_ROOT/noise.bin"
cp "$LARGE" "$NGINX_ROOT/large.bin"

# --- nginx serving the same files
NGINX_PORT=18089
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  server { listen 127.0.0.1:$NGINX_PORT; root $NGINX_ROOT; }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;'
COPYING_PORT=18088
sed -e 's/sendfile on;/sendfile off;/' -e "s/$NGINX_PORT/$COPYING_PORT/" -e 's/nginx.pid/nginx-copying.pid/' \
  "$WORK/nginx.conf" > "$WORK/nginx-copying.conf"
nginx -c "$WORK/nginx-copying.conf" -p "$WORK" -g 'daemon on;'
stop_all() {
  stop_server
  kill "$(cat "$WORK/nginx.pid" 2>/dev/null)" "$(cat "$WORK/nginx-copying.pid" 2>/dev/null)" 2>/dev/null || true
}
trap stop_all EXIT

# --- sessionvault with the same files ingested
start_server "$WORK/downloads-data"
auth=(-H "Authorization: $KEY")
session=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"user":"bench","server":"sftp-1","protocol":"sftp","started":"2025-03-10T10:00:00Z"}' \
  "$BASE/api/v2/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["id"])')
for f in "$TEXT" "$NOISE" "$LARGE"; do
  curl -sf "${auth[@]}" -T "$f" -X POST "$BASE/api/v2/session/$session/transfer?path=/$(basename "$f")" > /dev/null
done
job=$(curl -s "${auth[@]}" "$BASE/api/v2/session/$session/transfer/3/download" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["session_file"]["id"])')
until curl -sf "${auth[@]}" "$BASE/api/v2/session_file/$job?fields=is_converted" | grep -q '"is_converted":true'; do
  sleep 0.2
done
# A fresh process for the measurements, so that its peak memory is the downloads' own.
stop_server
"$BIN" serve --data-dir "$WORK/downloads-data" --listen "${BASE#http://}" --tls off \
  > "$WORK/downloads-data.out" 2> "$WORK/downloads-data.err" &
SERVER_PID=$!
until curl -sf "$BASE/api/v2/healthcheck" > /dev/null 2>&1; do sleep 0.1; done

NG="http://127.0.0.1:$NGINX_PORT"
NG_COPYING="http://127.0.0.1:$COPYING_PORT"
SV_TEXT="$BASE/api/v2/session/$session/transfer/1/download"
SV_NOISE="$BASE/api/v2/session/$session/transfer/2/download"
SV_LARGE="$BASE/api/v2/download/session_file/$job"

# compare SV_URL FILE TARGET: medians of MB/s over $RUNS downloads each from sessionvault,
# nginx with sendfile and nginx copying, taking turns.
compare() {
  local sv=() ng=() cp=()
  for _ in $(seq 1 "$RUNS"); do
    sv+=("$(curl -sf -o /dev/null -w '%{speed_download}' "${auth[@]}" "$1")")
    ng+=("$(curl -sf -o /dev/null -w '%{speed_download}' "$NG/$2")")
    cp+=("$(curl -sf -o /dev/null -w '%{speed_download}' "$NG_COPYING/$2")")
  done
  python3 - "${sv[*]}" "${ng[*]}" "${cp[*]}" "$3" <<'PY'
import statistics, sys
sv, ng, cp = (statistics.median(float(x) for x in arg.split()) / 1e6 for arg in sys.argv[1:4])
print(f"{sv:6.0f} MB/s {ng:6.0f} MB/s {sv / ng:5.2f} {sys.argv[4]:>7} {cp:6.0f} MB/s {sv / cp:5.2f}")
PY
}

text=$(compare "$SV_TEXT" text.bin ">= 0.80")
noise=$(compare "$SV_NOISE" noise.bin ">= 0.80")
large=$(compare "$SV_LARGE" large.bin ">= 1.00")

# Peak memory under 8 + 8 concurrent downloads.
pids=()
for _ in $(seq 1 8); do
  curl -sf -o /dev/null "${auth[@]}" "$SV_LARGE" & pids+=($!)
  curl -sf -o /dev/null "${auth[@]}" "$SV_TEXT" & pids+=($!)
done
start=$(date +%s.%N)
for pid in "${pids[@]}"; do wait "$pid"; done
large_bytes=$(stat -L -c %s "$LARGE")
text_bytes=$(stat -L -c %s "$TEXT")
concurrent=$(python3 -c "print(f'{(8*$large_bytes + 8*$text_bytes)/1e6/($(date +%s.%N)-$start):.0f}')")
rss=$(peak_rss_mb "$SERVER_PID")
stop_server

# The same text stored with `compression = zstd` (smaller on disk, slower to read back).
SESSIONVAULT_COMPRESSION=zstd start_server "$WORK/downloads-zstd"
auth=(-H "Authorization: $KEY")
curl -sf "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"user":"bench","server":"sftp-1","protocol":"sftp","started":"2025-03-10T10:00:00Z"}' \
  "$BASE/api/v2/session" > /dev/null
curl -sf "${auth[@]}" -T "$TEXT" -X POST "$BASE/api/v2/session/1/transfer?path=/text.bin" > /dev/null
zstd=$(compare "$BASE/api/v2/session/1/transfer/1/download" text.bin "")

echo
echo "download (median of $RUNS)                  sessionvault nginx(sendfile) ratio  target  nginx(copying) ratio"
echo "(a) 40 MiB direct, text (lz4, the default)   $text"
echo "(a) 40 MiB direct, random bytes (stored raw) $noise"
echo "(a) same text, compression = zstd            $zstd"
echo "(b) 1 GiB prepared plain file                $large"
echo "8 x (b) + 8 x (a, text) at once: $concurrent MB/s in all; server peak RSS ${rss} MB (target < 64 MB)"
if [ -r /sys/module/page_reporting/parameters/reported_kib ]; then
  echo "This machine hands freed memory back to its host (free page reporting, $(($(cat /sys/module/page_reporting/parameters/reported_kib) / 1024)) MiB so far)."
fi
