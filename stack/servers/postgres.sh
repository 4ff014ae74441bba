# PostgreSQL from Debian's packages, with its own cluster under $STACK_DATA/postgres.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

postgres_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && printf '%s' "$dir"
}

# Runs a command as the user that owns the cluster.
postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

# As root the server runs as `postgres`, which must be able to reach its data directory. When the
# checkout sits under a directory closed to other users (e.g. /root), the cluster lives in a
# directory of its own under /var/tmp instead, linked from $STACK_DATA/postgres.
postgres_dirs() {
  POSTGRES_DATA="$STACK_DATA/postgres"
  POSTGRES_SOCKET_DIR="$STACK_RUN/postgres"
  [ "$(id -u)" = 0 ] || return 0
  if setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$STACK_DATA" 2>/dev/null; then
    return 0
  fi
  local base
  base="/var/tmp/streaming-stack-$(printf '%s' "$STACK_HOME" | sha256sum | cut -c1-12)"
  mkdir -p "$base"
  chmod 755 "$base"
  [ -L "$STACK_DATA/postgres" ] || [ -e "$STACK_DATA/postgres" ] || ln -s "$base/data" "$STACK_DATA/postgres"
  POSTGRES_DATA="$base/data"
  POSTGRES_SOCKET_DIR="$base/run"
}

postgres_install() {
  if ! postgres_bindir >/dev/null; then
    stack_apt_install postgresql
  fi
  local bin
  bin="$(postgres_bindir)" || stack_die "PostgreSQL binaries not found after install"
  postgres_dirs
  local data="$POSTGRES_DATA" sock="$POSTGRES_SOCKET_DIR"
  mkdir -p "$data" "$sock"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data" "$sock"; chmod 700 "$data"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    stack_log "initialising the PostgreSQL cluster…"
    postgres_as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >>"$STACK_LOGS/postgres.log" 2>&1 \
      || { tail -n 20 "$STACK_LOGS/postgres.log" >&2; stack_die "initdb failed"; }
  fi
}

postgres_start() {
  local bin
  bin="$(postgres_bindir)"
  postgres_dirs
  local spawn=("$bin/postgres" -D "$POSTGRES_DATA"
    -c listen_addresses="$POSTGRES_HOST" -c port="$POSTGRES_PORT"
    -c unix_socket_directories="$POSTGRES_SOCKET_DIR"
    -c max_connections=200 -c shared_buffers=256MB -c logging_collector=off)
  if [ "$(id -u)" = 0 ]; then
    spawn=(setpriv --reuid=postgres --regid=postgres --init-groups -- "${spawn[@]}")
  fi
  stack_spawn postgres "${spawn[@]}"
}

postgres_ready() {
  "$(postgres_bindir)/pg_isready" -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -t 3
}

# The project's role and database, created once. The role may create databases so that tests
# can each work in a database of their own.
postgres_init() {
  local psql
  postgres_dirs
  psql=("$(postgres_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres -d postgres)
  postgres_as_owner "${psql[@]}" -v user="$POSTGRES_USER" -v password="$POSTGRES_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password') \gexec
SQL
  postgres_create_database "$POSTGRES_DB"
}

# Creates a database owned by the stack's user, unless it exists.
postgres_create_database() {
  local psql
  postgres_dirs
  psql=("$(postgres_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres -d postgres)
  postgres_as_owner "${psql[@]}" -v user="$POSTGRES_USER" -v db="$1" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

# SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
postgres_stop_signal() { echo INT; }
