#!/usr/bin/env bash
# usage: bench/faults/faults.sh
#   Fault tests that prove nothing acknowledged is lost (issue 11 item 6). Everything runs on loopback, in a fresh
#   work directory, and everything started here is stopped on exit (by PID or process group):
#     1. builds the WAR from a private copy of this repository (mvn -o -pl treatment-war, jars from ~/.m2) and
#        creates a dedicated Liberty server "faultrun" in that copy (liberty:create; the WAR goes to dropins/);
#     2. creates a private PostgreSQL instance (initdb as the postgres user, 127.0.0.1:PG_PORT, trust auth) - the
#        shared cluster on 5432 is never touched;
#     3. starts the server (HTTPS on 127.0.0.1:HTTPS_PORT) on that database, JWT keys from ../shared/bench/JwtKit.java,
#        rate limits raised; waits for /health/ready;
#     4. starts the retrying client (FaultClient.java load: WORKERS threads, one idempotency key per record, retries
#        on 503 / connection errors / timeouts with the same key and body until 201 or 200);
#     5. fault (A): after WARMUP_SECONDS stops PostgreSQL (pg_ctl stop -m PG_STOP_MODE) for OUTAGE_SECONDS, starts it
#        again; fault (B): AFTER_PG_SECONDS later SIGKILLs the Liberty JVM under load and starts it again; the client
#        runs AFTER_KILL_SECONDS more, then finishes the keys in hand;
#     6. checks (FaultClient.java check) against the API and the database: PASS/FAIL per property of (A), (B), (C).
#   Exits 0 only if every check passes, 1 if one fails, 2 on a set-up error. Prints a summary at the end; the work
#   directory (logs, the client's per-attempt files, summary.txt) is kept, the database and the build are removed.
#   Needs: root (runuser to the postgres user), PostgreSQL 15 binaries (/usr/lib/postgresql/*/bin), JDK 17, Maven
#   with the project's jars and the Liberty runtime zip in ~/.m2 (offline), curl, psql.
# Options (environment, defaults in brackets):
#   WORKERS               client threads, each its own device token [16]
#   WARMUP_SECONDS        load before PostgreSQL is stopped [20]
#   OUTAGE_SECONDS        PostgreSQL down [20]
#   AFTER_PG_SECONDS      load after PostgreSQL is back, before the SIGKILL [20]
#   AFTER_KILL_SECONDS    load after the restarted server is ready [20]
#   PG_STOP_MODE          immediate (a crash: no shutdown checkpoint, sessions cut, crash recovery at start) or
#                         fast (sessions terminated with an error, clean shutdown) [immediate]
#   PG_PORT, HTTPS_PORT   loopback ports of the private PostgreSQL and of the server [55432, 9743]
#   READY_MAX_SECONDS     longest wait for the server to be ready, per start [180]
#   RECOVERY_MAX_SECONDS  a submission must succeed this soon after PostgreSQL is back [30]
#   GRACE_SECONDS         after the stop, how long the client may retry the keys in hand [60]
#   RETRY_AFTER_CAP_MS    the client honours Retry-After up to this [3000]
#   REPLAY_SHARE          share of the client's steps that re-send an acknowledged key [0.1]
#   SOURCE                the source tree the server is built from [this repository]; e.g. an older commit
#                         unpacked with `git archive COMMIT | tar -x -C DIR`, to compare before and after a change
#   OUT                   work directory [a new /tmp/faultrun.XXXXXX]
#   KEEP                  1: keep the private database and the build copy too [0]
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 0 ] || usage
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED=$(cd "$REPO/../shared" 2>/dev/null && pwd) || { echo "faults: $REPO/../shared not found" >&2; exit 2; }

