# Redis from Debian's packages, with append-only persistence under $STACK_DATA/redis.

redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || stack_apt_install redis-server redis-tools
  mkdir -p "$STACK_DATA/redis"
}

redis_start() {
  stack_spawn redis redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --daemonize no \
    --dir "$STACK_DATA/redis" --appendonly yes --appendfsync everysec --save '' \
    --maxmemory 1gb --protected-mode no
}

redis_ready() {
  [ "$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}
