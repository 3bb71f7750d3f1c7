#!/usr/bin/env bash
# API load benchmark with wrk (Debian's `wrk` package) over loopback: starts `dyad serve` on a
# store (build a 1M-event one with `dyad-store-bench --events 1000000 --db PATH`), takes the 200
# busiest dyads from the store itself, and runs two loads, each after a 5 s warm-up:
#   events: event pages for those dyads, all time and within 2022 (the issue-4 target), and
#   mixed:  the same plus weekly dyad series and 90-day top-actor tables.
# Client and server share the machine's cores. Prints one `result:` line per load.
#
# Usage: bench/api-load.sh STORE.db [SECONDS=20] [CONNECTIONS=16]
set -euo pipefail
db="${1:?usage: bench/api-load.sh STORE.db [SECONDS] [CONNECTIONS]}"
seconds="${2:-20}"
conns="${3:-16}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="${DYAD_BIN:-$here/../target/release/dyad}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" serve --db "$db" --addr 127.0.0.1:0 2>"$work/serve.log" &
pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 || true)"
  [ -n "$url" ] && curl -fsS "$url/health" >/dev/null 2>&1 && break
  sleep 0.2
done
[ -n "$url" ] || { cat "$work/serve.log"; exit 1; }

curl -fsS "$url/api/dyads/top?limit=200" | python3 -c '
import json, sys
dyads = json.load(sys.stdin)["dyads"]
with open(sys.argv[1], "w") as ev, open(sys.argv[2], "w") as mix:
    for i, d in enumerate(dyads):
        s, t = d["source_code"], d["target_code"]
        lines = [f"/api/events?source={s}&target={t}&limit=50",
                 f"/api/events?source={s}&target={t}&from=2022-01-01&to=2022-12-31&limit=50"]
        ev.write("\n".join(lines) + "\n")
        m = 1 + i % 9
        lines += [f"/api/series?source={s}&target={t}&bucket=week",
                  f"/api/actors/top?from=2021-{m:02d}-01&to=2021-{m + 3:02d}-28&limit=20"]
        mix.write("\n".join(lines) + "\n")
' "$work/events.txt" "$work/mixed.txt"

echo "api-load: $(nproc) cores, $conns connections, ${seconds} s per load, store $db"
for load in events mixed; do
  PATHS_FILE="$work/$load.txt" wrk -t2 -c"$conns" -d5s -s "$here/wrk-paths.lua" "$url" >/dev/null
  printf '%-7s ' "$load"
  PATHS_FILE="$work/$load.txt" wrk -t2 -c"$conns" -d"${seconds}s" -s "$here/wrk-paths.lua" "$url" | grep '^result:'
done
