#!/usr/bin/env bash
# Broadcast benchmark (called by run.sh, or alone: bench/broadcast.sh [build] [recipients]):
# a fresh simulator and server, one number at 1,000 messages/s, an approved template, then
# one broadcast of N recipients (default 100,000) with two variables each. Measures the time
# to accept it (the 202), the server's peak memory (VmHWM) before and after, and the rate at
# which Meta (the simulator) accepted its messages, from the accepted_at times the server
# recorded (the first and last 2 % are left out: start-up and drain).
set -euo pipefail
BUILD=${1:-build}
N=${2:-100000}
BIN="$BUILD/pixels"
WORK=$(mktemp -d /tmp/pixels-bcast-XXXXXX)
SECRET=bench-app-secret
API=5570; SIMPORT=5580; RATE=1000
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

"$BIN" meta-sim --port $SIMPORT --host 127.0.0.1 --app-secret $SECRET --no-window --mps $RATE \
  --webhook-url "http://127.0.0.1:$API/api/webhooks/whatsapp" > "$WORK/sim.log" 2>&1 &
PIDS+=($!)
WHATSAPP_API_BASE_URL=http://127.0.0.1:$SIMPORT META_APP_SECRET=$SECRET MESSAGING_LIMIT_PER_DAY=0 \
LOG_LEVEL=error ALLOW_SIGNUP=true \
  "$BIN" serve --port $API --dashboard-port 5571 --host 127.0.0.1 --data-dir "$WORK/data" \
  > "$WORK/serve.log" 2>&1 &
SERVER=$!
PIDS+=($SERVER)
URL=http://127.0.0.1:$API
for _ in $(seq 100); do curl -sf "$URL/health" >/dev/null && break; sleep 0.1; done

SESSION=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"name":"Bench","email":"bench@example.com","password":"benchmark-password"}' \
  "$URL/api/auth/signup" | json_field token)
curl -sf -X POST -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' \
  -d "{\"phoneNumberId\":\"400000000001\",\"wabaId\":\"777\",\"accessToken\":\"bench-token\",\"throughputMps\":$RATE}" \
  "$URL/api/settings/phone-numbers" >/dev/null
curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"phone_number_id\":\"400000000001\",\"waba_id\":\"777\",\"mps\":$RATE}" \
  "http://127.0.0.1:$SIMPORT/_sim/numbers" >/dev/null
TOKEN=$(curl -sf -X POST -H "Authorization: Bearer $SESSION" \
  "$URL/api/account/integration-token" | json_field integrationToken)
AUTH="Authorization: Bearer $TOKEN"
TID=$(curl -sf -X POST -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"fee_reminder","category":"UTILITY","language":"en","content":"Dear {{1}}, the fee for {{2}} is due","examples":["Asha","term 2"]}' \
  "$URL/api/integrations/templates" | json_field id)
for _ in $(seq 100); do
  curl -sf -H "$AUTH" "$URL/api/integrations/templates/$TID" | grep -q '"status":"approved"' && break
  sleep 0.1
done

BODY="$WORK/broadcast.json"
awk -v n="$N" 'BEGIN {
  printf "{\"name\":\"bench\",\"templateName\":\"fee_reminder\",\"recipients\":["
  for (i = 0; i < n; i++)
    printf "%s{\"phone\":\"+91 98%08d\",\"name\":\"Parent %d\",\"variables\":[\"Parent %d\",\"term 2\"]}", (i ? "," : ""), i, i, i
  printf "]}"
}' > "$BODY"
# Memory: VmHWM counts the database pages SQLite maps (mmap_size, shared and reclaimable) as
# well as the heap, so the heap (RssAnon) is sampled separately and its peak kept.
hwm() { awk '/VmHWM/ {print $2 " " $3}' "/proc/$SERVER/status"; }
anon() { awk '/RssAnon/ {print $2}' "/proc/$SERVER/status"; }
PEAK_ANON=0
sample() { a=$(anon); [ "$a" -gt "$PEAK_ANON" ] && PEAK_ANON=$a; return 0; }
sample
echo "recipients: $N, request body $(stat -c %s "$BODY") bytes; server peak memory before: $(hwm), heap $(anon) kB"
ACCEPT=$(curl -s -o "$WORK/answer.json" -w '%{time_total}' -X POST -H "$AUTH" \
  -H 'Content-Type: application/json' --data-binary "@$BODY" "$URL/api/integrations/broadcast")
BID=$(json_field broadcastId < "$WORK/answer.json")
[ -n "$BID" ] || { echo "broadcast refused: $(cat "$WORK/answer.json")"; exit 1; }
echo "accepted in ${ACCEPT} s: $(cat "$WORK/answer.json")"
sample
echo "server peak memory after accepting: $(hwm), heap now $(anon) kB"
DB="$WORK/data/pixels.db"
for _ in $(seq 1200); do
  st=$(sqlite3 "$DB" "SELECT status FROM broadcasts WHERE id = '$BID';")
  [ "$st" = completed ] && break
  sample
  sleep 0.5
done
sample
echo "status: $st; server peak memory at the end: $(hwm) (heap peak ${PEAK_ANON} kB, now $(anon) kB)"
sqlite3 "$DB" "WITH t AS (SELECT accepted_at AS at, row_number() OVER (ORDER BY accepted_at) AS k,
                 count(*) OVER () AS n FROM messages WHERE broadcast_id = '$BID' AND accepted_at > 0)
  SELECT 'accepted by Meta: ' || max(n) || ' messages in ' || (max(at) - min(at)) || ' ms; steady rate (2-98 %): '
    || printf('%.1f', (sum(k BETWEEN n * 0.02 AND n * 0.98) - 1) * 1000.0 /
       (max(CASE WHEN k <= n * 0.98 THEN at END) - min(CASE WHEN k >= n * 0.02 THEN at END)))
    || ' messages/s (configured $RATE)' FROM t;"
echo "simulator: $(curl -sf "http://127.0.0.1:$SIMPORT/_sim/stats" | head -c 400)"
echo "sent twice to the same recipient: $(sqlite3 "$DB" "SELECT count(*) FROM (SELECT user_phone FROM messages WHERE broadcast_id = '$BID' GROUP BY user_phone HAVING count(*) > 1);")"
