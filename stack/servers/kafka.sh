# Kafka (KRaft, broker + controller in one JVM) from the Maven Central jars.
# Sourced after stack/lib.sh; defines kafka_install, kafka_start, kafka_ready, kafka_init.
#
# Environment:
#   KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092)       client listener
#   KAFKA_ADVERTISED_HOST / KAFKA_ADVERTISED_PORT    what clients are told (default: the above)
#   KAFKA_CONTROLLER_PORT (9093)                     KRaft controller listener, loopback only
#   KAFKA_TOPICS (user_events:3,response_events:3,user_events.dlq:1)   name:partitions,...

KAFKA_HOME="$STACK_OPT/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$STACK_DATA/kafka"

_kafka_host() { printf '%s' "${KAFKA_HOST:-127.0.0.1}"; }
_kafka_port() { printf '%s' "${KAFKA_PORT:-9092}"; }

# Where local tools connect: a wildcard bind is reached through loopback.
_kafka_connect_host() {
  local h; h="$(_kafka_host)"
  case "$h" in 0.0.0.0|::|'') h=127.0.0.1 ;; esac
  printf '%s' "$h"
}

_kafka_bootstrap() { printf '%s:%s' "$(_kafka_connect_host)" "$(_kafka_port)"; }

# Identifies what the installed libs were resolved from, so a changed pin reinstalls.
_kafka_install_id() {
  printf '%s %s %s %s' "$KAFKA_VERSION" "$KAFKA_SCALA_VERSION" "$SLF4J_VERSION" \
    "$(sha256sum "$STACK_DIR/kafka/pom.xml" | cut -c1-16)"
}

kafka_install() {
  local stamp="$KAFKA_HOME/.installed" id out
  id="$(_kafka_install_id)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ] && [ -d "$KAFKA_LIBS" ]; then
    return 0
  fi
  command -v java >/dev/null || stack_die "kafka needs java (17+) on PATH"
  command -v mvn >/dev/null || stack_die "kafka needs mvn on PATH to fetch its jars"
  stack_log "installing kafka $KAFKA_VERSION (maven)…"
  mkdir -p "$KAFKA_HOME"
  # Resolve into a scratch dir and swap, so an interrupted download never looks installed.
  rm -rf "$KAFKA_LIBS.tmp"
  # Maven's output (it logs errors on stdout) is only shown when it fails.
  if ! out="$(stack_mvn -f "$STACK_DIR/kafka/pom.xml" dependency:copy-dependencies \
      -Dkafka.libs="$KAFKA_LIBS.tmp" \
      -Dkafka.version="$KAFKA_VERSION" \
      -Dkafka.scala.version="$KAFKA_SCALA_VERSION" \
      -Dslf4j.version="$SLF4J_VERSION" 2>&1)"; then
    printf '%s\n' "$out" >&2
    stack_die "maven could not resolve kafka $KAFKA_VERSION"
  fi
  [ -f "$KAFKA_LIBS.tmp/kafka_${KAFKA_SCALA_VERSION}-$KAFKA_VERSION.jar" ] \
    || stack_die "kafka_${KAFKA_SCALA_VERSION}-$KAFKA_VERSION.jar missing after maven"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  printf '%s\n' "$id" >"$stamp"
  stack_log "kafka $KAFKA_VERSION installed ($(ls "$KAFKA_LIBS" | wc -l) jars)"
}

# Command-line tools log warnings only, to stderr, so their stdout stays parseable.
_kafka_tools_log4j() {
  local f="$KAFKA_DATA/tools-log4j.properties"
  if [ ! -f "$f" ]; then
    mkdir -p "$KAFKA_DATA"
    printf '%s\n' \
      'log4j.rootLogger=WARN, stderr' \
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender' \
      'log4j.appender.stderr.Target=System.err' \
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout' \
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n' >"$f"
  fi
  printf '%s' "$f"
}

