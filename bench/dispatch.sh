#!/usr/bin/env bash
# Dispatcher benchmarks (called by run.sh): seeds queued messages straight into the database
# of the running server, waits until the dispatcher has had Meta (the simulator) accept them
# all, and computes rates from the accepted_at timestamps the server recorded.
set -euo pipefail
BUILD=$1 WORK=$2 URL=$3 SESSION=$4 SIM=${5:-}
DB="$WORK/data/pixels.db"
SEED="$BUILD/bench_seed"

add_number() {
  curl -sf -X POST -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' \
    -d "{\"phoneNumberId\":\"$1\",\"wabaId\":\"777\",\"accessToken\":\"bench-token\",\"throughputMps\":$2}" \
    "$URL/api/settings/phone-numbers" >/dev/null
}
pending() { sqlite3 "$DB" "SELECT count(*) FROM messages WHERE phone_number_id LIKE '$1' AND status IN ('queued','sending');"; }
rate() { sqlite3 "$DB" "SELECT count(*), max(accepted_at)-min(accepted_at), printf('%.1f', (count(*)-1)*1000.0/(max(accepted_at)-min(accepted_at))) FROM messages WHERE phone_number_id LIKE '$1' AND accepted_at > 0;"; }
wait_drained() {
  for _ in $(seq 600); do [ "$(pending "$1")" = 0 ] && return 0; sleep 0.2; done
  echo "timed out; still pending: $(pending "$1")"
}

refusals() { [ -z "$SIM" ] || echo "simulator refusals so far: $(curl -sf "$SIM/_sim/stats" | sed -n 's/.*"rejected_by_code":\({[^}]*}\).*/\1/p')"; }
refusals
echo "-- total: 8 numbers at 1000 msg/s each, 5,000 queued messages per number"
for n in 1 2 3 4 5 6 7 8; do add_number "20000000000$n" 1000; done
for n in 1 2 3 4 5 6 7 8; do "$SEED" queue "sqlite:$DB" bench@example.com "20000000000$n" 5000 & done
wait
wait_drained '20000000000%'
IFS='|' read -r count span r <<<"$(rate '20000000000%')"
echo "accepted $count messages in ${span} ms: $r messages/s"
refusals

echo "-- one number held to its rate: 500 msg/s configured, 5,000 queued messages"
add_number 300000000001 500
"$SEED" queue "sqlite:$DB" bench@example.com 300000000001 5000
wait_drained 300000000001
IFS='|' read -r count span r <<<"$(rate 300000000001)"
echo "accepted $count messages in ${span} ms: $r messages/s (configured 500; deviation $(awk "BEGIN{printf \"%.2f\", ($r-500)/5}")%)"
