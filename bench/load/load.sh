#!/usr/bin/env bash
# usage: bench/load/load.sh BASE_URL KEYDIR
#   Drives a running treatment API with a mixed fleet (wrk + load.lua), then checks that every record it was told
#   was stored can be read back and that the audit chain verifies (LoadCheck.java). Prints wrk's report and the
#   check's, exits 0 only if the check passes (1 if it fails, 2 on a usage or set-up error).
#   BASE_URL  e.g. https://localhost:9443 (the API is BASE_URL/api/v1/...; the certificate is not checked)
#   KEYDIR    rsa-private.pem (PKCS#8) and jwks.json as written by `java ../shared/bench/JwtKit.java keys KEYDIR`;
#             the server must trust KEYDIR/jwks.json (MP_JWT_VERIFY_PUBLICKEY_LOCATION)
# Options (environment, defaults in brackets):
#   DEVICES            device clients, each its own token and machine id LM0000.. [200]
#   GATEWAYS           gateway clients, each submitting for any of MACHINES machines [5]
#   MACHINES           machines the gateways submit for, LM0000.. [1000]
#   DURATION           seconds of load [30]
#   CONNECTIONS        wrk keep-alive connections [32]
#   THREADS            wrk threads [2]
#   TIMEOUT            seconds wrk waits for an answer [30]: above the server's commit timeout (10 s), so a slow
#                      commit is measured instead of being dropped as a socket timeout
#   INVALID_SHARE      share of records (single or batch item) with an invalid body, e.g. uf_volume -1 [0.02]
#   UNAUTH_SHARE       share of requests without a token or with a broken signature [0.01]
#   FOREIGN_SHARE      share of device records for another device's machine (403) [UNAUTH_SHARE]
#   BATCH_SHARE        share of requests that are batch submits [0.05]
#   BATCH              records per batch [50]
#   IDEMPOTENCY_SHARE  share of records carrying an idempotency key (header or batch item member) [0.2]
#   REPLAY_SHARE       part of the idempotent single submits that re-send an earlier key and body (200) [0.1]
#   ISSUER, AUDIENCE   token claims [https://bench.test/issuer, treatment-api], as the server's MP_JWT_VERIFY_*
#   TOKEN_TTL          token lifetime in seconds [7200]
#   CHECK_THREADS      read-back workers, one clinician token each [8]
#   VERIFY_MAX_SECONDS longest wait for the audit sealer to settle [30]
#   OUT                work directory: tokens.txt, ids-*.txt, replayed-*.txt, wrk.txt, check.txt, missing.txt
#                      [a fresh mktemp directory; id files of an earlier run in it are removed first]
# The server rate-limits every client (TREATMENT_RATELIMIT_PER_MINUTE, default 100) and its batch items
# (TREATMENT_RATELIMIT_ITEMS_PER_MINUTE): raise both for a throughput run, or the report is mostly 429s.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 2 ] || usage
BASE_URL=${1%/}
KEYDIR=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