WORKERS=${WORKERS:-16}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-20}
AFTER_PG_SECONDS=${AFTER_PG_SECONDS:-20}
AFTER_KILL_SECONDS=${AFTER_KILL_SECONDS:-20}
PG_STOP_MODE=${PG_STOP_MODE:-immediate}
PG_PORT=${PG_PORT:-55432}
HTTPS_PORT=${HTTPS_PORT:-9743}
READY_MAX_SECONDS=${READY_MAX_SECONDS:-180}
RECOVERY_MAX_SECONDS=${RECOVERY_MAX_SECONDS:-30}
GRACE_SECONDS=${GRACE_SECONDS:-60}
RETRY_AFTER_CAP_MS=${RETRY_AFTER_CAP_MS:-3000}
REPLAY_SHARE=${REPLAY_SHARE:-0.1}
KEEP=${KEEP:-0}
SOURCE=${SOURCE:-$REPO}
SERVER_NAME=faultrun   # never "treatment-it": another engineer's ITs treat such a JVM as their server
ISSUER=https://bench.test/issuer
AUDIENCE=treatment-api

die() { echo "faults: $*" >&2; exit 2; }
whole() { [[ ${!1} =~ ^[0-9]+$ ]] && [ "${!1}" -ge "$2" ] && [ "${!1}" -le "$3" ] || die "$1 must be a whole number from $2 to $3, not '${!1}'"; }
whole WORKERS 1 200; whole WARMUP_SECONDS 5 3600; whole OUTAGE_SECONDS 5 3600; whole AFTER_PG_SECONDS 5 3600
whole AFTER_KILL_SECONDS 5 3600; whole PG_PORT 1024 65535; whole HTTPS_PORT 1024 65535
whole READY_MAX_SECONDS 10 3600; whole RECOVERY_MAX_SECONDS 1 3600; whole GRACE_SECONDS 1 3600
whole RETRY_AFTER_CAP_MS 0 120000
[[ $REPLAY_SHARE =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "REPLAY_SHARE must be a share from 0 to 1"
case $PG_STOP_MODE in immediate|fast) ;; *) die "PG_STOP_MODE must be immediate or fast" ;; esac
[ -f "$SOURCE/pom.xml" ] && [ -d "$SOURCE/treatment-war" ] || die "SOURCE ($SOURCE) is not a checkout of this project"
SOURCE=$(cd "$SOURCE" && pwd)
[ "$(id -u)" -eq 0 ] || die "run as root (the private PostgreSQL runs as the postgres user through runuser)"
id postgres >/dev/null 2>&1 || die "no postgres user"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin"
for c in java mvn curl psql setsid runuser ss; do command -v $c >/dev/null 2>&1 || die "$c not found"; done
port_busy() { ss -Hltn "sport = :$1" | grep -q .; }
port_busy "$PG_PORT" && die "port $PG_PORT is in use (set PG_PORT)"
port_busy "$HTTPS_PORT" && die "port $HTTPS_PORT is in use (set HTTPS_PORT)"

T0=$(date +%s%3N)
now() { date +%s%3N; }
if [ -z "${OUT:-}" ]; then
  OUT=$(mktemp -d /tmp/faultrun.XXXXXX)
else
  mkdir -p "$OUT"
  rm -f "$OUT"/attempts-*.txt "$OUT"/results-*.txt "$OUT"/replays-*.txt "$OUT"/events.txt "$OUT"/stop
fi
OUT=$(cd "$OUT" && pwd)
case $OUT in *treatment-it*) die "OUT must not contain 'treatment-it'" ;; esac
chmod 711 "$OUT" # the postgres user must reach $OUT/pg; the rest stays private
EVENTS=$OUT/events.txt
: >"$EVENTS"
event() { echo "$1 ${2:-$(now)}" >>"$EVENTS"; }
say() { printf 'faults: [%6.1fs] %s\n' "$(( $(now) - T0 ))e-3" "$*"; }

PGDATA=$OUT/pg/data
SRC=$OUT/src
WLP=$SRC/treatment-war/target/liberty/wlp
SERVER_DIR=$WLP/usr/servers/$SERVER_NAME
SERVER_PID=
CLIENT_PID=
TAIL_PID=
PAUSE_PID=
FG_PID=   # the build or the checker, run in the background so that a signal reaches the trap at once

