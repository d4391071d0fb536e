#!/usr/bin/env bash
# usage: bench/kit.sh [DIR]  - a writable copy of ../shared/bench (default $TMPDIR/bench-kit) with one fix applied,
# then prints its path. The fix: run-ceiling.sh's readiness probe (/health/ready) can answer before the ceiling
# application is bound, and its sanity POST then gets 404 and aborts the run (seen on 2026-12-01 five times in a row);
# the copy also waits until the endpoint itself answers. Nothing else differs: compare DIR/compare.sh with the original.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KIT=${1:-${TMPDIR:-/tmp}/bench-kit}
rm -rf "$KIT" && cp -r "$HERE/../../shared/bench" "$KIT" && chmod -R u+w "$KIT"
python3 - "$KIT/run-ceiling.sh" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = 'log "ready"\n'
new = ('# /health/ready answers before the application is bound; wait until the endpoint itself answers (not 404).\n'
       'for _ in $(seq 1 60); do\n'
       '  code=$(curl -sk -o /dev/null -w \'%{http_code}\' -X POST "$URL" || true)\n'
       '  [ "$code" != 404 ] && [ "$code" != 000 ] && break\n'
       '  sleep 1\n'
       'done\n'
       'log "ready"\n')
assert s.count(old) == 1, "run-ceiling.sh changed: check whether the fix is still needed"
open(p, 'w').write(s.replace(old, new))
PY
echo "$KIT"
