-- wrk script: POST signed status webhooks read from BODIES (one "body<TAB>signature" a line),
-- round robin. Each body carries several status events.
local bodies, sigs = {}, {}
for line in io.lines(os.getenv("BODIES")) do
  local b, s = line:match("^(.*)\t(.*)$")
  bodies[#bodies + 1] = b
  sigs[#sigs + 1] = s
end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  wrk.headers["X-Hub-Signature-256"] = sigs[i]
  return wrk.format(nil, nil, nil, bodies[i])
end
