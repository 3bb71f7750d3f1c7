#!/usr/bin/env bash
# Scale-out benchmark: the same articles coded and stored three ways, with throughput printed:
#   embedded  `dyad ingest` into SQLite, one process (coder threads on every core + one writer)
#   1 worker  `dyad submit` to NATS JetStream, one `dyad worker --threads 1` into PostgreSQL
#   2 workers the same with two workers
# and the per-core rate each implies: articles per CPU-second, counting every process on the
# machine (dyad, PostgreSQL, NATS) from /proc/stat while the articles are coded and stored. That
# is the figure capacity planning divides by; articles/s depends on how many cores there were.
#
# Needs: a release build (cargo build --release --bin dyad), nats-server on the PATH, psql, and
# a PostgreSQL server whose URL (a superuser database, e.g. postgres://postgres@127.0.0.1:55432/postgres)
# is in $DYAD_BENCH_POSTGRES. Usage: bench/scale-out.sh [EDITIONS=300]  (10 articles each)
set -euo pipefail
editions="${1:-300}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/.."
bin="${DYAD_BIN:-$repo/target/release/dyad}"
admin="${DYAD_BENCH_POSTGRES:?set DYAD_BENCH_POSTGRES to a PostgreSQL URL (superuser database)}"
export PATH="$PATH:/usr/sbin"
command -v nats-server >/dev/null || { echo "nats-server is not installed" >&2; exit 1; }
work="$(mktemp -d)"
nats_pid=""
cleanup() {
  [ -n "$nats_pid" ] && kill "$nats_pid" 2>/dev/null || true
  pkill -f "dyad worker --nats nats://127.0.0.1:$port" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cores=$(nproc)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The corpus: editions of the sample wires, as in the scale-out tests (distinct texts and ids,
# dates shifted per edition, cross-outlet duplicates kept within an edition).
python3 - "$repo/examples/corpus/wires.jsonl" "$work/articles.jsonl" "$editions" <<'EOF'
import json, sys, datetime
src, dst, editions = sys.argv[1], sys.argv[2], int(sys.argv[3])
records = [json.loads(l) for l in open(src) if l.strip()]
with open(dst, "w") as out:
    for k in range(editions):
        for r in records:
            r = dict(r)
            r["id"] = f'{r["id"]}-e{k}'
            d = datetime.date.fromisoformat(r["date"]) + datetime.timedelta(days=3 * k)
            r["date"] = d.isoformat()
            r["text"] = f"Edition {k}.\n\n" + r["text"]
            out.write(json.dumps(r) + "\n")
EOF
n=$(wc -l < "$work/articles.jsonl")
echo "scale-out: $n articles ($(du -h "$work/articles.jsonl" | cut -f1)), $cores cores, $("$bin" --version 2>/dev/null || echo dyad)"
printf '%-10s %9s %9s %12s %10s %22s\n' mode articles seconds articles/s "CPU s" "articles/CPU-second"

now() { date +%s.%N; }
# Busy CPU seconds of the whole machine so far (user, nice, system, irq, softirq, steal).
cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
report() { # mode seconds cpu_seconds
  python3 -c "n=$n; s=$2; c=$3; print(f'{\"$1\":<10} {n:>9} {s:>9.2f} {n/s:>12.0f} {c:>10.2f} {n/c:>22.0f}')"
}

t0=$(now); c0=$(cpu)
"$bin" ingest "$work/articles.jsonl" --db "$work/embedded.db" --quiet >/dev/null 2>&1
t1=$(now); c1=$(cpu)
report embedded "$(python3 -c "print($t1-$t0)")" "$(python3 -c "print($c1-$c0)")"

for workers in 1 2; do
  db="dyad_bench_$$_$workers"
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
  url="${admin%/*}/$db"
  rm -rf "$work/js"
  nats-server -js -a 127.0.0.1 -p "$port" -sd "$work/js" >"$work/nats.log" 2>&1 &
  nats_pid=$!
  for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  # The schema is created once, before the clock starts.
  "$bin" query --db "$url" --limit 1 >/dev/null 2>&1 || true
  "$bin" submit "$work/articles.jsonl" --nats "nats://127.0.0.1:$port" >/dev/null 2>&1
  t0=$(now); c0=$(cpu)
  pids=()
  for i in $(seq 1 "$workers"); do
    "$bin" worker --nats "nats://127.0.0.1:$port" --db "$url" --threads 1 --batch "${DYAD_BENCH_BATCH:-256}" \
      --id "bench-$i" 2>"$work/worker$i.log" &
    pids+=($!)
  done
  while [ "$(psql "$url" -Atc 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)" -lt "$n" ]; do
    sleep 0.1
  done
  t1=$(now); c1=$(cpu)
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  kill "$nats_pid" 2>/dev/null || true
  wait "$nats_pid" 2>/dev/null || true
  nats_pid=""
  report "$workers worker$([ "$workers" -gt 1 ] && echo s)" "$(python3 -c "print($t1-$t0)")" "$(python3 -c "print($c1-$c0)")"
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
done
