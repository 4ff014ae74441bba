#!/usr/bin/env bash
# Runs the whole platform without Docker: the native server stack plus the services and the
# dashboard (nginx), in the background, on loopback.
#
#   platform.sh up                  start the stack, every service and the admin UIs (Adminer,
#                                   Mongo Express, Redis Commander; PLATFORM_TOOLS=0 leaves them
#                                   out), wait until each answers; a running service or tool whose
#                                   code changed since it started is restarted
#   platform.sh restart [name…]     restart services or tools (default: processor gateway monitor),
#                                   waiting for each /health
#   platform.sh dev [service…]      the stack, then the node services in watch mode in the
#                                   foreground, their logs pretty-printed; Ctrl-C stops them
#   platform.sh logs [name…] [-f]   the tail of services' (default) or servers' logs, pino's lines
#                                   pretty-printed; -f follows
#   platform.sh changed [service…]  the running services whose code changed since they started
#   platform.sh down                stop the tools and the services, then the stack
#   platform.sh status              the stack's servers, each service's /health and each tool
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/stack/lib.sh"

# service name, entry point, health URL (ports from the environment, as the services read them)
stack_load_env "$ROOT"
# The servers' parts the tools and the dashboard's runtime description need.
stack_parse_url "${POSTGRES_URL:-postgres://streaming:streaming@127.0.0.1:5432/streaming}" PG 5432 POSTGRES_URL
stack_parse_url "${REDIS_URL:-redis://127.0.0.1:6379}" RD 6379 REDIS_URL
. "$ROOT/stack/tools.sh"

# V8 sizes the young generation from the machine's memory: up to 64 MB per semi-space on this
# machine kind, which the services filled under load and kept (RSS about 400 MB after a soak).
# 16 MB holds RSS about 100 MB lower for the same CPU per operation (BENCHMARKS.md, "Memory");
# the Dockerfiles' CMD carries the same flags.
SERVICE_NODE_FLAGS=(--max-semi-space-size=16)

SERVICES=("${PLATFORM_SERVICES[@]}")
NODE_SERVICES=("${PLATFORM_NODE_SERVICES[@]}")
TOOLS=("${PLATFORM_TOOL_NAMES[@]}")

check_service() {
  stack_is_service "$1" || stack_is_tool "$1" ||
    stack_die "unknown service '$1' (services: ${SERVICES[*]}; tools: ${TOOLS[*]})"
}
is_node_service() { [[ " ${NODE_SERVICES[*]} " == *" $1 "* ]]; }

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
    dashboard) echo "http://${DASHBOARD_HOST:-127.0.0.1}:${DASHBOARD_PORT:-8089}/" ;;
    *) tool_health_url "$1" ;;
  esac
}

# The dashboard is nginx with dashboard/nginx.conf.template (the file compose uses too), rendered
# into a complete configuration whose pid, temp files and logs all live under .stack, so nginx
# runs as root or not without touching /etc or /var.
NGINX_DIR="$STACK_DATA/nginx"
NGINX_ARGS=(-p "$NGINX_DIR" -e "$STACK_LOGS/dashboard.log" -c "$NGINX_DIR/nginx.conf")

render_dashboard_config() {
  local template="$ROOT/dashboard/nginx.conf.template" server="$NGINX_DIR/dashboard.conf"
  local text name user=""
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
  [ -x "$NGINX_BIN" ] || stack_die "nginx is not installed (bash stack/stack.sh up installs it)"
  mkdir -p "$NGINX_DIR/tmp"
  # Exactly the template's variables are substituted; nginx's own $variables stay as they are.
  local -A values=(
    [DASHBOARD_PORT]="${DASHBOARD_HOST:-127.0.0.1}:${DASHBOARD_PORT:-8089}"
    [DASHBOARD_ROOT]="$ROOT/dashboard"
    [GATEWAY_UPSTREAM]="${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}"
    [PROCESSOR_UPSTREAM]="${PROCESSOR_HOST:-127.0.0.1}:${PROCESSOR_PORT:-8001}"
    [MONITOR_UPSTREAM]="${MONITOR_HOST:-127.0.0.1}:${MONITOR_PORT:-8002}"
    # What the page reads from /runtime.json: no Kafka UI or Kibana here, the tools only when
    # PLATFORM_TOOLS allows them, Adminer's server the platform's PostgreSQL.
    [DASHBOARD_RUNTIME]=native
    [DASHBOARD_TOOLS]="$(if tools_enabled; then echo true; else echo false; fi)"
    [ADMINER_SERVER]="$PG_HOST:$PG_PORT"
  )
  text="$(<"$template")"
  for name in "${!values[@]}"; do text="${text//"\${$name}"/"${values[$name]}"}"; done
  printf '%s\n' "$text" >"$server"

  # As root the workers run as nobody when nobody can read the page, as root otherwise.
  if [ "$(id -u)" = 0 ]; then
    if setpriv --reuid=nobody --regid=nogroup --clear-groups -- test -r "$ROOT/dashboard/index.html" 2>/dev/null; then
      user="user nobody nogroup;"
    else
      user="user root root;"
    fi
  fi
  cat >"$NGINX_DIR/nginx.conf" <<EOF
# Generated by scripts/platform.sh from dashboard/nginx.conf.template; edit the template instead.
$user
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $STACK_LOGS/dashboard.log warn;
events {
    worker_connections 256;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $STACK_LOGS/dashboard-access.log;
    client_body_temp_path $NGINX_DIR/tmp/client_body;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;
    include $server;
}
EOF
  "$NGINX_BIN" "${NGINX_ARGS[@]}" -t -q || stack_die "the rendered nginx configuration is invalid: $NGINX_DIR/nginx.conf"
}

