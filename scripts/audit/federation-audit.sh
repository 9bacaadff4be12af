#!/bin/sh
# The Guild's federation gateway audit (graphql-hive/federation-gateway-audit) against JointGraph.
# usage: scripts/audit/federation-audit.sh AUDIT_CLONE
# AUDIT_CLONE is a clone of the audit whose runtime dependencies are installed (its full
# dev-dependency install fails on Node 20: drop devDependencies and overrides, then npm install).
set -eu
AUDIT="${1:?usage: federation-audit.sh AUDIT_CLONE}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="${AUDIT_WORK:-/tmp/jointgraph-audit}"
mkdir -p "$WORK"
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
if ss -ltn | grep -qE ':(14000|14200)\b'; then echo "port 14000 or 14200 is busy" >&2; exit 1; fi
rm -rf "$HERE/logs" "$WORK/results.txt"
cd "$AUDIT"
NODE_OPTIONS="--import $WORK/polyfill.mjs" GATEWAY_TIMEOUT=30000 AUDIT_WORK="$WORK" \
  npx tsx src/cli.ts test --cwd "$HERE" --run-script ./run.sh \
  --graphql http://127.0.0.1:14000/graphql --healthcheck http://127.0.0.1:14000/health \
  --port 14200 --reporter dot --write "$WORK/results.txt"
# a full run exits 0 even when cases fail: the results file has the score
tail -3 "$WORK/results.txt"
