#!/usr/bin/env bash
# Filtered, sorted, paged session lists against datasette (PyPI) serving the same SQLite
# table with the same filter, sort and page size (facets and counts off, its fastest);
# wrk on loopback, 32 connections, after a warm-up. Two queries, 50 rows a page:
#   by user: one user's sessions, newest first, a random user per request
#   recent:  the last week's ssh sessions, newest first
# With 1,000,000 sessions for both, and 10,000 for sessionvault's latency at small scale
# (one user per 1000 sessions at both scales, so pages look the same).
# Each figure is the median of ROUNDS runs; at 1M the two servers take turns.
# Usage: benches/list.sh [seconds per run] [rounds]   (needs wrk, python3; installs datasette)
source "$(dirname "$0")/common.sh"
SECONDS_PER_RUN="${1:-15}"
ROUNDS="${2:-3}"
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v datasette > /dev/null || pip install -q datasette
build_release

# wrk_run URL_BASE PATH_TEMPLATE [header]: prints "req/s p99_ms". {U} in the path is
# replaced by a random user id per request.
wrk_run() {
  local base="$1" template="$2" header="${3:-}"
  cat > "$WORK/random-user.lua" <<LUA
local first, last = $USER_FIRST, $USER_LAST
local template = "$template"
request = function()
  local path = template:gsub("{U}", tostring(math.random(first, last)))
  return wrk.format("GET", path)
end
LUA
  local args=(-t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/random-user.lua")
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" "$base" > "$WORK/wrk.out" 2>&1
  python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit(f"{errors.group(1)} failed requests:\n{text}")
print(f"{rps:.0f} {p99:.2f}")
PY
}

SV_USER='/api/v2/session?user_id={U}&sort_field=started&sort_type=desc&limit=50'
DS_USER='/sessionvault/sessions.json?user_id={U}&removed=0&_sort_desc=started&_size=50&_shape=objects&_nocount=1&_nofacet=1'
# populate.py spreads starts over the year before 2025-10-09; the last week begins 2025-10-02.
SV_RECENT='/api/v2/session?protocol=ssh&from=2025-10-02&sort_field=started&sort_type=desc&limit=50'
DS_RECENT='/sessionvault/sessions.json?protocol=ssh&removed=0&started__gte=1759363200000000&_sort_desc=started&_size=50&_shape=objects&_nocount=1&_nofacet=1'

# median_of "rps p99" "rps p99" ...: the median of each column.
median_of() {
  python3 -c '
import statistics, sys
runs = [[float(x) for x in a.split()] for a in sys.argv[1:]]
print(" ".join(f"{statistics.median(col):.2f}" for col in zip(*runs)))' "$@"
}

measure() { # COUNT: sets SV_U, SV_R (sessionvault "rps p99") and DS_U, DS_R (datasette, at 1M only)
  local count="$1" data="$WORK/list-$1"
  start_server "$data"
  stop_server
  read -r USER_FIRST USER_LAST < <(python3 "$ROOT/benches/populate.py" "$data/sessionvault.db" "$count")
  "$BIN" serve --data-dir "$data" --listen 127.0.0.1:0 --tls off > "$data.out" 2> "$data.err" &
  SERVER_PID=$!
  until grep -q "listening on" "$data.out" 2>/dev/null; do sleep 0.1; done
  BASE="$(sed -n 's/^sessionvault listening on //p' "$data.out" | head -1)"
  local ds_pid="" ds="http://127.0.0.1:18777"
  if [ "$count" -ge 1000000 ]; then
    # Both serve the same file at once (datasette read-only), so that their runs can
    # take turns: a machine whose speed drifts then weighs on both alike.
    datasette serve -i "$data/sessionvault.db" --port 18777 --setting sql_time_limit_ms 10000 \
      > "$WORK/datasette.log" 2>&1 &
    ds_pid=$!
    until curl -sf "$ds/-/versions.json" > /dev/null 2>&1; do sleep 0.2; done
    SECONDS_PER_RUN=5 wrk_run "$ds" "$DS_USER" > /dev/null
    SECONDS_PER_RUN=3 wrk_run "$ds" "$DS_RECENT" > /dev/null
  fi
  SECONDS_PER_RUN=5 wrk_run "$BASE" "$SV_USER" "Authorization: $KEY" > /dev/null
  SECONDS_PER_RUN=3 wrk_run "$BASE" "$SV_RECENT" "Authorization: $KEY" > /dev/null
  local sv_u=() sv_r=() ds_u=() ds_r=()
  for _ in $(seq 1 "$ROUNDS"); do
    sv_u+=("$(wrk_run "$BASE" "$SV_USER" "Authorization: $KEY")")
    [ -n "$ds_pid" ] && ds_u+=("$(wrk_run "$ds" "$DS_USER")")
    sv_r+=("$(wrk_run "$BASE" "$SV_RECENT" "Authorization: $KEY")")
    [ -n "$ds_pid" ] && ds_r+=("$(wrk_run "$ds" "$DS_RECENT")")
  done
  SV_U=$(median_of "${sv_u[@]}") SV_R=$(median_of "${sv_r[@]}")
  echo "$count sessions, sessionvault by user: ${sv_u[*]} | recent: ${sv_r[*]}" >&2
  stop_server
  if [ -n "$ds_pid" ]; then
    DS_U=$(median_of "${ds_u[@]}") DS_R=$(median_of "${ds_r[@]}")
    echo "$count sessions, datasette by user: ${ds_u[*]} | recent: ${ds_r[*]}" >&2
    kill "$ds_pid"; wait "$ds_pid" 2>/dev/null || true
  fi
}

measure 10000
SMALL_U=$SV_U SMALL_R=$SV_R
measure 1000000

report() { # NAME SV DS SMALL
  python3 - "$@" <<'PY'
import sys
name = sys.argv[1]
sv, ds, small = ([float(x) for x in a.split()] for a in sys.argv[2:])
print(f"{name}: sessionvault {sv[0]:7.0f} req/s p99 {sv[1]:6.2f} ms | datasette {ds[0]:5.0f} req/s p99 {ds[1]:7.2f} ms"
      f" | {sv[0]/ds[0]:5.1f}x (>= 50x) | p99 at 10k {small[1]:5.2f} ms, 1M/10k {sv[1]/small[1]:4.2f} (<= 1.5)")
PY
}
echo
echo "1,000,000 sessions, 50 rows a page, wrk 32 connections, median of $ROUNDS runs of ${SECONDS_PER_RUN}s (targets: >= 50x, p99 < 10 ms)"
report "by user" "$SV_U" "$DS_U" "$SMALL_U"
report "recent " "$SV_R" "$DS_R" "$SMALL_R"
