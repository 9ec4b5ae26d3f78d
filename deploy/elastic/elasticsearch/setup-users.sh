#!/usr/bin/env bash
# One-shot Elasticsearch setup, run by the "setup" service of docker-compose.yml:
#   1. sets the password of the built-in kibana_system user (Kibana connects with it);
#   2. creates the role and user "tokenscope_writer", which may only append to the APM and
#      OTel-native data streams (APM Server and the optional Elasticsearch exporter write with it).
# Every call converges (POST password, PUT role, PUT user), so running it again is harmless.
set -euo pipefail

ES_URL="${ELASTICSEARCH_URL:-http://elasticsearch:9200}"
WAIT_SECONDS="${SETUP_WAIT_SECONDS:-180}"

fail() { echo "setup: ERROR: $*" >&2; exit 1; }

for var in ELASTIC_PASSWORD KIBANA_SYSTEM_PASSWORD TOKENSCOPE_WRITER_PASSWORD; do
  value="${!var:-}"
  [[ -n "$value" ]] || fail "$var is empty; set it in .env (see .env.example)"
  # The passwords go into JSON bodies; refuse characters that would need escaping.
  [[ "$value" =~ ^[A-Za-z0-9._~@%+=:,-]{8,}$ ]] ||
    fail "$var must be at least 8 characters of A-Z a-z 0-9 . _ ~ @ % + = : , - (no quotes, spaces or backslashes)"
done

# es METHOD PATH [BODY]: prints the response body, returns non-zero on HTTP >= 300.
es() {
  local method="$1" path="$2" out code
  local -a data=()
  if [[ $# -ge 3 ]]; then data=(--data "$3"); fi
  out="$(mktemp)"
  code="$(curl -sS -o "$out" -w '%{http_code}' -u "elastic:${ELASTIC_PASSWORD}" \
    -H 'Content-Type: application/json' -X "$method" "${data[@]}" "${ES_URL}${path}")" || code=000
  cat "$out"; rm -f "$out"
  [[ "$code" =~ ^2 ]]
}

echo "setup: waiting for Elasticsearch at ${ES_URL} (up to ${WAIT_SECONDS}s)"
deadline=$((SECONDS + WAIT_SECONDS))
until es GET /_cluster/health >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    fail "Elasticsearch at ${ES_URL} did not answer an authenticated request within ${WAIT_SECONDS}s (wrong ELASTIC_PASSWORD, or it is still starting)"
  fi
  sleep 3
done

echo "setup: setting the kibana_system password"
es POST /_security/user/kibana_system/_password "{\"password\":\"${KIBANA_SYSTEM_PASSWORD}\"}" >/dev/null ||
  fail "could not set the kibana_system password"

echo "setup: creating role and user tokenscope_writer"
es PUT /_security/role/tokenscope_writer '{
  "cluster": ["monitor"],
  "indices": [
    {
      "names": ["traces-apm*", "logs-apm*", "metrics-apm*", "traces-*.otel-*", "logs-*.otel-*", "metrics-*.otel-*"],
      "privileges": ["auto_configure", "create_doc"]
    }
  ]
}' >/dev/null || fail "could not create role tokenscope_writer"
es PUT /_security/user/tokenscope_writer "{\"password\":\"${TOKENSCOPE_WRITER_PASSWORD}\",\"roles\":[\"tokenscope_writer\"],\"full_name\":\"TokenScope telemetry writer\"}" >/dev/null ||
  fail "could not create user tokenscope_writer"

echo "setup: done"
