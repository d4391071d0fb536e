#!/usr/bin/env bash
# usage: bench/flat.sh BASE_URL TOKFILE [MINUTES] [BENCH_SCRIPT]
#   Is throughput flat as the tables grow? wrk (2 threads, 32 connections) for MINUTES (default 5) one-minute runs in
#   a row against BASE_URL/api/v1/treatments, after the warm-up the caller did, printing one line per minute:
#     minute N: <req/s> req/s p50=<ms> p99=<ms> non2xx=<n>
#   BENCH_SCRIPT: a wrk script of ../shared/bench (default wrk-fleet.lua: a new patient every request, so every
#   minute adds rows to every table).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
URL=${1:?usage: flat.sh BASE_URL TOKFILE [MINUTES] [BENCH_SCRIPT]}/api/v1/treatments
TOKFILE=$(readlink -f "${2:?usage: flat.sh BASE_URL TOKFILE [MINUTES] [BENCH_SCRIPT]}"); export TOKFILE
MINUTES=${3:-5}
LUA=$HERE/../../shared/bench/${4:-wrk-fleet.lua}
for m in $(seq 1 "$MINUTES"); do
  line=$(wrk -t2 -c32 -d60s -s "$LUA" "$URL" | grep '^ceiling-wrk:')
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  printf 'minute %d: %.0f req/s p50=%.2f p99=%.2f non2xx=%s\n' "$m" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" \
    "$(get non2xx)"
done
