-- wrk script: POST /api/integrations/send-message with Prefer: respond-async (durable before
-- the answer), a different recipient for every request. TOKEN comes from the environment.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "respond-async"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function()
  counter = counter + 1
  local body = string.format('{"recipientPhone":"1555%07d","message":"Benchmark %d"}',
                             counter % 10000000, counter)
  return wrk.format(nil, nil, nil, body)
end
