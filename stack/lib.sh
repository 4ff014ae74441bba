# Shared helpers for the native stack. Sourced by stack/stack.sh; never executed directly.
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
stack_spawn() {
  local name="$1"; shift
  local log="$STACK_LOGS/$name.log"
  printf '\n=== %s starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$(stack_pidfile "$name")"
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
