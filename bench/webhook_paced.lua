-- wrk script: webhook.lua at a steady offered rate instead of flat out: each connection waits
-- DELAY_MS before its next request (64 connections x 57 ms ~ 1,050 POSTs/s with a few ms of
-- latency), to measure the latency at the target rate rather than at saturation.
dofile("bench/webhook.lua")
local pause = tonumber(os.getenv("DELAY_MS") or "57")
delay = function()
  return pause
end
