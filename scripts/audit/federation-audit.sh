#!/bin/sh
# The Guild's federation gateway audit (graphql-hive/federation-gateway-audit) against JointGraph.
# usage: scripts/audit/federation-audit.sh AUDIT_CLONE [plain|authz]
#   plain  (default) plain federation: run.sh starts cli/gateway.ts
#   authz  the authorization pipeline on (labels, joint grants, audit trail; mode enforce):
#          run.sh starts authz-gateway.ts, every field UNCONDITIONAL, a demo app's key
# AUDIT_CLONE is a clone of the audit whose runtime dependencies are installed (its full
# dev-dependency install fails on Node 20: drop devDependencies, overrides and peerDependencies,
# add graphql and tsx to its dependencies, then npm install).
# Results: $AUDIT_WORK/results.txt (plain) or $AUDIT_WORK/results-authz.txt (authz);
# per-suite gateway and TAP logs: $AUDIT_WORK/<mode>/logs/. AUDIT_WORK defaults to /tmp/jointgraph-audit.
# Ports: GATEWAY_PORT (default 14000) and AUDIT_PORT, the audit's subgraph server (default 14200).
# Exits 1 when a case fails (the audit itself exits 0 then).
set -eu
AUDIT="$(cd "${1:?usage: federation-audit.sh AUDIT_CLONE [plain|authz]}" && pwd)"
MODE="${2:-plain}"
case "$MODE" in
  plain) RESULTS=results.txt ;;
  authz) RESULTS=results-authz.txt ;;
  *) echo "mode must be plain or authz, got \"$MODE\"" >&2; exit 2 ;;
esac
HERE="$(cd "$(dirname "$0")" && pwd)"
# run.sh starts the compiled gateway, once per suite: build dist/ once, here, if a source changed
node "$HERE/../build.mjs" --if-stale
WORK="${AUDIT_WORK:-/tmp/jointgraph-audit}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
# Node 20 lacks Promise.withResolvers, which the audit's command line uses.
cat > "$WORK/polyfill.mjs" <<'JS'
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
JS
# the audit kills whatever listens on the gateway port before each suite: use unusual ports
GATEWAY_PORT="${GATEWAY_PORT:-14000}"
AUDIT_PORT="${AUDIT_PORT:-14200}"
export GATEWAY_PORT AUDIT_PORT
if ss -ltn | grep -qE ":($GATEWAY_PORT|$AUDIT_PORT)\b"; then echo "port $GATEWAY_PORT or $AUDIT_PORT is busy" >&2; exit 1; fi
rm -rf "$WORK/$MODE" "$WORK/$RESULTS"
mkdir -p "$WORK/$MODE"
cd "$AUDIT"
# --cwd only decides where the audit writes its logs; the run script's own folder is its cwd.
NODE_OPTIONS="--import $WORK/polyfill.mjs" GATEWAY_TIMEOUT=60000 AUDIT_WORK="$WORK" AUDIT_MODE="$MODE" \
  npx tsx src/cli.ts test --cwd "$WORK/$MODE" --run-script "$HERE/run.sh" \
  --graphql "http://127.0.0.1:$GATEWAY_PORT/graphql" --healthcheck "http://127.0.0.1:$GATEWAY_PORT/health" \
  --port "$AUDIT_PORT" --reporter dot --write "$WORK/$RESULTS"
# a full run exits 0 even when cases fail: the results file has the score
echo "mode $MODE: $WORK/$RESULTS"
tail -3 "$WORK/$RESULTS"
echo
# failing cases (suite, 0-based case index); the reasons are in $WORK/$MODE/logs/<suite>-tests.log
awk '/^---$/ { exit } NR % 2 == 1 { id = $0; next }
     { for (i = 1; i <= length($0); i++) if (substr($0, i, 1) == "X") print "  FAIL " id " case " (i - 1) }' "$WORK/$RESULTS"
grep -qx 'Failed: 0' "$WORK/$RESULTS"