DEVICES=${DEVICES:-200}
GATEWAYS=${GATEWAYS:-5}
MACHINES=${MACHINES:-1000}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-30}
INVALID_SHARE=${INVALID_SHARE:-0.02}
UNAUTH_SHARE=${UNAUTH_SHARE:-0.01}
FOREIGN_SHARE=${FOREIGN_SHARE:-$UNAUTH_SHARE}
BATCH_SHARE=${BATCH_SHARE:-0.05}
BATCH=${BATCH:-50}
IDEMPOTENCY_SHARE=${IDEMPOTENCY_SHARE:-0.2}
REPLAY_SHARE=${REPLAY_SHARE:-0.1}
ISSUER=${ISSUER:-https://bench.test/issuer}
AUDIENCE=${AUDIENCE:-treatment-api}
TOKEN_TTL=${TOKEN_TTL:-7200}
CHECK_THREADS=${CHECK_THREADS:-8}
VERIFY_MAX_SECONDS=${VERIFY_MAX_SECONDS:-30}

die() { echo "load: $*" >&2; exit 2; }
# Checked here, not only in load.lua: wrk prints a Lua error at load time and then runs anyway with its default
# GET request, which would look like a (bad) result.
whole() { [[ ${!1} =~ ^[0-9]+$ ]] && [ "${!1}" -ge "$2" ] && [ "${!1}" -le "$3" ] || die "$1 must be a whole number from $2 to $3, not '${!1}'"; }
share() { [[ ${!1} =~ ^(0*(\.[0-9]+)?|0*1(\.0*)?)$ && ${!1} != "" && ${!1} != "." ]] || die "$1 must be a share from 0 to 1, not '${!1}'"; }
whole DEVICES 0 10000; whole GATEWAYS 0 1000; whole MACHINES 1 10000; whole DURATION 1 86400
whole CONNECTIONS 1 10000; whole THREADS 1 256; whole TIMEOUT 1 600; whole BATCH 1 1000; whole TOKEN_TTL 60 604800
whole CHECK_THREADS 1 64; whole VERIFY_MAX_SECONDS 1 3600
for s in INVALID_SHARE UNAUTH_SHARE FOREIGN_SHARE BATCH_SHARE IDEMPOTENCY_SHARE REPLAY_SHARE; do share "$s"; done
[ $((DEVICES + GATEWAYS)) -gt 0 ] || die "DEVICES + GATEWAYS must be at least 1"
[ "$THREADS" -le "$CONNECTIONS" ] || die "THREADS ($THREADS) must not exceed CONNECTIONS ($CONNECTIONS): wrk needs a connection per thread"
[ "$TOKEN_TTL" -gt $((DURATION + 600)) ] || die "TOKEN_TTL ($TOKEN_TTL s) must outlast DURATION plus the check"
[[ $BASE_URL =~ ^https?://[^/]+(/.*)?$ ]] || die "BASE_URL must look like https://host:port, not '$BASE_URL'"
[ -f "$KEYDIR/rsa-private.pem" ] || die "$KEYDIR/rsa-private.pem not found (make keys with: java ../shared/bench/JwtKit.java keys DIR)"
command -v java >/dev/null 2>&1 || die "java (JDK 17) not found"

if ! command -v wrk >/dev/null 2>&1; then
  # Same as ../shared/bench/bench.sh: wrk is a Debian package.
  echo "load: wrk not found, installing the Debian package" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null
  fi
  command -v wrk >/dev/null 2>&1 || die "wrk is missing: apt-get install -y wrk"
fi

if [ -z "${OUT:-}" ]; then
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/treatment-load.XXXXXX")
else
  mkdir -p "$OUT"
  # The checker reads every id file in OUT: ids of an earlier run would be checked as if this run had made them.
  rm -f "$OUT"/ids-*.txt "$OUT"/replayed-*.txt "$OUT"/missing.txt
fi
OUT=$(cd "$OUT" && pwd)
# Patient ids and idempotency keys carry the run id, so a second run against the same database never collides
# with the first (keys are kept per client, and the clients' names are the same every run).
RUN_ID=$(date +%s)$$
echo "load: run $RUN_ID against $BASE_URL, work directory $OUT"

# 1. Tokens, all in one JVM.
BENCH_ISSUER=$ISSUER BENCH_AUDIENCE=$AUDIENCE BENCH_TOKEN_TTL=$TOKEN_TTL \
  java "$HERE/LoadTokens.java" mint "$KEYDIR" "$OUT/tokens.txt" "$DEVICES" "$GATEWAYS" "$CHECK_THREADS"

# 2. One record before the load: a server that rejects the tokens (other keys, issuer or audience) or is not up
#    fails here in a second instead of after DURATION seconds of 401s. Its id is checked like the others.
if command -v curl >/dev/null 2>&1; then
  read -r role sub token < <(grep -E '^(device|gateway) ' "$OUT/tokens.txt" | head -1)
  body=$(printf '{"patient_id":"LP-%s-0-1","treatment_start":"2025-03-28T08:00:00Z","treatment_end":"2025-03-28T10:00:00Z","uf_volume":2.4,"conductivity":13.5,"machine_id":"%s","alarms":["A12","B03"]}' "$RUN_ID" "$sub")
  answer=$(curl -sk --max-time 30 -o "$OUT/preflight.json" -w '%{http_code}' -X POST "$BASE_URL/api/v1/treatments" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body" || true)
  case $answer in
    201) sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' "$OUT/preflight.json" >"$OUT/ids-0.txt" ;;
    000) echo "load: no answer from $BASE_URL (is the server running?)" >&2; exit 1 ;;
    401) echo "load: the server rejects the tokens (401): start it with MP_JWT_VERIFY_PUBLICKEY_LOCATION=$KEYDIR/jwks.json MP_JWT_VERIFY_ISSUER=$ISSUER MP_JWT_VERIFY_AUDIENCES=$AUDIENCE" >&2; exit 1 ;;
    429) echo "load: note: the first request was already rate limited (429); raise TREATMENT_RATELIMIT_PER_MINUTE" >&2 ;;
    *) echo "load: first request answered $answer: $(head -c 300 "$OUT/preflight.json")" >&2; exit 1 ;;
  esac
fi

# 3. The load. load.lua reads its options from the environment.
export LOAD_TOKENS=$OUT/tokens.txt LOAD_OUT=$OUT LOAD_RUN_ID=$RUN_ID
export MACHINES INVALID_SHARE UNAUTH_SHARE FOREIGN_SHARE BATCH_SHARE BATCH IDEMPOTENCY_SHARE REPLAY_SHARE
echo "load: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s: $DEVICES devices, $GATEWAYS gateways, batch share $BATCH_SHARE x $BATCH, invalid $INVALID_SHARE, unauthenticated $UNAUTH_SHARE, foreign $FOREIGN_SHARE, idempotent $IDEMPOTENCY_SHARE (replays $REPLAY_SHARE)"
if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "${TIMEOUT}s" -s "$HERE/load.lua" "$BASE_URL" \
    | tee "$OUT/wrk.txt"; then
  echo "load: wrk failed (see above)" >&2
  exit 1
fi
grep -q '^---- treatment load ----' "$OUT/wrk.txt" || { echo "load: wrk ran without load.lua's report (a Lua error above?)" >&2; exit 1; }

# 4. Read everything back and verify the audit chain.
status=0
CHECK_THREADS=$CHECK_THREADS VERIFY_MAX_SECONDS=$VERIFY_MAX_SECONDS \
  java -Djdk.internal.httpclient.disableHostnameVerification=true "$HERE/LoadCheck.java" \
  "$BASE_URL" "$OUT" "$OUT/tokens.txt" | tee "$OUT/check.txt" || status=$?
if [ "$status" -eq 0 ]; then
  echo "load: PASS (work directory $OUT)"
else
  echo "load: FAIL (work directory $OUT)"
  exit 1
fi
