#!/usr/bin/env bash
# Installs TokenScope's Kibana assets: the data views and dashboard (saved objects import) and the
# alert rules (alerting API). Waits for Kibana first. Idempotent: the import overwrites objects by
# id and every rule has a fixed id, so a second run updates in place and creates no duplicates.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SAVED_OBJECTS="${SCRIPT_DIR}/kibana/tokenscope-saved-objects.ndjson"
RULES_DIR="${SCRIPT_DIR}/kibana/rules"

# Fixed rule ids (Kibana accepts UUID v4 ids): "<id> <file in kibana/rules>".
RULES=(
  "7c1f3a52-0d4e-4b8a-9f16-3e2a5b7c9d01 spend-per-hour.json"
  "7c1f3a52-0d4e-4b8a-9f16-3e2a5b7c9d02 p95-latency-per-model.json"
  "7c1f3a52-0d4e-4b8a-9f16-3e2a5b7c9d03 error-rate-per-model.json"
  "7c1f3a52-0d4e-4b8a-9f16-3e2a5b7c9d04 unpriced-calls.json"
)

usage() {
  cat <<'USAGE'
Usage: setup.sh [options]

Installs the TokenScope data views, dashboard and alert rules into Kibana.
Waits until Kibana is available, imports kibana/tokenscope-saved-objects.ndjson
(overwriting by id) and creates or updates the rules in kibana/rules/.
Safe to run again: the result is the same, with no duplicates.

Options (each also read from the environment variable in brackets, and from the
env file; command-line options win):
  --kibana-url URL      Kibana base URL [KIBANA_URL] (default http://localhost:5601)
  --username NAME       user to authenticate as [ELASTIC_USERNAME] (default elastic)
  --password PASSWORD   that user's password [ELASTIC_PASSWORD]; prefer the variable,
                        options are visible in the process list
  --api-key KEY         Kibana API key, base64 "id:api_key" [KIBANA_API_KEY];
                        used instead of username and password when set
  --space ID            Kibana space to install into [KIBANA_SPACE] (default: default space)
  --timeout SECONDS     how long to wait for Kibana [KIBANA_WAIT_SECONDS] (default 300)
  --env-file FILE       read unset variables from FILE (default: .env next to this
                        script, when present); --env-file /dev/null reads none
  --skip-rules          import the saved objects only
  -h, --help            show this help

Alert thresholds [environment]:
  TOKENSCOPE_ALERT_HOURLY_BUDGET_USD  spend per hour, USD (default 5)
  TOKENSCOPE_ALERT_P95_LATENCY_MS     p95 latency per model, ms (default 20000)
  TOKENSCOPE_ALERT_ERROR_RATE         failed share of calls per model (default 0.05)

Exit status: 0 done, 1 Kibana refused or failed a step, 2 bad options or settings.
USAGE
}

die() { echo "setup.sh: ERROR: $*" >&2; exit 1; }
usage_error() { echo "setup.sh: $*" >&2; echo "Run setup.sh --help for usage." >&2; exit 2; }
say() { echo "setup.sh: $*"; }

# --- options ----------------------------------------------------------------------------------
ENV_FILE="${SCRIPT_DIR}/.env"
SKIP_RULES=false
declare -A OPTION=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --skip-rules) SKIP_RULES=true; shift ;;
    --kibana-url | --username | --password | --api-key | --space | --timeout | --env-file)
      [[ $# -ge 2 ]] || usage_error "$1 needs a value"
      OPTION["$1"]="$2"
      shift 2
      ;;
    *) usage_error "unknown option: $1" ;;
  esac
done
[[ -n "${OPTION[--env-file]:-}" ]] && ENV_FILE="${OPTION[--env-file]}"

# Reads KEY=value lines without executing anything; variables already set are kept.
load_env_file() {
  local file="$1" line key value
  [[ -f "$file" || "$file" == /dev/null ]] || usage_error "env file not found: $file"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    value="${value%$'\r'}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    if [[ -z "${!key+set}" ]]; then export "$key=$value"; fi
  done <"$file"
}
if [[ -n "${OPTION[--env-file]:-}" || -f "$ENV_FILE" ]]; then load_env_file "$ENV_FILE"; fi

KIBANA_URL="${OPTION[--kibana-url]:-${KIBANA_URL:-http://localhost:5601}}"
KIBANA_URL="${KIBANA_URL%/}"
USERNAME="${OPTION[--username]:-${ELASTIC_USERNAME:-elastic}}"
PASSWORD="${OPTION[--password]:-${ELASTIC_PASSWORD:-}}"
API_KEY="${OPTION[--api-key]:-${KIBANA_API_KEY:-}}"
SPACE="${OPTION[--space]:-${KIBANA_SPACE:-}}"
TIMEOUT="${OPTION[--timeout]:-${KIBANA_WAIT_SECONDS:-300}}"
POLL_SECONDS="${KIBANA_POLL_SECONDS:-5}"
BUDGET="${TOKENSCOPE_ALERT_HOURLY_BUDGET_USD:-5}"
P95_MS="${TOKENSCOPE_ALERT_P95_LATENCY_MS:-20000}"
ERROR_RATE="${TOKENSCOPE_ALERT_ERROR_RATE:-0.05}"

[[ "$KIBANA_URL" =~ ^https?://[^/]+ ]] || usage_error "KIBANA_URL must start with http:// or https://, got: $KIBANA_URL"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || usage_error "the timeout must be whole seconds, got: $TIMEOUT"
[[ "$POLL_SECONDS" =~ ^[0-9]+$ && "$POLL_SECONDS" -ge 1 ]] || usage_error "KIBANA_POLL_SECONDS must be a whole number of seconds >= 1"
[[ -n "$API_KEY" || -n "$PASSWORD" ]] ||
  usage_error "no credentials: set ELASTIC_PASSWORD (in the environment or .env) or KIBANA_API_KEY"
[[ -z "$SPACE" || "$SPACE" =~ ^[a-z0-9_-]+$ ]] || usage_error "invalid Kibana space id: $SPACE"
[[ "$BUDGET" =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage_error "TOKENSCOPE_ALERT_HOURLY_BUDGET_USD must be a number, got: $BUDGET"
[[ "$P95_MS" =~ ^[0-9]+$ ]] || usage_error "TOKENSCOPE_ALERT_P95_LATENCY_MS must be whole milliseconds, got: $P95_MS"
[[ "$ERROR_RATE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || usage_error "TOKENSCOPE_ALERT_ERROR_RATE must be a fraction between 0 and 1, got: $ERROR_RATE"
command -v curl >/dev/null || die "curl is required but not installed"
[[ -f "$SAVED_OBJECTS" ]] || die "missing $SAVED_OBJECTS"

SPACE_PATH=""
[[ -n "$SPACE" ]] && SPACE_PATH="/s/${SPACE}"
AUTH_DESCRIPTION="user '${USERNAME}'"
[[ -n "$API_KEY" ]] && AUTH_DESCRIPTION="the API key in KIBANA_API_KEY"

# --- HTTP --------------------------------------------------------------------------------------
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
chmod 700 "$WORK_DIR"

# Credentials go to curl through a private config file, never through the command line.
CURL_CONFIG="${WORK_DIR}/curl.config"
curl_quote() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }
{
  if [[ -n "$API_KEY" ]]; then
    echo "header = $(curl_quote "Authorization: ApiKey ${API_KEY}")"
  else
    echo "user = $(curl_quote "${USERNAME}:${PASSWORD}")"
  fi
  echo 'header = "kbn-xsrf: tokenscope-setup"'
} >"$CURL_CONFIG"

HTTP_STATUS=""
HTTP_BODY="${WORK_DIR}/body"
CURL_ERROR=""

# request METHOD PATH [curl args...]: sets HTTP_STATUS ("000" when no HTTP answer) and CURL_ERROR.
request() {
  local method="$1" path="$2"
  shift 2
  local status
  if status="$(curl -sS -K "$CURL_CONFIG" -o "$HTTP_BODY" -w '%{http_code}' \
    --connect-timeout 5 --max-time 60 -X "$method" "$@" "${KIBANA_URL}${path}" 2>"${WORK_DIR}/err")"; then
    HTTP_STATUS="$status"
    CURL_ERROR=""
  else
    HTTP_STATUS="000"
    CURL_ERROR="$(tr '\n' ' ' <"${WORK_DIR}/err")"
    CURL_ERROR="${CURL_ERROR#curl: }"
  fi
}

body_excerpt() { head -c 400 "$HTTP_BODY" 2>/dev/null | tr '\n' ' '; }

fail_on_auth() {
  case "$HTTP_STATUS" in
    401) die "Kibana at ${KIBANA_URL} rejected the credentials of ${AUTH_DESCRIPTION} (HTTP 401). Check ELASTIC_PASSWORD / KIBANA_API_KEY." ;;
    403) die "${AUTH_DESCRIPTION} may not do this in Kibana at ${KIBANA_URL} (HTTP 403): $(body_excerpt)" ;;
  esac
}

# --- 1. wait for Kibana ------------------------------------------------------------------------
say "waiting for Kibana at ${KIBANA_URL} (up to ${TIMEOUT}s)"
deadline=$((SECONDS + TIMEOUT))
last_state="no answer yet"
ever_answered=false
while true; do
  request GET /api/status
  if [[ "$HTTP_STATUS" == "000" ]]; then
    last_state="not reachable: ${CURL_ERROR:-no answer}"
  else
    ever_answered=true
    fail_on_auth
    case "$HTTP_STATUS" in
      200)
        overall="$(tr -d ' \n' <"$HTTP_BODY" | grep -o '"overall":{"level":"[a-z]*"' | head -n1 || true)"
        if [[ "$overall" == *'"available"' ]]; then
          break
        fi
        last_state="answering but not available yet (overall: ${overall##*:}${overall:+ }HTTP 200)"
        ;;
      404 | 400)
        die "${KIBANA_URL}/api/status answered HTTP ${HTTP_STATUS}: is KIBANA_URL the Kibana address (port 5601), not Elasticsearch or a proxy path?"
        ;;
      *) last_state="not ready yet (HTTP ${HTTP_STATUS}: $(body_excerpt | head -c 120))" ;;
    esac
  fi
  if ((SECONDS >= deadline)); then
    if [[ "$ever_answered" == false ]]; then
      die "timed out after ${TIMEOUT}s: Kibana at ${KIBANA_URL} was not reachable (${last_state}). Check KIBANA_URL and that the stack is up (docker compose ps)."
    fi
    die "timed out after ${TIMEOUT}s waiting for Kibana at ${KIBANA_URL} to become available; last state: ${last_state}. See: docker compose logs kibana"
  fi
  sleep "$POLL_SECONDS"
done
say "Kibana is available"

# --- 2. saved objects --------------------------------------------------------------------------
say "importing data views and dashboard (overwriting by id)"
request POST "${SPACE_PATH}/api/saved_objects/_import?overwrite=true" \
  --form "file=@${SAVED_OBJECTS};type=application/ndjson"
fail_on_auth
[[ "$HTTP_STATUS" == "200" ]] || die "saved objects import failed (HTTP ${HTTP_STATUS}): $(body_excerpt)"
grep -q '"success" *: *true' "$HTTP_BODY" || die "saved objects import reported errors: $(body_excerpt)"
imported="$(grep -o '"successCount" *: *[0-9]*' "$HTTP_BODY" | grep -o '[0-9]*$' || true)"
say "imported ${imported:-all} saved objects"

if [[ "$SKIP_RULES" == true ]]; then
  say "done (rules skipped). Dashboard: ${KIBANA_URL}${SPACE_PATH}/app/dashboards"
  exit 0
fi

# --- 3. alert rules ----------------------------------------------------------------------------
# Thresholds fill the "{{...}}" placeholders of the rule files. The update API takes the same body
# without rule_type_id and consumer, which the rule files keep on lines of their own.
render_rule() {
  local file="$1" text
  text="$(<"$file")"
  text="${text//\"\{\{HOURLY_BUDGET_USD\}\}\"/$BUDGET}"
  text="${text//\"\{\{P95_LATENCY_US\}\}\"/$((P95_MS * 1000))}"
  text="${text//\"\{\{ERROR_RATE\}\}\"/$ERROR_RATE}"
  [[ "$text" != *"{{"* ]] || die "$file has a placeholder setup.sh does not fill"
  printf '%s\n' "$text"
}

for entry in "${RULES[@]}"; do
  id="${entry%% *}"
  file="${RULES_DIR}/${entry#* }"
  [[ -f "$file" ]] || die "missing rule file $file"
  name="$(grep -o '"name" *: *"[^"]*"' "$file" | head -n1 | sed 's/.*: *"\(.*\)"$/\1/' || true)"
  render_rule "$file" >"${WORK_DIR}/create.json"
  grep -v -E '^  "(rule_type_id|consumer)": ' "${WORK_DIR}/create.json" >"${WORK_DIR}/update.json"

  request GET "${SPACE_PATH}/api/alerting/rule/${id}"
  fail_on_auth
  case "$HTTP_STATUS" in
    404)
      request POST "${SPACE_PATH}/api/alerting/rule/${id}" \
        -H 'Content-Type: application/json' --data-binary "@${WORK_DIR}/create.json"
      action="created"
      ;;
    200)
      request PUT "${SPACE_PATH}/api/alerting/rule/${id}" \
        -H 'Content-Type: application/json' --data-binary "@${WORK_DIR}/update.json"
      action="updated"
      ;;
    *) die "could not look up rule '${name}' (${id}): HTTP ${HTTP_STATUS}: ${CURL_ERROR}$(body_excerpt)" ;;
  esac
  fail_on_auth
  [[ "$HTTP_STATUS" == "200" ]] || die "could not save rule '${name}' (${id}): HTTP ${HTTP_STATUS}: ${CURL_ERROR}$(body_excerpt)"
  say "${action} rule: ${name}"
done

say "done. Dashboard: ${KIBANA_URL}${SPACE_PATH}/app/dashboards (\"TokenScope: LLM cost, tokens, latency, errors\"); rules: ${KIBANA_URL}${SPACE_PATH}/app/observability/alerts/rules"
