# Elasticsearch: one embedded node (stack/elasticsearch) built from the Maven Central jars, since the
# distribution archives cannot be downloaded here. Sourced after stack/lib.sh.

ELASTICSEARCH_SRC="$STACK_DIR/elasticsearch"
ELASTICSEARCH_HOME="$STACK_OPT/elasticsearch-$ELASTICSEARCH_VERSION"

# Read at call time so a driver may set ELASTICSEARCH_HOST/PORT/JAVA after sourcing this file.
# ELASTICSEARCH_TRANSPORT_PORT pins the node's internal transport port (default: the first free
# one from 9300), so a second stack on one machine never takes the port of the first.
_elasticsearch_host() { printf '%s' "${ELASTICSEARCH_HOST:-127.0.0.1}"; }
_elasticsearch_port() { printf '%s' "${ELASTICSEARCH_PORT:-9200}"; }

# Fingerprint of what the install is built from, so editing the launcher triggers a rebuild.
_elasticsearch_fingerprint() {
  {
    printf '%s\n' "$ELASTICSEARCH_VERSION"
    (cd "$ELASTICSEARCH_SRC" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum)
  } | sha256sum | cut -d' ' -f1
}

elasticsearch_install() {
  local stamp="$ELASTICSEARCH_HOME/.installed" fingerprint build
  fingerprint="$(_elasticsearch_fingerprint)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
    return 0
  fi
  command -v java >/dev/null || stack_die "java is required for elasticsearch"
  command -v mvn >/dev/null || stack_die "mvn is required for elasticsearch"
  stack_log "installing elasticsearch $ELASTICSEARCH_VERSION (maven)…"
  build="$STACK_CACHE/elasticsearch-build"
  rm -rf "$build"
  stack_mvn -f "$ELASTICSEARCH_SRC/pom.xml" \
    -Delasticsearch.version="$ELASTICSEARCH_VERSION" \
    -Dstack.build.dir="$build" \
    package >&2
  rm -rf "$ELASTICSEARCH_HOME.tmp"
  mkdir -p "$ELASTICSEARCH_HOME.tmp"
  cp "$build/elasticsearch-launcher.jar" "$ELASTICSEARCH_HOME.tmp/"
  cp -r "$build/lib" "$ELASTICSEARCH_HOME.tmp/lib"
  printf '%s\n' "$fingerprint" >"$ELASTICSEARCH_HOME.tmp/.installed"
  rm -rf "$ELASTICSEARCH_HOME"
  mv "$ELASTICSEARCH_HOME.tmp" "$ELASTICSEARCH_HOME"
  rm -rf "$build"
}

elasticsearch_start() {
  local home="$STACK_DATA/elasticsearch"
  [ -f "$ELASTICSEARCH_HOME/elasticsearch-launcher.jar" ] || stack_die "elasticsearch is not installed"
  mkdir -p "$home/tmp"
  # java itself is the spawned process, so the recorded pid is the JVM's. The flags mirror the system
  # JVM options of the distribution (locale providers for date parsing, netty without Unsafe, no log4j lookups).
  # Elasticsearch 8.8 is built and tested for Java 17; ELASTICSEARCH_JAVA can point at another JVM.
  stack_spawn elasticsearch "${ELASTICSEARCH_JAVA:-java}" \
    -Xms512m -Xmx1g \
    -XX:+UseG1GC \
    -XX:-OmitStackTraceInFastThrow \
    -Xss1m \
    -Djava.awt.headless=true \
    -Dfile.encoding=UTF-8 \
    -Djava.locale.providers=SPI,COMPAT \
    -Djna.nosys=true \
    -Dio.netty.noUnsafe=true \
    -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false \
    -Dlog4j2.disable.jmx=true \
    -Dlog4j2.formatMsgNoLookups=true \
    -Djava.io.tmpdir="$home/tmp" \
    -Delasticsearch.host="$(_elasticsearch_host)" \
    -Delasticsearch.port="$(_elasticsearch_port)" \
    -Delasticsearch.home="$home" \
    -cp "$ELASTICSEARCH_HOME/elasticsearch-launcher.jar:$ELASTICSEARCH_HOME/lib/*" \
    streamingplatform.elasticsearch.EmbeddedElasticsearch \
    ${ELASTICSEARCH_TRANSPORT_PORT:+"-Etransport.port=$ELASTICSEARCH_TRANSPORT_PORT"}
}

elasticsearch_ready() {
  local body
  body="$(curl -fsS --max-time 3 "http://$(_elasticsearch_host):$(_elasticsearch_port)/_cluster/health" 2>/dev/null)" || return 1
  case "$body" in
    *'"status":"green"'* | *'"status":"yellow"'*) return 0 ;;
    *) return 1 ;;
  esac
}
