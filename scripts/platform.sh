#!/usr/bin/env bash
# Runs the whole platform without Docker: the native server stack plus the services, in the
# background, on loopback.
#
#   platform.sh up       start the stack and every service, wait until each /health is green
#   platform.sh down     stop the services, then the stack
#   platform.sh status   the stack's servers and each service's /health
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/stack/lib.sh"

# service name, entry point, health URL (ports from the environment, as the services read them)
load_env() {
  local file="$ROOT/.env" line key
  [ -f "$file" ] || file="$ROOT/.env.example"
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*([A-Z_][A-Z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    [ -n "${!key+set}" ] || export "$key=${BASH_REMATCH[2]}"
  done <"$file"
}
load_env

SERVICES=(processor gateway monitor)
entry_of() {
  case "$1" in
    gateway) echo gateway/src/server.ts ;;
    processor) echo processor/src/main.ts ;;
    monitor) echo monitor/src/main.ts ;;
  esac
}
health_of() {
  case "$1" in
    gateway) echo "http://${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}/health" ;;
    processor) echo "http://${PROCESSOR_HOST:-127.0.0.1}:${PROCESSOR_PORT:-8001}/health" ;;
    monitor) echo "http://${MONITOR_HOST:-127.0.0.1}:${MONITOR_PORT:-8002}/health" ;;
  esac
}

healthy() { curl -fsS --max-time 3 "$(health_of "$1")" >/dev/null 2>&1; }

start_service() {
  local name="$1" started=$SECONDS
  if stack_pid "$name" >/dev/null; then
    stack_log "$name already running (pid $(stack_pid "$name"))"
  else
    stack_log "starting $name…"
    (cd "$ROOT" && stack_spawn "$name" node --conditions=development --import tsx "$(entry_of "$name")")
  fi
  until healthy "$name"; do
    if ! stack_pid "$name" >/dev/null; then
      tail -n 30 "$STACK_LOGS/$name.log" >&2
      stack_die "$name exited during start-up (log: $STACK_LOGS/$name.log)"
    fi
    if [ $((SECONDS - started)) -ge "${PLATFORM_READY_TIMEOUT:-90}" ]; then
      tail -n 30 "$STACK_LOGS/$name.log" >&2
      stack_die "$name not healthy at $(health_of "$name") within ${PLATFORM_READY_TIMEOUT:-90}s"
    fi
    sleep 1
  done
  stack_log "$name healthy at $(health_of "$name") ($((SECONDS - started)) s)"
}

stop_service() {
  local name="$1" pid deadline
  pid="$(stack_pid "$name")" || { rm -f "$(stack_pidfile "$name")"; return 0; }
  stack_log "stopping $name (pid $pid)…"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  done
  rm -f "$(stack_pidfile "$name")"
}

case "${1:-}" in
  up)
    bash "$ROOT/stack/stack.sh" up
    for service in "${SERVICES[@]}"; do start_service "$service"; done
    stack_log "platform up: gateway http://${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}/docs"
    ;;
  down)
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
    bash "$ROOT/stack/stack.sh" down
    ;;
  status)
    failing=0
    bash "$ROOT/stack/stack.sh" status || failing=1
    for service in "${SERVICES[@]}"; do
      if healthy "$service"; then state=healthy; else state="not healthy"; failing=1; fi
      printf '%-14s %-36s %s\n' "$service" "$(health_of "$service")" "$state"
    done
    exit "$failing"
    ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
