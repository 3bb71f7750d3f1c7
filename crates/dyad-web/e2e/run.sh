#!/usr/bin/env bash
# Runs the web app's end-to-end test: starts `dyad serve --demo` on a free loopback port, runs
# app.e2e.mjs against it in headless Chromium, stops the server. Needs: a built `dyad` (release),
# Debian's chromium, and `npm ci` done in this folder (.ci/run does all three).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
bin="${DYAD_BIN:-$repo/target/release/dyad}"
log="$(mktemp)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

"$bin" serve --demo --addr 127.0.0.1:0 2>"$log" &
pid=$!
url=""
for _ in $(seq 1 150); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)"
  [ -n "$url" ] && curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "e2e: dyad serve exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { cat "$log"; echo "e2e: dyad serve did not start" >&2; exit 1; }
echo "e2e: server at $url"
DYAD_URL="$url" node "$here/app.e2e.mjs"
