-- wrk script: send.lua at a steady offered rate instead of flat out: each connection waits
-- DELAY_MS before its next request (64 connections x (2 ms + latency) ~ 20,000 requests/s
-- when the latency stays near 1 ms), to measure the latency at the target rate rather than
-- at saturation. What the run reaches is printed: the rate falls if the latency grows.
dofile("bench/send.lua")
local pause = tonumber(os.getenv("DELAY_MS") or "2")
delay = function()
  return pause
end
