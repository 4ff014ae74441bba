#!/usr/bin/env bash
# Provisions Kibana for the platform (docker-compose.yml's kibana-init job, or by hand against any
# Kibana 8: KIBANA_URL=http://127.0.0.1:5601 bash kibana/provision.sh). Idempotent:
#   1. imports saved-objects.ndjson, replacing objects of the same id: the data view api_* on
#      timestamp, the "Failed operations" search (status:error), three visualizations (operations
#      over time, error rate, latency per operation) and the "Streaming platform" dashboard;
#   2. makes that data view Kibana's default.
set -euo pipefail

KIBANA_URL="${KIBANA_URL:-http://kibana:5601}"
OBJECTS="$(dirname "${BASH_SOURCE[0]}")/saved-objects.ndjson"
DATA_VIEW_ID=streaming-platform-events
ATTEMPTS="${KIBANA_INIT_ATTEMPTS:-60}"

log() { printf '[kibana-init] %s\n' "$*" >&2; }

# Kibana answers 503 until it is ready; compose starts this job once it is healthy, so this wait
# only matters when the script is run by hand.
for ((i = 1; ; i++)); do
  if curl -fsS -o /dev/null "$KIBANA_URL/api/status"; then break; fi
  [ "$i" -lt "$ATTEMPTS" ] || { log "Kibana at $KIBANA_URL is not available"; exit 1; }
  sleep 5
done

log "importing $(grep -c . "$OBJECTS") saved objects into $KIBANA_URL"
answer="$(curl -fsS -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: kibana-init' --form "file=@$OBJECTS")"
# The import answers 200 even when objects fail; success is in the body.
case "$answer" in
  *'"success":true'*) log "import: $answer" ;;
  *) log "import failed: $answer"; exit 1 ;;
esac

curl -fsS -X POST "$KIBANA_URL/api/data_views/default" \
  -H 'kbn-xsrf: kibana-init' -H 'Content-Type: application/json' \
  -d "{\"data_view_id\":\"$DATA_VIEW_ID\",\"force\":true}" >/dev/null
log "default data view: $DATA_VIEW_ID (api_* on timestamp)"
log "dashboard: $KIBANA_URL/app/dashboards#/view/streaming-platform-overview"
