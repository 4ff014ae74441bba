#!/usr/bin/env bash
# Gateway CPU per accepted POST /usuarios, for a gateway on its own (no processor, so no replies
# to record), from each tree given (default: this one), rounds interleaved so that trees are
# compared back to back:  bash bench/accept-cpu.sh [TREE ...]   (ROUNDS=2, SECONDS_PER_RUN=15)
# Needs the native servers (npm run stack:up); each tree needs its node_modules. Prints one line
# per run: accepted requests, req/s, client p99 and the gateway's CPU ms per request (/proc).
# The requests are real: they land on user_events. So it refuses to run while a processor is up
# (npm run down first), and a processor started later works through every one of them — unless
# the groups are moved past them, or Kafka's data is reset (npm run stack:stop -- kafka;
# rm -rf .stack/data/kafka; npm run stack:start -- kafka). After such a reset delete the monitor's
# indices too (curl -XDELETE '127.0.0.1:9200/api_*'): a document's id is its topic, partition and
# offset, so the new events would overwrite the old documents instead of adding to them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-2}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"
TREES=("$@")
[ ${#TREES[@]} -eq 0 ] && TREES=("$ROOT")

if curl -sf "127.0.0.1:${PROCESSOR_PORT:-8001}/health" >/dev/null 2>&1; then
  echo "accept-cpu: a processor is running and would apply every request sent; npm run down first" >&2
  exit 1
fi

load() { # url seconds → the load generator's JSON line
  (cd "$ROOT" && BENCH_LOAD="{\"url\":\"$1\",\"mode\":\"fixed\",\"method\":\"POST\",\"body\":\"{}\",\"connections\":64,\"durationSeconds\":$2}" \
    bash stack/node.sh bench/load.ts | tail -1)
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # tree port
  local tree=$1 port=$2 pid
  local runner=(bash stack/node.sh)
  # A tree from before the move to Node.js 24 runs its sources through tsx, as it did then.
  [ -f "$tree/stack/node.sh" ] || runner=(node --conditions=development --import tsx)
  (cd "$tree" && GATEWAY_PORT=$port RATE_LIMIT_MAX=0 GATEWAY_GROUP_ID="accept-cpu-$port" \
    exec "${runner[@]}" gateway/src/server.ts) >/dev/null 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  for _ in $(seq 1 120); do curl -sf "127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
  load "http://127.0.0.1:$port/usuarios" 5 >/dev/null # warm-up
  local before after result
  before=$(cpu_ticks $pid)
  result=$(load "http://127.0.0.1:$port/usuarios" "$SECONDS_PER_RUN")
  after=$(cpu_ticks $pid)
  python3 - "$tree" "$before" "$after" "$result" <<'PY'
import json, sys
tree, before, after, result = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
accepted = result["statusCodes"].get("202", 0)
cpu_ms = (after - before) * 10  # USER_HZ = 100
print(f"{tree}: {accepted} accepted, {round(result['requestsPerSecond'])} req/s, "
      f"p99 {result['latencyMs']['p99']} ms, gateway CPU {cpu_ms / max(accepted, 1):.3f} ms/request")
PY
}

for round in $(seq 1 "$ROUNDS"); do
  port=18100
  for tree in "${TREES[@]}"; do
    run "$tree" $port
    port=$((port + 1))
  done
done
