-- wrk script: sends the request paths listed in $PATHS_FILE (one per line), in turn.
-- Used by bench/api-load.sh; each wrk thread walks the list from a different point.
local paths = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 97)
end

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. tostring(os.getenv("PATHS_FILE"))) end
  i = start or 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("result: %.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d requests, %d errors)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests, errors))
end
