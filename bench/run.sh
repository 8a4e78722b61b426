#!/usr/bin/env bash
# make bench: starts `pixels meta-sim` and `pixels serve` (SQLite, durable writes) on loopback
# ports, then measures with wrk, on this machine, load generator included:
#   1. POST send-message, Prefer: respond-async, 64 connections
#   2. GET conversations?limit=20 over 10,000 conversations and 1,000,000 messages
#   3. webhook ingestion (signed status webhooks, 20 statuses each), flat out and at the
#      target rate (20,000 status events/s)
#   4. the dispatcher draining queued messages to the simulator, and one number's rate
#   5. a 100,000-recipient broadcast at 1,000 messages/s (bench/broadcast.sh, its own server)
# Results are printed and appended to bench/results-<date>.txt.
set -euo pipefail
BUILD=${1:-build}
BIN="$BUILD/pixels"; SEED="$BUILD/bench_seed"
DUR=${BENCH_SECONDS:-15}
WORK=$(mktemp -d /tmp/pixels-bench-XXXXXX)
OUT="bench/results-$(date -u +%Y%m%d-%H%M%S).txt"
SECRET=bench-app-secret
API=5550; SIMPORT=5560
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
log() { echo "$*" | tee -a "$OUT"; }

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

"$BIN" meta-sim --port $SIMPORT --host 127.0.0.1 --app-secret $SECRET --no-window --mps 1000 \
  --webhook-url "http://127.0.0.1:$API/api/webhooks/whatsapp" > "$WORK/sim.log" 2>&1 &
PIDS+=($!)
WHATSAPP_API_BASE_URL=http://127.0.0.1:$SIMPORT META_APP_SECRET=$SECRET \
ENFORCE_SERVICE_WINDOW=false INTEGRATION_RATE_LIMIT=1000000 INTEGRATION_RATE_BURST=1000000 \
LOG_LEVEL=error ALLOW_SIGNUP=true \
  "$BIN" serve --port $API --dashboard-port 5551 --host 127.0.0.1 --data-dir "$WORK/data" \
  > "$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$API/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$API/health" >/dev/null || { echo "pixels did not start:"; cat "$WORK/serve.log"; exit 1; }

URL=http://127.0.0.1:$API
SESSION=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"name":"Bench","email":"bench@example.com","password":"benchmark-password"}' \
  "$URL/api/auth/signup" | json_field token)
add_number() { # id mps
  curl -sf -X POST -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' \
    -d "{\"phoneNumberId\":\"$1\",\"wabaId\":\"777\",\"accessToken\":\"bench-token\",\"throughputMps\":$2}" \
    "$URL/api/settings/phone-numbers" >/dev/null
}
add_number 100000000001 1000
export TOKEN=$(curl -sf -X POST -H "Authorization: Bearer $SESSION" \
  "$URL/api/account/integration-token" | json_field integrationToken)

log "Pixels benchmarks, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
log "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"

log ""; log "== 1. POST /api/integrations/send-message (Prefer: respond-async), 64 connections, ${DUR}s"
wrk -t2 -c64 -d${DUR}s --latency -s bench/send.lua "$URL/api/integrations/send-message" | tee -a "$OUT"

log ""; log "== 2. GET /api/integrations/conversations?limit=20 over 10,000 conversations / 1,000,000 messages"
"$SEED" conversations "sqlite:$WORK/data/pixels.db" bench@example.com 100000000002 10000 1000000
wrk -t2 -c64 -d${DUR}s --latency -s bench/get.lua "$URL/api/integrations/conversations?limit=20" | tee -a "$OUT"

log ""; log "== 3. webhook ingestion: signed status webhooks, 20 statuses per POST, 64 connections"
add_number 100000000002 1000
"$SEED" webhooks 100000000002 $SECRET 2000 20 "$WORK/webhooks.txt"
BODIES="$WORK/webhooks.txt" wrk -t2 -c64 -d${DUR}s --latency -s bench/webhook.lua \
  "$URL/api/webhooks/whatsapp" | tee -a "$OUT"
log "(status events per second = requests per second x 20)"
log ""; log "== 3b. webhook ingestion at the target rate: ~1,050 POSTs/s = ~21,000 status events/s"
sleep 5 # let the processor catch up with step 3's flood first
DELAY_MS=57 BODIES="$WORK/webhooks.txt" wrk -t2 -c64 -d${DUR}s --latency \
  -s bench/webhook_paced.lua "$URL/api/webhooks/whatsapp" | tee -a "$OUT"

log ""; log "== 4. dispatcher: queued messages to the simulator"
bench/dispatch.sh "$BUILD" "$WORK" "$URL" "$SESSION" "http://127.0.0.1:$SIMPORT" | tee -a "$OUT"
log ""; log "== 5. broadcast: 100,000 recipients, one number at 1,000 messages/s"
bench/broadcast.sh "$BUILD" 100000 | tee -a "$OUT"
log ""; log "results saved in $OUT"