# Runs a command in its own process group and waits for it (interruptible, unlike a foreground command).
run_wait() { setsid "$@" </dev/null & FG_PID=$!; local rc=0; wait "$FG_PID" || rc=$?; FG_PID=; return $rc; }
pause() { sleep "$1" & PAUSE_PID=$!; wait "$PAUSE_PID" || true; PAUSE_PID=; }

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ "$rc" -eq 0 ] || echo "faults: exit $rc: stopping what this run started" >&2
  if [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; then
    kill -TERM -- "-$CLIENT_PID" 2>/dev/null || kill -TERM "$CLIENT_PID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$CLIENT_PID" 2>/dev/null || true
  fi
  if [ -n "$PAUSE_PID" ]; then kill "$PAUSE_PID" 2>/dev/null || true; fi
  if [ -n "$FG_PID" ] && kill -0 "$FG_PID" 2>/dev/null; then kill -KILL -- "-$FG_PID" 2>/dev/null || true; fi
  stop_server
  if [ -f "$PGDATA/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || {
      pm=$(head -1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
      [ -n "$pm" ] && kill -KILL "$pm" 2>/dev/null || true
    }
  fi
  if [ -n "$TAIL_PID" ]; then kill "$TAIL_PID" 2>/dev/null || true; wait "$TAIL_PID" 2>/dev/null || true; fi
  if [ -d "$SERVER_DIR/logs" ]; then
    mkdir -p "$OUT/server-logs" && cp -r "$SERVER_DIR"/logs/* "$OUT/server-logs/" 2>/dev/null || true
  fi
  if [ "$KEEP" != 1 ]; then
    rm -rf "$OUT/pg" "$SRC"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "work directory $OUT"

# 1. Build. A private copy: the tree others work in (their target/, their running ITs) is never touched.
say "building the WAR and the Liberty server '$SERVER_NAME' from a copy of $SOURCE (mvn -o -pl treatment-war)"
B0=$(now)
mkdir -p "$SRC"
(cd "$SOURCE" && tar --exclude=./.git --exclude='./*/target' --exclude=./target -cf - .) | (cd "$SRC" && tar xf -)
if ! run_wait mvn -B -q -o -f "$SRC/pom.xml" -pl treatment-war -Dmaven.test.skip=true package liberty:create \
      -Dliberty.server.name="$SERVER_NAME" >"$OUT/build.log" 2>&1; then
  tail -30 "$OUT/build.log" >&2
  die "build failed (see $OUT/build.log)"
fi
cp "$SRC/treatment-war/target/treatment.war" "$SERVER_DIR/dropins/"
ls "$WLP"/usr/shared/resources/jdbc/postgresql/*.jar >/dev/null 2>&1 || die "no PostgreSQL driver copied into $WLP"
BUILD_S=$(( ($(now) - B0) / 1000 ))
say "built in ${BUILD_S} s"

# 2. Keys and tokens: WORKERS devices (subject = machine id), 8 clinicians, 1 auditor.
mkdir -p "$OUT/keys" && chmod 700 "$OUT/keys"
java "$SHARED/bench/JwtKit.java" keys "$OUT/keys" >/dev/null
BENCH_ISSUER=$ISSUER BENCH_AUDIENCE=$AUDIENCE BENCH_TOKEN_TTL=7200 \
  java "$REPO/bench/load/LoadTokens.java" mint "$OUT/keys" "$OUT/keys/tokens.txt" "$WORKERS" 0 8 >/dev/null
TOKENS=$OUT/keys/tokens.txt

# 3. The private PostgreSQL.
mkdir -p "$OUT/pg" && chown postgres: "$OUT/pg" && chmod 700 "$OUT/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-sync >"$OUT/initdb.log" 2>&1 \
  || { cat "$OUT/initdb.log" >&2; die "initdb failed"; }
pg_start() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -w -t 60 -l "$OUT/pg/postgresql.log" \
    -o "-p $PG_PORT -k $OUT/pg -c listen_addresses=127.0.0.1" start >/dev/null
}
pg_start || die "PostgreSQL did not start (see $OUT/pg/postgresql.log)"
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGDATABASE=treatment
psql -X -q -d postgres -c "CREATE DATABASE treatment" >/dev/null
say "private PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, data in $PGDATA"

# 4. The server.
export HTTPS_PORT HTTP_HOST=127.0.0.1 DB_KIND=postgresql DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/treatment" \
  DB_USER=postgres DB_PASSWORD= MP_JWT_VERIFY_PUBLICKEY_LOCATION="$OUT/keys/jwks.json" MP_JWT_VERIFY_ISSUER=$ISSUER \
  MP_JWT_VERIFY_AUDIENCES=$AUDIENCE TREATMENT_RATELIMIT_PER_MINUTE=100000000 \
  TREATMENT_RATELIMIT_ITEMS_PER_MINUTE=1000000000 TREATMENT_RATELIMIT_UNAUTHENTICATED_PER_MINUTE=1000000 \
  TREATMENT_AUDIT_CHECKPOINT_INTERVAL_SECONDS=10
BASE=https://127.0.0.1:$HTTPS_PORT
start_server() { # $1: start number
  # setsid: the JVM leads its own process group; `server run` execs java, so $! is the JVM's PID.
  setsid "$WLP/bin/server" run "$SERVER_NAME" >"$OUT/server-$1.log" 2>&1 </dev/null &
  SERVER_PID=$!
  local s0 deadline code
  s0=$(now); deadline=$(( s0 + READY_MAX_SECONDS * 1000 ))
  while :; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$OUT/server-$1.log" >&2; die "the server exited during start $1"; }
    code=$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/health/ready" || true)
    [ "$code" = 200 ] && break
    [ "$(now)" -lt "$deadline" ] || die "the server was not ready within $READY_MAX_SECONDS s (start $1, last /health/ready: $code)"
    sleep 0.5
  done
  event "server_ready_$1"
  event "server_pid_$1" "$SERVER_PID"
  READY_S=$(( ($(now) - s0) / 1000 ))
}
say "starting Liberty server '$SERVER_NAME' on $BASE"
start_server 1
PID1=$SERVER_PID
tr '\0' ' ' <"/proc/$PID1/cmdline" | grep -q "$SERVER_NAME" \
  || die "PID $PID1 is not the Liberty JVM"
START1_S=$READY_S
say "server ready in ${START1_S} s (JVM PID $PID1)"

# 5. Load and faults.
: >"$OUT/client.log"
RUN_ID=$(date +%s) WORKERS=$WORKERS GRACE_SECONDS=$GRACE_SECONDS RETRY_AFTER_CAP_MS=$RETRY_AFTER_CAP_MS \
  REPLAY_SHARE=$REPLAY_SHARE MAX_SECONDS=$(( WARMUP_SECONDS + OUTAGE_SECONDS + AFTER_PG_SECONDS + AFTER_KILL_SECONDS + READY_MAX_SECONDS + 120 )) \
  setsid java "$HERE/FaultClient.java" load "$BASE" "$OUT" "$TOKENS" >>"$OUT/client.log" 2>&1 </dev/null &
CLIENT_PID=$!
tail -n +1 -f "$OUT/client.log" &
TAIL_PID=$!
event client_start
client_alive() { kill -0 "$CLIENT_PID" 2>/dev/null || die "the client stopped early (see $OUT/client.log)"; }

pause "$WARMUP_SECONDS"; client_alive
event pid_before_outage "$SERVER_PID"
say "(A) stopping PostgreSQL (-m $PG_STOP_MODE) under load"
event pg_stop
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m "$PG_STOP_MODE" -w -t 60 stop >/dev/null
event pg_stopped
pause "$OUTAGE_SECONDS"; client_alive
say "(A) starting PostgreSQL again"
event pg_start
pg_start || die "PostgreSQL did not start again"
event pg_ready
say "(A) PostgreSQL is back"
pause "$AFTER_PG_SECONDS"; client_alive
if kill -0 "$SERVER_PID" 2>/dev/null; then event pid_after_outage "$SERVER_PID"; else event pid_after_outage -1; fi

say "(B) SIGKILL of the Liberty JVM (PID $SERVER_PID) under load"
event server_kill
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
say "(B) restarting the server"
start_server 2
START2_S=$READY_S
say "(B) server ready again in ${START2_S} s after the restart (JVM PID $SERVER_PID)"
pause "$AFTER_KILL_SECONDS"; client_alive

say "stopping the client"
event client_stop
touch "$OUT/stop"
deadline=$(( $(now) + (GRACE_SECONDS + 45) * 1000 ))
while kill -0 "$CLIENT_PID" 2>/dev/null && [ "$(now)" -lt "$deadline" ]; do sleep 0.5; done
if kill -0 "$CLIENT_PID" 2>/dev/null; then
  say "the client did not finish in time: killing it (its unfinished keys count as failures)"
  kill -KILL -- "-$CLIENT_PID" 2>/dev/null || true
fi
wait "$CLIENT_PID" 2>/dev/null || true
CLIENT_PID=
sleep 0.5
kill "$TAIL_PID" 2>/dev/null || true; wait "$TAIL_PID" 2>/dev/null || true; TAIL_PID=
LOAD_END=$(now)

# 6. Check.
say "checking (API read-back, database, audit chain)"
status=0
: >"$OUT/check.txt"
tail -n +1 -f "$OUT/check.txt" &
TAIL_PID=$!
RECOVERY_MAX_SECONDS=$RECOVERY_MAX_SECONDS run_wait java "$HERE/FaultClient.java" check "$BASE" "$OUT" "$TOKENS" \
  >>"$OUT/check.txt" 2>&1 || status=$?
sleep 0.3
kill "$TAIL_PID" 2>/dev/null || true; wait "$TAIL_PID" 2>/dev/null || true; TAIL_PID=
# Liberty opens its port when the WAR has not started within its application start timeout (CWWKZ0022W, 30 s);
# until the WAR's context root is up, requests are answered 404 (see README).
EARLY_PORT=$(grep -l CWWKZ0022W "$OUT"/server-*.log 2>/dev/null | sed 's/.*server-\([0-9]*\)\.log/\1/' | tr '\n' ' ' | sed 's/ $//' || true)
WALL_S=$(( ($(now) - T0) / 1000 ))
{
  echo "---- treatment fault summary ----"
  echo "timeline           build ${BUILD_S} s; server ready ${START1_S} s; load ${WARMUP_SECONDS} s, PostgreSQL stopped (-m $PG_STOP_MODE) ${OUTAGE_SECONDS} s, ${AFTER_PG_SECONDS} s, SIGKILL + restart ${START2_S} s, ${AFTER_KILL_SECONDS} s; check $(( ($(now) - LOAD_END) / 1000 )) s"
  echo "wall time          ${WALL_S} s in all ($(( WALL_S - BUILD_S )) s without the build)"
  [ -z "$EARLY_PORT" ] || echo "note               Liberty start(s) $EARLY_PORT: CWWKZ0022W, the WAR took longer than the application start timeout and the HTTPS port opened before it was up"
  sed -n '/^---- fault check ----$/,$p' "$OUT/check.txt" | sed '1d' | sed -e 's/^check: //' -e '/^result /d'
  echo "result             $([ "$status" -eq 0 ] && echo PASS || echo FAIL) (work directory $OUT)"
} | tee "$OUT/summary-full.txt"
[ "$status" -eq 0 ] || exit 1
