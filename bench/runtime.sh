#!/usr/bin/env bash
# Start-up time and memory at rest of each service, from each tree given (default: this one),
# rounds interleaved so that trees are compared back to back:
#   bash bench/runtime.sh [TREE ...]        (ROUNDS=3, REST_SECONDS=10)
# Needs the native servers (npm run stack:up) and no platform running (npm run down). Each service
# is started alone, in its configured consumer group: a group with a backlog would measure the
# work of catching up, not rest, so a first round (not printed) lets each group catch up. Prints,
# per run, the time from spawn to a green /health and the RSS after REST_SECONDS at rest. A tree without stack/node.sh (from before the
# move to Node 24) runs its sources through tsx on the machine's node, as it did then.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
REST_SECONDS="${REST_SECONDS:-10}"
TREES=("$@")
[ ${#TREES[@]} -eq 0 ] && TREES=("$ROOT")

for port in 8000 8001 8002; do
  if curl -sf "127.0.0.1:$port/health" >/dev/null 2>&1; then
    echo "runtime: a service answers on port $port; npm run down first" >&2
    exit 1
  fi
done

entry_of() {
  case "$1" in
    gateway) echo "gateway/src/server.ts 8000" ;;
    processor) echo "processor/src/main.ts 8001" ;;
    monitor) echo "monitor/src/main.ts 8002" ;;
  esac
}

run() { # tree service
  local tree=$1 service=$2 entry port pid started ready rss runner version
  read -r entry port < <(entry_of "$service")
  if [ -f "$tree/stack/node.sh" ]; then
    runner=(bash stack/node.sh "$entry")
    version="$(cd "$tree" && bash stack/node.sh --version)"
  else
    runner=(node --conditions=development --import tsx "$entry")
    version="$(node --version) + tsx"
  fi
  started=$(date +%s%N)
  (cd "$tree" && exec "${runner[@]}") >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -sf "127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
  ready=$((($(date +%s%N) - started) / 1000000))
  sleep "$REST_SECONDS"
  # The node process itself (bash stack/node.sh execs it, so the pid is node's either way).
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid" && wait "$pid" 2>/dev/null || true
  printf '%-24s %-10s start-up %5d ms   RSS at rest %4d MB   (%s)\n' "$tree" "$service" "$ready" "$rss" "$version"
}

for service in processor monitor; do run "${TREES[0]}" "$service" >/dev/null; done
for _ in $(seq 1 "$ROUNDS"); do
  for service in gateway processor monitor; do
    for tree in "${TREES[@]}"; do run "$tree" "$service"; done
  done
done