# Runs a Kafka command-line class in a short-lived, small JVM. Client tools are short
# programs: C1 only and a serial GC start noticeably faster on 2 cores.
_kafka_client_java() {
  local cp="$1" log4j; shift
  log4j="$(_kafka_tools_log4j)"
  java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$log4j" \
    -cp "$cp" "$@"
}

# kafka_tool CLASS ARGS…, e.g. kafka_tool org.apache.kafka.tools.TopicCommand --list …
kafka_tool() { _kafka_client_java "$KAFKA_LIBS/*" "$@"; }

# A Kafka cluster id: 16 random bytes, unpadded base64url, never starting with '-'
# (the same shape kafka-storage random-uuid prints, without paying for a JVM).
_kafka_new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    case "$id" in -*) ;; *) printf '%s' "$id"; return 0 ;; esac
  done
}

_kafka_render_config() {
  local tpl out="$KAFKA_DATA/server.properties" adv_host
  adv_host="${KAFKA_ADVERTISED_HOST:-$(_kafka_connect_host)}"
  tpl="$(cat "$STACK_DIR/kafka/server.properties")"
  tpl="${tpl//@KAFKA_HOST@/"$(_kafka_host)"}"
  tpl="${tpl//@KAFKA_PORT@/"$(_kafka_port)"}"
  tpl="${tpl//@KAFKA_ADVERTISED_HOST@/"$adv_host"}"
  tpl="${tpl//@KAFKA_ADVERTISED_PORT@/"${KAFKA_ADVERTISED_PORT:-$(_kafka_port)}"}"
  tpl="${tpl//@KAFKA_CONTROLLER_PORT@/"${KAFKA_CONTROLLER_PORT:-9093}"}"
  tpl="${tpl//@KAFKA_LOG_DIRS@/"$KAFKA_DATA/kraft-logs"}"
  case "$tpl" in *@KAFKA_*@*) stack_die "unfilled token in kafka server.properties" ;; esac
  printf '%s\n' "$tpl" >"$out.tmp"
  mv "$out.tmp" "$out"
}

kafka_start() {
  local pid props="$KAFKA_DATA/server.properties" cid_file="$KAFKA_DATA/cluster.id" cid
  if pid="$(stack_pid kafka)"; then
    stack_log "kafka already running (pid $pid)"
    return 0
  fi
  [ -d "$KAFKA_LIBS" ] || stack_die "kafka is not installed; run kafka_install first"
  mkdir -p "$KAFKA_DATA/kraft-logs"
  _kafka_render_config

  # Format exactly once; afterwards the log dir carries the cluster id in meta.properties.
  if [ ! -f "$KAFKA_DATA/kraft-logs/meta.properties" ]; then
    [ -s "$cid_file" ] || _kafka_new_cluster_id >"$cid_file"
    cid="$(cat "$cid_file")"
    stack_log "formatting kafka storage (cluster id $cid)…"
    kafka_tool kafka.tools.StorageTool format --ignore-formatted \
      --cluster-id "$cid" --config "$props" >>"$STACK_LOGS/kafka.log" 2>&1 \
      || stack_die "kafka storage format failed (see $STACK_LOGS/kafka.log)"
  fi

  # exec'd by stack_spawn without a wrapper shell, so the recorded pid is the JVM itself.
  stack_spawn kafka java \
    -Xms256m -Xmx768m \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$STACK_DIR/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" \
    kafka.Kafka "$props"
}

kafka_ready() {
  stack_pid kafka >/dev/null || return 1
  stack_probe kafka >/dev/null 2>&1
}

kafka_init() {
  local out line
  out="$(node "$STACK_DIR/kafka-topics.mjs" "${KAFKA_TOPICS:-user_events:3,response_events:3,user_events.dlq:1}")" \
    || stack_die "could not create the kafka topics"
  [ -z "$out" ] || while IFS= read -r line; do stack_log "kafka: $line"; done <<<"$out"
}