spawn_service() {
  local name="$1"
  if stack_is_tool "$name"; then
    tool_install "$name"
    tool_spawn "$name"
  elif [ "$name" = dashboard ]; then
    render_dashboard_config
    stack_spawn dashboard "$NGINX_BIN" "${NGINX_ARGS[@]}"
  else
    (cd "$ROOT" && stack_spawn "$name" node "${SERVICE_NODE_FLAGS[@]}" "$(entry_of "$name")")
  fi
}

healthy() {
  if stack_is_tool "$1"; then
    tool_healthy "$1"
  else
    curl -fsS --max-time 3 "$(health_of "$1")" >/dev/null 2>&1
  fi
}

# What a node service runs: its sources, the contracts and runtime workspaces, the dependencies
# and the configuration file stack_load_env read; a tool, its start-up script, the pinned versions
# and that file. The dashboard has none: nginx serves dashboard/ as it is on disk.
sources_of() {
  local config
  config="$(stack_env_file "$ROOT")"
  if stack_is_tool "$1"; then
    tool_sources "$1"
    printf '%s\n' "$config"
    return 0
  fi
  is_node_service "$1" || return 0
  printf '%s\n' "$ROOT/$1/src" "$ROOT/contracts/src" "$ROOT/runtime/src" "$ROOT/$1/package.json" \
    "$ROOT/contracts/package.json" "$ROOT/runtime/package.json" "$ROOT/package-lock.json" "$config"
}

