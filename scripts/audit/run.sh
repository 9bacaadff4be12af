#!/bin/sh
# Invoked by the audit once per suite as: sh run.sh <suite-id>. Fetches the suite's supergraph
# from the audit server, then starts JointGraph's compiled gateway on it (federation-audit.sh built
# dist/): plain federation (cli/gateway.ts with JG_AUTHZ_MODE=off, since its default is to enforce
# authorization and the audit sends no credentials), or with AUDIT_MODE=authz the authorization
# pipeline on (authz-gateway.ts: labels, joint grants, audit trail, mode enforce; its labels, app and
# state stay in $AUDIT_WORK/authz/<suite-id>).
SUITE="$1"
AUDIT_PORT="${AUDIT_PORT:-14200}"
GATEWAY_PORT="${GATEWAY_PORT:-14000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${AUDIT_WORK:-/tmp/jointgraph-audit}"
SUPERGRAPH="$WORK/supergraphs/$SUITE.graphql"
mkdir -p "$WORK/supergraphs"
i=0
# the audit server can answer 404 before the suite's routes exist: retry
until curl -sf "http://127.0.0.1:$AUDIT_PORT/$SUITE/supergraph" -o "$SUPERGRAPH"; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "could not fetch the supergraph of $SUITE" >&2; exit 1; fi
  sleep 0.5
done
cd "$ROOT" || exit 1
if [ "${AUDIT_MODE:-plain}" = authz ]; then
  STATE="$WORK/authz/$SUITE"
  rm -rf "$STATE"
  exec node "$ROOT/dist/scripts/audit/authz-gateway.js" --supergraph "$SUPERGRAPH" --port "$GATEWAY_PORT" --host 127.0.0.1 --work "$STATE"
fi
exec env JG_AUTHZ_MODE=off node "$ROOT/dist/cli/gateway.js" --supergraph "$SUPERGRAPH" --port "$GATEWAY_PORT" --host 127.0.0.1
