# FerretDB (MongoDB wire protocol over PostgreSQL). Sourced after stack/lib.sh and
# stack/servers/postgres.sh; defines ferretdb_install, ferretdb_start and ferretdb_ready.
#
# The server is our wrapper module in stack/ferretdb, built against FerretDB $FERRETDB_VERSION
# from the Go module proxy. The documents live in the database $FERRETDB_POSTGRES_DB (default
# ferretdb) of the stack's PostgreSQL cluster: FerretDB's PostgreSQL backend filters in SQL,
# while its SQLite backend decodes a whole collection for any filter but _id, so a query per user
# slowed down with every document stored. Env: MONGO_HOST (default 127.0.0.1), MONGO_PORT
# (default 27017), FERRETDB_LOG_LEVEL (default info).

ferretdb_src() { printf '%s/ferretdb' "$STACK_DIR"; }
ferretdb_bin() { printf '%s/ferretdb-%s/ferretdb' "$STACK_OPT" "$FERRETDB_VERSION"; }

ferretdb_addr() {
  local host="${MONGO_HOST:-127.0.0.1}" port="${MONGO_PORT:-27017}"
  # IPv6 literals need brackets in host:port form.
  case "$host" in *:*) host="[$host]" ;; esac
  printf '%s:%s' "$host" "$port"
}

# Identifies what the binary was built from, so editing the wrapper triggers a rebuild.
ferretdb_fingerprint() {
  local src
  src="$(ferretdb_src)"
  {
    printf '%s\n' "$FERRETDB_VERSION"
    cat "$src/go.mod" "$src/go.sum" "$src/main.go"
  } | sha256sum | cut -d' ' -f1
}

ferretdb_install() {
  local src bin dir stamp fp
  src="$(ferretdb_src)"
  bin="$(ferretdb_bin)"
  dir="$(dirname "$bin")"
  stamp="$dir/.stamp"
  fp="$(ferretdb_fingerprint)"

  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fp" ]; then
    return 0
  fi

  command -v go >/dev/null 2>&1 || stack_die "go is required to build ferretdb (Go >= 1.24)"
  # go.mod is the real pin; refuse to build something other than what versions.env says.
  grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/FerretDB/FerretDB[[:space:]]+$FERRETDB_VERSION\$" "$src/go.mod" ||
    stack_die "stack/ferretdb/go.mod does not require github.com/FerretDB/FerretDB $FERRETDB_VERSION"

  stack_log "building ferretdb $FERRETDB_VERSION (go)…"
  mkdir -p "$dir" "$STACK_CACHE/go"
  rm -f "$stamp"
  # -modcacherw keeps the module cache deletable with a plain rm -rf of the stack folder.
  (
    cd "$src"
    env GOPATH="$STACK_CACHE/go/path" \
      GOMODCACHE="$STACK_CACHE/go/mod" \
      GOCACHE="$STACK_CACHE/go/build" \
      GOTOOLCHAIN=local \
      CGO_ENABLED=0 \
      GOFLAGS="-trimpath -mod=readonly -modcacherw -buildvcs=false" \
      go build -ldflags "-s -w" -o "$bin.tmp" .
  ) || stack_die "ferretdb build failed"
  mv -f "$bin.tmp" "$bin"
  printf '%s\n' "$fp" >"$stamp"
  stack_log "ferretdb $FERRETDB_VERSION built: $bin"
}

ferretdb_start() {
  local bin pid
  bin="$(ferretdb_bin)"
  [ -x "$bin" ] || stack_die "ferretdb is not built; run ferretdb_install first"
  if pid="$(stack_pid ferretdb)"; then
    stack_log "ferretdb already running (pid $pid)"
    return 0
  fi
  local database="${FERRETDB_POSTGRES_DB:-ferretdb}" waited=0
  # Its documents live in PostgreSQL, which `up` starts at the same time: wait for it (bounded).
  until postgres_ready 2>/dev/null; do
    [ "$waited" -lt "${STACK_READY_TIMEOUT:-90}" ] || stack_die "ferretdb needs postgres, which does not answer"
    sleep 1
    waited=$((waited + 1))
  done
  postgres_init
  postgres_create_database "$database"
  ferretdb_indexes "$database"
  stack_spawn ferretdb "$bin" \
    -listen-addr "$(ferretdb_addr)" \
    -postgresql-url "postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT/$database" \
    -log-level "${FERRETDB_LOG_LEVEL:-info}"
}

# Indexes FerretDB's SQL can use, kept up by an event trigger (stack/ferretdb/indexes.sql).
ferretdb_indexes() {
  postgres_as_owner "$(postgres_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" \
    -p "$POSTGRES_PORT" -U postgres -d "$1" -f - <"$(ferretdb_src)/indexes.sql" ||
    stack_die "ferretdb: the indexes of stack/ferretdb/indexes.sql could not be set up"
}

# Ready only when the server answers a real `ping` over the wire protocol (within 3 s).
ferretdb_ready() {
  local bin
  bin="$(ferretdb_bin)"
  [ -x "$bin" ] || return 1
  "$bin" -ping -listen-addr "$(ferretdb_addr)" -ping-timeout 2500ms >/dev/null 2>&1
}
