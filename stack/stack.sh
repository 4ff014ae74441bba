#!/usr/bin/env bash
# The native server stack: PostgreSQL, Redis, a MongoDB-wire server (FerretDB), Kafka and
# Elasticsearch on loopback, installed and started by the project itself (no container engine).
#
#   stack.sh up [server…]       install what is missing, start what is stopped, wait until ready
#   stack.sh down [server…]     stop the servers this stack started (pid files only)
#   stack.sh start|stop|restart SERVER
#   stack.sh status             what runs, and whether it answers
#   stack.sh logs [name…] [-f]  the tail of a server's or a service's log, as it is (-f follows)
#   stack.sh chromium           install Chromium for the browser tests (up never does)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Addresses come from the same variables the services read (.env, then the environment).
stack_load_env "$STACK_ROOT"

stack_parse_url "${POSTGRES_URL:=postgres://streaming:streaming@127.0.0.1:5432/streaming}" POSTGRES 5432
stack_parse_url "${REDIS_URL:=redis://127.0.0.1:6379}" REDIS 6379
stack_parse_url "${MONGO_URL:=mongodb://127.0.0.1:27017/streaming}" MONGO 27017
stack_parse_url "${ELASTICSEARCH_URL:=http://127.0.0.1:9200}" ELASTICSEARCH 9200
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
stack_parse_url "kafka://${KAFKA_BROKERS%%,*}" KAFKA 9092
export POSTGRES_URL REDIS_URL MONGO_URL ELASTICSEARCH_URL KAFKA_BROKERS

ALL_SERVERS=(${STACK_SERVERS:-postgres redis ferretdb kafka elasticsearch})
# Installed by `up` without being started: what the platform needs to run (nginx serves the
# dashboard). Chromium serves only the browser tests, which install it themselves
# (`stack.sh chromium`), so running the platform never pulls in a browser.
INSTALL_ONLY=(nginx)
for server in "${ALL_SERVERS[@]}" "${INSTALL_ONLY[@]}" chromium; do
  . "$STACK_DIR/servers/$server.sh"
done

# Seconds a server may take from start to its first real answer.
ready_timeout() {
  case "$1" in
    elasticsearch) echo "${STACK_ES_TIMEOUT:-240}" ;;
    kafka) echo "${STACK_KAFKA_TIMEOUT:-180}" ;;
    *) echo "${STACK_READY_TIMEOUT:-90}" ;;
  esac
}

address_of() {
  case "$1" in
    postgres) echo "$POSTGRES_HOST:$POSTGRES_PORT" ;;
    redis) echo "$REDIS_HOST:$REDIS_PORT" ;;
    ferretdb) echo "$MONGO_HOST:$MONGO_PORT" ;;
    kafka) echo "$KAFKA_HOST:$KAFKA_PORT" ;;
    elasticsearch) echo "$ELASTICSEARCH_HOST:$ELASTICSEARCH_PORT" ;;
  esac
}

check_name() {
  local s
  for s in "${ALL_SERVERS[@]}"; do [ "$s" = "$1" ] && return 0; done
  stack_die "unknown server '$1' (servers: ${ALL_SERVERS[*]})"
}

show_log_tail() {
  local log="$STACK_LOGS/$1.log"
  [ -f "$log" ] || return 0
  printf -- '--- last lines of %s ---\n' "$log" >&2
  tail -n "${2:-40}" "$log" >&2
  printf -- '---\n' >&2
}

# Starts a server unless it already runs, and leaves it starting; `await` waits for it.
begin_start() {
  local name="$1" pid
  if pid="$(stack_pid "$name")"; then
    return 0
  fi
  if "${name}_ready" 2>/dev/null; then
    stack_log "$name already answers on $(address_of "$name") (not started by this stack); using it"
    return 0
  fi
  "${name}_install"
  stack_log "starting $name on $(address_of "$name")…"
  "${name}_start"
}

await_ready() {
  local name="$1" started=$SECONDS limit waited=0 pid
  limit="$(ready_timeout "$name")"
  "${name}_ready" 2>/dev/null || stack_log "waiting for $name…"
  until "${name}_ready" 2>/dev/null; do
    if ! pid="$(stack_pid "$name")"; then
      show_log_tail "$name"
      stack_die "$name exited during start-up (log: $STACK_LOGS/$name.log)"
    fi
    waited=$((SECONDS - started))
    if [ "$waited" -ge "$limit" ]; then
      show_log_tail "$name"
      stack_die "$name did not answer on $(address_of "$name") within ${limit}s (log: $STACK_LOGS/$name.log)"
    fi
    sleep 1
  done
  stack_log "$name ready in $((SECONDS - started)) s"
  if declare -F "${name}_init" >/dev/null; then
    "${name}_init"
  fi
}

