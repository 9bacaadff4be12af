#!/bin/sh
# Invoked by the audit once per suite as: sh run-authz.sh <suite-id> (cwd = this folder).
# Like run.sh, but starts JointGraph's gateway with the authorization pipeline on (labels, joint
# grants, audit trail; mode enforce): authz-gateway.ts labels every field UNCONDITIONAL and
# gives the audit's anonymous requests a demo app's API key and a purpose.
# Its generated labels, apps and state (grants.db, audit.db) stay in $AUDIT_WORK/authz/<suite-id>.
SUITE="$1"
AUDIT_PORT="${AUDIT_PORT:-14200}"
GATEWAY_PORT="${GATEWAY_PORT:-14000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${AUDIT_WORK:-/tmp/jointgraph-audit}"
SUPERGRAPH="$WORK/supergraphs/$SUITE.graphql"
STATE="$WORK/authz/$SUITE"
mkdir -p "$WORK/supergraphs"
rm -rf "$STATE"
i=0
# the audit server can answer 404 before the suite's routes exist: retry
until curl -sf "http://127.0.0.1:$AUDIT_PORT/$SUITE/supergraph" -o "$SUPERGRAPH"; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "could not fetch the supergraph of $SUITE" >&2; exit 1; fi
  sleep 0.5
done
cd "$ROOT" || exit 1
exec node --import tsx "$ROOT/scripts/audit/authz-gateway.ts" --supergraph "$SUPERGRAPH" --port "$GATEWAY_PORT" --host 127.0.0.1 --work "$STATE"
