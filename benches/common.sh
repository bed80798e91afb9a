# Shared by the benchmark scripts: build, data files, a server on a scratch data dir.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/sessionvault"
WORK="${BENCH_DIR:-$ROOT/target/bench}"
mkdir -p "$WORK"

build_release() {
  (cd "$ROOT" && cargo build --release --quiet)
}

# data_file NAME BYTES: a deterministic text file of that size, made once.
data_file() {
  local path="$WORK/$1"
  if [ ! -f "$path" ] || [ "$(stat -L -c %s "$path")" != "$2" ]; then
    python3 "$ROOT/benches/make_data.py" "$path" "$2"
  fi
  echo "$path"
}

# start_server DATA_DIR [extra serve args...]: sets SERVER_PID, BASE, KEY.
start_server() {
  local data="$1"; shift
  rm -rf "$data"
  "$BIN" serve --data-dir "$data" --listen 127.0.0.1:0 --tls off "$@" > "$data.out" 2> "$data.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$data.out" 2>/dev/null; then break; fi
    sleep 0.1
  done
  BASE="$(sed -n 's/^sessionvault listening on //p' "$data.out" | head -1)"
  KEY="$(awk '/^api_key:/{print $2}' "$data/initial-admin.txt")"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# peak_rss_mb PID: the high-water mark of resident memory.
peak_rss_mb() {
  awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$1/status"
}

mbps() { # bytes seconds
  python3 -c "print(f'{$1/1e6/$2:.1f}')"
}
