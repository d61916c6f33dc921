#!/usr/bin/env bash
# The local monitoring stack: threads-agent (api + worker), Prometheus with the alert rules,
# and Grafana with the dashboards provisioned when Grafana is installed; then some work, so
# the panels have something to show. Ctrl-C stops everything it started.
#
#   scripts/monitoring-demo.sh            run until Ctrl-C, queueing a generation task every 30 s
#   scripts/monitoring-demo.sh --check    start, generate work, check the dashboards' queries and
#                                         the alert rules through Prometheus, stop; exit 1 on failure
#
# Needs: node 20 and `npm ci` done; Prometheus (Debian: apt-get install -y prometheus).
# Optional: Grafana (`grafana` or `grafana-server` on PATH; not in Debian's archive — see
# https://grafana.com/docs/grafana/latest/setup-grafana/installation/debian/) or use
# `docker compose -f deploy/docker-compose.yml up` for the full stack.
# Environment: APP_PORT (3000), PROMETHEUS_PORT (9090), GRAFANA_PORT (3001), DEMO_DIR (a new
# temporary directory), TASK_EVERY seconds (30), and any threads-agent setting (DATABASE_URL,
# OPENAI_API_KEY, OTEL_EXPORTER_OTLP_ENDPOINT, ...), passed through.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CHECK=false
[[ "${1:-}" == "--check" ]] && CHECK=true

APP_PORT="${APP_PORT:-3000}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
GRAFANA_PORT="${GRAFANA_PORT:-3001}"
TASK_EVERY="${TASK_EVERY:-30}"
DEMO_DIR="${DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/threads-agent-monitoring.XXXXXX")}"
mkdir -p "$DEMO_DIR"
TOKEN="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
APP="http://127.0.0.1:$APP_PORT"
PROM="http://127.0.0.1:$PROMETHEUS_PORT"

say() { printf '\033[1m%s\033[0m\n' "$*"; }
fail() { printf 'monitoring-demo: %s\n' "$*" >&2; exit 1; }

command -v prometheus >/dev/null || fail "prometheus is not installed (Debian: apt-get install -y prometheus)"
[[ -d "$ROOT/node_modules" ]] || fail "run npm ci in $ROOT first"

PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  say "stopped; data and logs are in $DEMO_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url, what, log file
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  tail -n 30 "$3" >&2 || true
  fail "$2 did not answer at $1 (log: $3)"
}

