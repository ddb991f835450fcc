-- wrk script for POST /v1/jobs: the scenario file as the body, a bearer token,
-- and an Idempotency-Key unique to each request (so every request makes a job).
-- Arguments (after wrk's `--`): SCENARIO_FILE TOKEN
local threads = {}

function setup(thread)
  -- A prefix per thread and per run: keys never repeat across threads or runs.
  thread:set("prefix", string.format("bench-%d-%d-", os.time(), #threads))
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
  token = args[2]
  counter = 0
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/jobs", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/yaml",
    ["Idempotency-Key"] = prefix .. counter,
  }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    failed = (failed or 0) + 1
    if failed == 1 then io.stderr:write("submit answered " .. status .. ": " .. body:sub(1, 300) .. "\n") end
  end
end