# The first of those saved after the running process started (its pid file's time, see
# stack_spawn), relative to the repository; status 1 when none was or the service is not running.
changed_source() {
  local name="$1" sources=() path changed
  stack_pid "$name" >/dev/null || return 1
  while IFS= read -r path; do sources+=("$path"); done < <(sources_of "$name")
  [ ${#sources[@]} -gt 0 ] || return 1
  changed="$(stack_newer_than "$(stack_pidfile "$name")" "${sources[@]}")" || return 1
  printf '%s\n' "${changed#"$ROOT/"}"
}

start_service() {
  local name="$1" started=$SECONDS pid changed
  if is_node_service "$name" && pid="$(stack_pid dev)"; then
    stack_log "$name runs under npm run dev (pid $pid), which restarts it on change; left to it"
    return 0
  fi
  if pid="$(stack_pid "$name")"; then
    if changed="$(changed_source "$name")"; then
      stack_log "$name: $changed changed since it started (pid $pid); restarting it"
      stop_service "$name"
      stack_log "starting $name…"
      spawn_service "$name"
      started=$SECONDS
    else
      stack_log "$name already running (pid $pid)"
      if [ "$name" = dashboard ]; then
        # An edited template takes effect: nginx re-reads its configuration on HUP.
        render_dashboard_config
        kill -HUP "$pid"
      fi
    fi
  else
    stack_log "starting $name…"
    # A tool installs itself first (apt, npm): its time to answer counts from its start.
    spawn_service "$name"
    started=$SECONDS
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

cmd_restart() {
  local names=("$@") name pid
  [ ${#names[@]} -gt 0 ] || names=("${NODE_SERVICES[@]}")
  for name in "${names[@]}"; do
    check_service "$name"
    if stack_is_tool "$name" && ! tools_enabled; then
      stack_die "$name is left out by PLATFORM_TOOLS=0"
    fi
    if is_node_service "$name" && pid="$(stack_pid dev)"; then
      stack_die "$name runs under npm run dev (pid $pid), which restarts it when a source changes"
    fi
  done
  # One at a time, so the others go on serving meanwhile.
  for name in "${names[@]}"; do
    stop_service "$name"
    start_service "$name"
  done
}

cmd_dev() {
  local names=("$@") name pid entries=()
  [ ${#names[@]} -gt 0 ] || names=("${NODE_SERVICES[@]}")
  for name in "${names[@]}"; do
    is_node_service "$name" || stack_die "dev runs the node services (${NODE_SERVICES[*]}), not '$name'"
  done
  if pid="$(stack_pid dev)"; then stack_die "npm run dev already runs (pid $pid)"; fi
  bash "$ROOT/stack/stack.sh" up
  for name in "${names[@]}"; do
    if stack_pid "$name" >/dev/null; then
      stack_log "$name runs in the background (npm run up); watch mode takes its place"
      stop_service "$name"
    fi
    entries+=("$name=$(entry_of "$name")")
  done
  # The pid file tells `up`, `restart` and `down` that these services are dev's; dev.ts removes it.
  echo $$ >"$(stack_pidfile dev)"
  cd "$ROOT"
  DEV_PID_FILE="$(stack_pidfile dev)" STACK_LOGS="$STACK_LOGS" exec node scripts/dev.ts "${entries[@]}"
}

cmd_logs() {
  local args=("$@") arg named=0
  for arg in "$@"; do [ "$arg" = -f ] || named=1; done
  [ "$named" = 1 ] || args+=("${SERVICES[@]}")
  # stack.sh checks the names and tails the files; the filter rewrites only pino's JSON lines.
  if [ -d "$ROOT/node_modules/pino-pretty" ]; then
    bash "$ROOT/stack/stack.sh" logs "${args[@]}" | node "$ROOT/scripts/pretty-log.ts"
  else
    stack_log "pino-pretty is not installed (npm ci installs it); the logs as they are:"
    bash "$ROOT/stack/stack.sh" logs "${args[@]}"
  fi
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  up)
    tools_enabled || true # a wrong PLATFORM_TOOLS stops here, before anything starts
    bash "$ROOT/stack/stack.sh" up
    for service in "${SERVICES[@]}"; do start_service "$service"; done
    if tools_enabled; then
      for tool in "${TOOLS[@]}"; do start_service "$tool"; done
    else
      for tool in "${TOOLS[@]}"; do
        if stack_pid "$tool" >/dev/null; then
          stack_log "$tool: PLATFORM_TOOLS=0; stopping it"
          stop_service "$tool"
        fi
      done
    fi
    stack_log "platform up: dashboard $(health_of dashboard), gateway http://${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}/docs"
    ;;
  restart) cmd_restart "$@" ;;
  dev) cmd_dev "$@" ;;
  logs) cmd_logs "$@" ;;
  changed)
    names=("$@")
    [ ${#names[@]} -gt 0 ] || names=("${NODE_SERVICES[@]}")
    for service in "${names[@]}"; do
      check_service "$service"
      if changed="$(changed_source "$service")"; then printf '%s %s\n' "$service" "$changed"; fi
    done
    ;;
  down)
    # npm run dev's services first: it stops them on SIGTERM as on Ctrl-C.
    stop_service dev
    # The tools whatever PLATFORM_TOOLS says now: those a pid file names are stopped.
    for ((i = ${#TOOLS[@]} - 1; i >= 0; i--)); do stop_service "${TOOLS[$i]}"; done
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
    bash "$ROOT/stack/stack.sh" down
    ;;
  status)
    failing=0
    bash "$ROOT/stack/stack.sh" status || failing=1
    for service in "${SERVICES[@]}"; do
      if healthy "$service"; then state=healthy; else state="not healthy"; failing=1; fi
      printf '%-16s %-36s %s\n' "$service" "$(health_of "$service")" "$state"
    done
    for tool in "${TOOLS[@]}"; do
      if ! tools_enabled; then
        state="off (PLATFORM_TOOLS=0)"
      elif healthy "$tool"; then
        state=healthy
      else
        state="not healthy"
        failing=1
      fi
      printf '%-16s %-36s %s\n' "$tool" "http://$(tool_listen "$tool")/" "$state"
    done
    exit "$failing"
    ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