api() { curl -fsS -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' "$@"; }
json() { node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{const v=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }

# --- threads-agent ------------------------------------------------------------------
say "threads-agent on $APP (data: $DEMO_DIR/data)"
(cd "$ROOT" && DATA_DIR="${DATA_DIR:-$DEMO_DIR/data}" PORT="$APP_PORT" HOST=127.0.0.1 API_ADMIN_TOKEN="$TOKEN" \
  LOG_LEVEL="${LOG_LEVEL:-info}" exec node bin/threads-agent.mjs all) >"$DEMO_DIR/threads-agent.log" 2>&1 &
PIDS+=($!)
wait_http "$APP/ready" threads-agent "$DEMO_DIR/threads-agent.log"

# --- Prometheus ---------------------------------------------------------------------
cat >"$DEMO_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $ROOT/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: threads-agent
    static_configs:
      - targets: ['127.0.0.1:$APP_PORT']
EOF
say "Prometheus on $PROM"
prometheus --config.file="$DEMO_DIR/prometheus.yml" --storage.tsdb.path="$DEMO_DIR/prometheus" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn >"$DEMO_DIR/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "$PROM/-/ready" Prometheus "$DEMO_DIR/prometheus.log"

# --- Grafana, where installed -------------------------------------------------------
GRAFANA_BIN=""
if command -v grafana >/dev/null; then GRAFANA_BIN="grafana server"; elif command -v grafana-server >/dev/null; then GRAFANA_BIN="grafana-server"; fi
if [[ -n "$GRAFANA_BIN" ]]; then
  HOMEPATH="${GRAFANA_HOME:-/usr/share/grafana}"
  say "Grafana on http://127.0.0.1:$GRAFANA_PORT (anonymous viewer; admin/admin)"
  PROMETHEUS_URL="$PROM" GRAFANA_DASHBOARDS_DIR="$ROOT/deploy/grafana/dashboards" \
    GF_PATHS_PROVISIONING="$ROOT/deploy/grafana/provisioning" GF_PATHS_DATA="$DEMO_DIR/grafana" \
    GF_PATHS_LOGS="$DEMO_DIR/grafana-logs" GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT="$GRAFANA_PORT" \
    GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer \
    $GRAFANA_BIN --homepath "$HOMEPATH" >"$DEMO_DIR/grafana.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$GRAFANA_PORT/api/health" Grafana "$DEMO_DIR/grafana.log"
else
  say "Grafana is not installed: the dashboards are in deploy/grafana/dashboards (import them, or use docker compose)"
fi

# --- some work ----------------------------------------------------------------------
PERSONA="$(api "$APP/v1/personas?limit=1" | json 'v.data?.[0]?.id ?? v.items?.[0]?.id ?? v[0]?.id')"
[[ -n "$PERSONA" && "$PERSONA" != "undefined" ]] || fail "no persona to write for (GET /v1/personas)"
queue_task() {
  api -X POST "$APP/v1/tasks" -d "{\"persona_id\":\"$PERSONA\",\"variants\":2}" | json 'v.id'
}
revenue_event() {
  api -X POST "$APP/v1/revenue/events" \
    -d "{\"external_id\":\"demo-$1\",\"stream\":\"affiliate\",\"amount\":12.5,\"currency\":\"USD\"}" >/dev/null || true
}
# Its accepted drafts are approved at once, so the scheduler publishes them to the Threads simulator.
api -X PATCH "$APP/v1/personas/$PERSONA" -d '{"approval_mode":"auto"}' >/dev/null
say "queueing generation tasks for persona $PERSONA (auto-approved, published to the simulator)"
for i in 1 2 3; do queue_task >/dev/null; revenue_event "$(date +%s)-$i"; sleep 2; done

if $CHECK; then
  say "checking the dashboards' queries and the alert rules through Prometheus"
  sleep 20
  node --input-type=module - "$PROM" "$ROOT" <<'EOF'
import fs from 'node:fs';
const [prom, root] = process.argv.slice(2);
const dir = `${root}/deploy/grafana/dashboards`;
let failed = 0;
let empty = 0;
const query = async (expr) => (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(expr)}`)).json();
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  for (const panel of JSON.parse(fs.readFileSync(`${dir}/${file}`, 'utf8')).panels) {
    for (const t of panel.targets) {
      const expr = t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '15m').replaceAll('$persona', '.*');
      const res = await query(expr);
      if (res.status !== 'success') { failed++; console.log(`FAIL  ${file} › ${panel.title}: ${res.error}`); }
      else if (res.data.result.length === 0) { empty++; console.log(`empty ${file} › ${panel.title}`); }
    }
  }
}
const rules = (await (await fetch(`${prom}/api/v1/rules`)).json()).data.groups.flatMap((g) => g.rules);
for (const r of rules) if (r.health === 'err') { failed++; console.log(`FAIL  rule ${r.name}: ${r.lastError}`); }
// Empty is expected for what this run did not exercise: Threads data (KPIs, publishing), the
// OpenAI-compatible gateway (cache, breaker), rejections and dead letters.
console.log(`${rules.length} alert rules loaded; ${empty} panel queries without data yet (see above)`);
process.exit(failed ? 1 : 0);
EOF
  exit $?
fi

cat <<EOF

  threads-agent   $APP   (API docs $APP/docs, metrics $APP/metrics)
  admin token     $TOKEN
  Prometheus      $PROM  (alerts $PROM/alerts, rules $PROM/rules)
EOF
[[ -n "$GRAFANA_BIN" ]] && echo "  Grafana         http://127.0.0.1:$GRAFANA_PORT  (folder threads-agent)"
cat <<EOF
  logs            $DEMO_DIR/*.log

  curl -s $APP/metrics | grep -E "engagement|cost_per_follow"
  A new generation task every ${TASK_EVERY} s; Ctrl-C to stop.
EOF
while true; do
  # In the background and waited for: a signal to this script stops it at once, not after the sleep.
  sleep "$TASK_EVERY" &
  wait $! || true
  queue_task >/dev/null || true
done
