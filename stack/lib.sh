# Shared helpers for the native stack. Sourced by stack/stack.sh and scripts/platform.sh; never
# executed directly.
# Everything the stack installs or writes lives under $STACK_HOME (git-ignored).

STACK_DIR="${STACK_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
STACK_ROOT="$(cd "$STACK_DIR/.." && pwd)"
STACK_HOME="${STACK_HOME:-$STACK_ROOT/.stack}"
STACK_CACHE="$STACK_HOME/cache"
STACK_OPT="$STACK_HOME/opt"
STACK_DATA="$STACK_HOME/data"
STACK_LOGS="$STACK_HOME/logs"
STACK_RUN="$STACK_HOME/run"
mkdir -p "$STACK_CACHE" "$STACK_OPT" "$STACK_DATA" "$STACK_LOGS" "$STACK_RUN"

# shellcheck source=versions.env
. "$STACK_DIR/versions.env"
# The project's Node.js first on PATH (probes, topic set-up and the services run on it).
# shellcheck source=node.sh
. "$STACK_DIR/node.sh"

stack_log() { printf '[stack] %s\n' "$*" >&2; }
stack_die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# Run a command with root rights: directly as root, through sudo otherwise.
stack_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# scheme://[user[:password]@]host[:port][/path] into PREFIX_HOST, _PORT, _USER, _PASSWORD, _DB;
# VARIABLE names the setting in the error message (PREFIX_URL when not given).
stack_parse_url() {
  local url="$1" prefix="$2" default_port="$3" variable="${4:-${2}_URL}"
  [[ "$url" =~ ^[a-z]+://(([^:@/]*)(:([^@/]*))?@)?([^:/?]+)(:([0-9]+))?(/([^?]*))? ]] \
    || stack_die "cannot parse $variable: $url"
  printf -v "${prefix}_HOST" '%s' "${BASH_REMATCH[5]}"
  printf -v "${prefix}_PORT" '%s' "${BASH_REMATCH[7]:-$default_port}"
  printf -v "${prefix}_USER" '%s' "${BASH_REMATCH[2]}"
  printf -v "${prefix}_PASSWORD" '%s' "${BASH_REMATCH[4]}"
  printf -v "${prefix}_DB" '%s' "${BASH_REMATCH[9]}"
}

# The configuration file of the checkout at DIR: DIR/.env, or DIR/.env.example without one
# (printed either way, so a caller can name it even when neither exists).
stack_env_file() {
  if [ -f "$1/.env" ]; then printf '%s\n' "$1/.env"; else printf '%s\n' "$1/.env.example"; fi
}

# Exports each KEY=value line of DIR's configuration file (stack_env_file), the value as written;
# other lines are skipped, and nothing happens when neither file exists. A variable already in
# the environment, even empty, wins over the file. stack.sh and scripts/platform.sh both use it.
stack_load_env() {
  local file line key
  file="$(stack_env_file "$1")"
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*([A-Z_][A-Z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    [ -n "${!key+set}" ] || export "$key=${BASH_REMATCH[2]}"
  done <"$file"
}

stack_pidfile() { printf '%s/%s.pid' "$STACK_RUN" "$1"; }

# The pid recorded for a server, if that process is still alive.
stack_pid() {
  local pidfile pid
  pidfile="$(stack_pidfile "$1")"
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

# Start a long-running foreground process in the background, in its own session, with its
# output appended to the server's log and its pid recorded, so stack:down stops exactly it.
# The pid file's mtime is set to the moment just before the start: a file saved later is newer
# than the process (stack_newer_than), even one saved while the process was still loading.
stack_spawn() {
  local name="$1"; shift
  local log="$STACK_LOGS/$name.log" pidfile started
  pidfile="$(stack_pidfile "$name")"
  started="$(date +%s.%N)"
  printf '\n=== %s starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  touch -d "@$started" "$pidfile"
}

# The first of PATH… (files, or directories searched through) modified after the file REFERENCE;
# status 1 when none is. A file is named first; then a directory, whose time changes when a file
# in it is deleted or renamed. Modification times only: cheap enough for every `npm run up`.
stack_newer_than() {
  local reference="$1" path hit type
  shift
  local paths=()
  for path in "$@"; do [ -e "$path" ] && paths+=("$path"); done
  [ ${#paths[@]} -gt 0 ] || return 1
  for type in f d; do
    hit="$(find "${paths[@]}" -type "$type" -newer "$reference" -print -quit 2>/dev/null)"
    if [ -n "$hit" ]; then
      printf '%s\n' "$hit"
      return 0
    fi
  done
  return 1
}

# The platform's services (scripts/platform.sh), in start order; the first three run on Node.js
# and log pino JSON, the dashboard is nginx. Their logs sit beside the servers' in $STACK_LOGS.
PLATFORM_SERVICES=(processor gateway monitor dashboard)
PLATFORM_NODE_SERVICES=(processor gateway monitor)

stack_is_service() {
  local s
  for s in "${PLATFORM_SERVICES[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# The admin UIs `npm run up` starts beside the services (stack/tools.sh; PLATFORM_TOOLS=0 leaves
# them out), as compose runs them in containers. Their logs and pid files sit beside the services'.
PLATFORM_TOOL_NAMES=(adminer mongo-express redis-commander)

stack_is_tool() {
  local s
  for s in "${PLATFORM_TOOL_NAMES[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# The log files of a server or service: the dashboard has nginx's error log and its access log.
stack_log_files() {
  printf '%s\n' "$STACK_LOGS/$1.log"
  if [ "$1" = dashboard ]; then printf '%s\n' "$STACK_LOGS/dashboard-access.log"; fi
}

# Apt packages, installed only when a command they provide is missing.
stack_apt_install() {
  if [ ! -f "$STACK_HOME/.apt-updated" ]; then
    stack_log "updating the apt package index…"
    stack_sudo apt-get update -qq >/dev/null
    touch "$STACK_HOME/.apt-updated"
  fi
  stack_log "installing Debian packages: $*…"
  stack_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Maven with its repository cached under the stack folder.
stack_mvn() {
  # Maven prints colour resets even in batch mode; keep the output plain.
  mvn -B -q -Dmaven.repo.local="$STACK_CACHE/m2" "$@" | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d'
}

# Protocol-level readiness check through the official Node client (stack/probe.mjs).
stack_probe() {
  node "$STACK_DIR/probe.mjs" "$@"
}