cmd_up() {
  local servers=("$@") s
  [ ${#servers[@]} -gt 0 ] || servers=("${ALL_SERVERS[@]}")
  for s in "${servers[@]}"; do check_name "$s"; done
  # Installs first (apt, Maven and Go share the same 2 cores), then every start at once.
  for s in "${servers[@]}"; do "${s}_install"; done
  if [ $# -eq 0 ]; then for s in "${INSTALL_ONLY[@]}"; do "${s}_install"; done; fi
  local already=()
  for s in "${servers[@]}"; do
    if stack_pid "$s" >/dev/null && "${s}_ready" 2>/dev/null; then already+=("$s"); fi
    begin_start "$s"
  done
  for s in "${servers[@]}"; do
    if [[ " ${already[*]} " == *" $s "* ]]; then
      stack_log "$s already running (pid $(stack_pid "$s")) on $(address_of "$s")"
    else
      await_ready "$s"
    fi
  done
  stack_log "stack up: ${servers[*]}"
}

stop_one() {
  local name="$1" pid signal=TERM
  if ! pid="$(stack_pid "$name")"; then
    rm -f "$(stack_pidfile "$name")"
    stack_log "$name is not running (no live pid file)"
    return 0
  fi
  declare -F "${name}_stop_signal" >/dev/null && signal="$("${name}_stop_signal")"
  stack_log "stopping $name (pid $pid)…"
  kill -s "$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + ${STACK_STOP_TIMEOUT:-60}))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      stack_log "$name did not stop within ${STACK_STOP_TIMEOUT:-60}s; killing it"
      kill -s KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$(stack_pidfile "$name")"
  stack_log "$name stopped"
}

cmd_down() {
  local servers=("$@") i
  [ ${#servers[@]} -gt 0 ] || servers=("${ALL_SERVERS[@]}")
  for s in "${servers[@]}"; do check_name "$s"; done
  for ((i = ${#servers[@]} - 1; i >= 0; i--)); do stop_one "${servers[$i]}"; done
}

cmd_status() {
  local s pid state answer failing=0
  for s in "${ALL_SERVERS[@]}"; do
    if pid="$(stack_pid "$s")"; then state="running (pid $pid)"; else state="not started by the stack"; fi
    if "${s}_ready" 2>/dev/null; then answer=answers; else answer="does not answer"; failing=1; fi
    printf '%-14s %-22s %-28s %s\n' "$s" "$(address_of "$s")" "$state" "$answer"
  done
  return "$failing"
}

# Servers, the platform's services and its admin UIs alike: their logs share $STACK_LOGS.
check_log_name() {
  stack_is_service "$1" && return 0
  stack_is_tool "$1" && return 0
  local s
  for s in "${ALL_SERVERS[@]}"; do [ "$s" = "$1" ] && return 0; done
  stack_die "unknown server or service '$1' (servers: ${ALL_SERVERS[*]}; services: ${PLATFORM_SERVICES[*]}; tools: ${PLATFORM_TOOL_NAMES[*]})"
}

cmd_logs() {
  local follow=() files=() shown=() a f
  for a in "$@"; do
    if [ "$a" = -f ]; then
      # By name and retrying: a log that does not exist yet is shown once it appears.
      follow=(-F)
    else
      check_log_name "$a"
      while IFS= read -r f; do files+=("$f"); done < <(stack_log_files "$a")
    fi
  done
  if [ ${#files[@]} -eq 0 ]; then
    shopt -s nullglob
    files=("$STACK_LOGS"/*.log)
    shopt -u nullglob
  fi
  if [ ${#follow[@]} -gt 0 ]; then
    shown=("${files[@]}")
  else
    for f in "${files[@]}"; do
      if [ -f "$f" ]; then shown+=("$f"); else stack_log "no log yet: $f"; fi
    done
  fi
  [ ${#shown[@]} -gt 0 ] || stack_die "no log to show in $STACK_LOGS"
  tail -n "${STACK_LOG_LINES:-50}" "${follow[@]}" "${shown[@]}"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  start) [ $# -eq 1 ] || stack_die "usage: stack.sh start SERVER"; cmd_up "$1" ;;
  stop) [ $# -eq 1 ] || stack_die "usage: stack.sh stop SERVER"; cmd_down "$1" ;;
  restart) [ $# -eq 1 ] || stack_die "usage: stack.sh restart SERVER"; cmd_down "$1"; cmd_up "$1" ;;
  status) cmd_status ;;
  logs) cmd_logs "$@" ;;
  chromium) chromium_install ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$command" ] || exit 2 ;;
esac
